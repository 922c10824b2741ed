package tracking

import (
	"context"
	"testing"
	"time"
)

const benchKeys = 1024

func benchKeySet() []LedgerKey {
	keys := make([]LedgerKey, benchKeys)
	for i := range keys {
		keys[i] = orderKey(i)
	}
	return keys
}

func BenchmarkMemoryLedgerLookup(b *testing.B) {
	ctx := context.Background()
	l := NewMemoryLedger()
	keys := benchKeySet()
	for _, k := range keys {
		lease, err := l.Claim(ctx, k, "bench", time.Minute)
		if err != nil {
			b.Fatal(err)
		}
		if err := l.Commit(ctx, lease, testRecord("F")); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, ok, err := l.Lookup(ctx, keys[i%benchKeys]); err != nil || !ok {
			b.Fatal(ok, err)
		}
		i++
	}
}

func BenchmarkMemoryLedgerClaimCommit(b *testing.B) {
	benchClaimCommit(b, NewMemoryLedger())
}

func BenchmarkFileLedgerCommit(b *testing.B) {
	l, err := OpenFileLedger(ledgerPath(b))
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	benchClaimCommit(b, l)
}

// benchClaimCommit measures one push's worth of ledger work: a claim and
// the commit that ends it.
func benchClaimCommit(b *testing.B, l Ledger) {
	ctx := context.Background()
	keys := benchKeySet()
	rec := testRecord("F")
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		lease, err := l.Claim(ctx, keys[i%benchKeys], "bench", time.Minute)
		if err != nil {
			b.Fatal(err)
		}
		if err := l.Commit(ctx, lease, rec); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
