package sqlledger_test

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/sqlledger"
)

// benchWorkers is how many workers share the ledger, as the Syncers of a
// fleet would.
const benchWorkers = 8

// BenchmarkPush measures the ledger work of pushing one new shipment: a
// Lookup that finds nothing, a Claim and a Commit, with 8 workers at once
// on one ledger. The shipments/s figure is the goal's (PostgreSQL ≥ 2 000,
// SQLite ≥ 1 000 on 2 cores).
func BenchmarkPush(b *testing.B) {
	for _, be := range backends {
		b.Run(string(be.dialect), func(b *testing.B) {
			benchPush(b, be.openFresh(b))
		})
	}
}

// BenchmarkPushSQLiteNormal is BenchmarkPush on SQLite with
// synchronous=NORMAL: fewer fsyncs, commits survive a crash of the process
// but not of the machine.
func BenchmarkPushSQLiteNormal(b *testing.B) {
	for _, be := range backends {
		if be.dialect == sqlledger.SQLite {
			benchPush(b, be.openFresh(b, sqlledger.WithSQLiteSynchronous("NORMAL")))
		}
	}
}

// BenchmarkLookupCommitted measures the Lookup that answers a shipment
// pushed before, the ledger work of every later run that sees it again.
func BenchmarkLookupCommitted(b *testing.B) {
	for _, be := range backends {
		b.Run(string(be.dialect), func(b *testing.B) {
			l := be.openFresh(b)
			ctx := context.Background()
			keys := make([]tracking.LedgerKey, 256)
			for i := range keys {
				keys[i] = benchKey(int64(i))
				push(b, l, keys[i], record("F"))
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, ok, err := l.Lookup(ctx, keys[i%len(keys)]); err != nil || !ok {
					b.Fatal(ok, err)
				}
				i++
			}
		})
	}
}

func benchKey(i int64) tracking.LedgerKey {
	return tracking.LedgerKey{Channel: "shopify", Store: "shop-" + strconv.FormatInt(i%8, 10) + ".example",
		OrderID: strconv.FormatInt(i/4, 10), ShipmentID: "S" + strconv.FormatInt(i%4, 10)}
}

func benchPush(b *testing.B, l tracking.Ledger) {
	ctx := context.Background()
	var next atomic.Int64 // keys are new in every round of the benchmark
	rec := record("F")
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	var failed atomic.Pointer[error]
	var done atomic.Int64
	for w := range benchWorkers {
		owner := "worker-" + strconv.Itoa(w)
		wg.Go(func() {
			for done.Add(1) <= int64(b.N) {
				k := benchKey(next.Add(1))
				err := pushOnce(ctx, l, k, owner, rec)
				if err != nil {
					failed.CompareAndSwap(nil, &err)
					return
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if err := failed.Load(); err != nil {
		b.Fatal(*err)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "shipments/s")
}

func pushOnce(ctx context.Context, l tracking.Ledger, k tracking.LedgerKey, owner string, rec tracking.Record) error {
	if _, _, err := l.Lookup(ctx, k); err != nil {
		return err
	}
	lease, err := l.Claim(ctx, k, owner, time.Minute)
	if err != nil {
		return err
	}
	return l.Commit(ctx, lease, rec)
}
