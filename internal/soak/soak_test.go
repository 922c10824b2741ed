package soak

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/tracking"
)

// Settings of the soak.
const (
	defaultShipments = 500
	faultRate        = 0.07        // of the requests, while faults are on
	leaseTTL         = time.Second // renewed every third of it; slow faults and the slow shop outlast it
	orderTimeout     = 30 * time.Second
	concurrency      = 12
	// Rounds with faults, then calm rounds until everything is recorded
	// (two or three rounds in practice); a shipment still unrecorded after
	// maxRounds is stuck.
	faultyRounds = 5
	maxRounds    = 12
)

// soakSettings reads TRACKSYNC_SOAK (shipments), TRACKSYNC_SOAK_SEED,
// TRACKSYNC_SOAK_WITHOUT (a comma-separated list of "feeds" and
// "look-alikes": scenarios to leave out while a known bug in them is
// being fixed, so that the rest can still be soaked) and
// TRACKSYNC_SOAK_WITH ("stalls": scenarios off by default).
func soakSettings(t *testing.T) (shipments int, seed uint64, scenarios map[string]bool) {
	shipments = defaultShipments
	if v := os.Getenv("TRACKSYNC_SOAK"); v != "" {
		n, err := strconv.Atoi(v)
		require.NoError(t, err, "TRACKSYNC_SOAK=%q: want a number of shipments", v)
		require.Positive(t, n)
		shipments = n
	}
	seed = rand.Uint64()
	if v := os.Getenv("TRACKSYNC_SOAK_SEED"); v != "" {
		s, err := strconv.ParseUint(v, 10, 64)
		require.NoError(t, err, "TRACKSYNC_SOAK_SEED=%q: want an unsigned number", v)
		seed = s
	}
	scenarios = map[string]bool{"feeds": true, "look-alikes": true}
	for env, on := range map[string]bool{"TRACKSYNC_SOAK_WITHOUT": false, "TRACKSYNC_SOAK_WITH": true} {
		for _, name := range strings.Split(os.Getenv(env), ",") {
			switch name = strings.TrimSpace(name); name {
			case "":
			case "feeds", "look-alikes", "stalls":
				scenarios[name] = on
			default:
				t.Fatalf("%s: unknown scenario %q; want feeds, look-alikes or stalls", env, name)
			}
		}
	}
	return shipments, seed, scenarios
}

// TestSoak pushes every shipment of orders in 20 stores of both channels
// through Syncers against the fakes while a share of the requests fail,
// crashes the first run at a random moment (its context cancelled and its
// FileLedger closed under it, as kill -9 would leave it), reopens the
// ledger and lets two Syncers with short leases race over it until every
// shipment is recorded; then it checks the fakes' own state: each
// shipment exactly once, with its tracking number, items and quantities.
func TestSoak(t *testing.T) {
	shipments, seed, scenarios := soakSettings(t)
	t.Logf("soak: %d shipments, seed %d (TRACKSYNC_SOAK_SEED=%d replays the data and fault draws; timing varies), scenarios %v",
		shipments, seed, seed, scenarios)
	rng := rand.New(rand.NewPCG(seed, 0xc4a5))
	w := newWorld(t, seed, shipments, faultRate, scenarios)
	obs := &observer{}
	start := time.Now()
	path := filepath.Join(t.TempDir(), "ledger.jsonl")

	// Round 1, cut short by the crash: when a random share of the
	// shipments has a result, as a process killed mid-run.
	ledger, err := tracking.OpenFileLedger(path)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	crashAt := 1 + rng.IntN(shipments)
	var crashed atomic.Bool
	obs.afterShipments(crashAt, func() {
		crashed.Store(true)
		cancel()
		_ = ledger.Close()
	})
	tally := w.round(t, ctx, ledger, w.firstView(), rng, obs, 1)
	cancel()
	require.NoError(t, ledger.Close())
	t.Logf("round 1: %v; crashed after %d shipment results: %v", tally, crashAt, crashed.Load())

	// Restart: reopen the ledger and race until everything is recorded.
	ledger, err = tracking.OpenFileLedger(path)
	require.NoError(t, err)
	t.Cleanup(func() { _ = ledger.Close() })
	rounds := 1
	pending := w.pending(t, ledger)
	for ; len(pending) > 0 && rounds < maxRounds; pending = w.pending(t, ledger) {
		rounds++
		if rounds > faultyRounds {
			w.shopChaos.dice.setRate(0)
			w.amzChaos.dice.setRate(0)
		}
		tally := w.round(t, context.Background(), ledger, pending, rng, obs, rounds)
		t.Logf("round %d: %d orders: %v", rounds, len(pending), tally)
		for r, n := range w.why[len(w.why)-1] {
			t.Logf("    %4d× %s", n, r)
		}
	}
	wall := time.Since(start)
	if len(pending) > 0 {
		// Something keeps failing: say what, then look at the channels.
		ids := make([]string, len(pending))
		for i, o := range pending {
			ids[i] = o.ID + " (" + o.Store + ")"
		}
		t.Errorf("%d orders still have unrecorded shipments after %d rounds: %s", len(pending), rounds, strings.Join(ids, ", "))
	} else {
		// A last pass over every order writes nothing.
		w.shopChaos.dice.setRate(0)
		w.amzChaos.dice.setRate(0)
		writesBefore := w.writes()
		final := w.round(t, context.Background(), ledger, w.orders, rng, &observer{}, rounds+1)
		require.Equal(t, writesBefore, w.writes(), "the last pass over recorded shipments wrote to a channel: %v", final)
		require.Equal(t, 2*shipments, final[tracking.AlreadyPushed], "the last pass (two workers): %v", final)
	}

	rep := w.verify()
	w.logFigures(t, wall, rounds, obs, rep)
	require.Zero(t, rep.duplicates, "duplicates: %v", rep.problems)
	require.Zero(t, rep.lost, "lost: %v", rep.problems)
	require.Zero(t, rep.wrong, "wrong: %v", rep.problems)
	require.Equal(t, shipments, rep.checked)
}

// tally counts shipment results by state.
type tally map[tracking.State]int

// reasons counts why shipments were not pushed, for the log.
type reasons map[string]int

// round runs orders through two workers sharing the ledger, each with
// its own clients and, per kind of store, its own Syncer: the direct
// exporters, Shopify pushing each package as it ships, Amazon feeds. All
// Syncers run at once, each with its own shuffle of its orders.
func (w *world) round(t *testing.T, ctx context.Context, ledger tracking.Ledger, orders []tracking.Order, rng *rand.Rand, obs *observer, n int) tally {
	byKind := map[storeKind][]tracking.Order{}
	for _, o := range orders {
		k := w.kind[o.Store]
		if k == "" {
			k = kindDirect
		}
		byKind[k] = append(byKind[k], o)
	}
	type job struct {
		syncer *tracking.Syncer
		orders []tracking.Order
	}
	var jobs []job
	for _, worker := range []string{"a", "b"} {
		l := ledger
		if worker == "a" && n > 1 && w.stalls {
			l = &stallingLedger{Ledger: ledger, rng: rand.New(rand.NewPCG(rng.Uint64(), 1))}
		}
		for k, exporters := range w.exporters(t) {
			if len(byKind[k]) == 0 {
				continue
			}
			s, err := tracking.NewSyncer(tracking.WithExporters(exporters...), tracking.WithLedger(l),
				tracking.WithOwner(fmt.Sprintf("soak-%s-%d-%s", worker, n, k)), tracking.WithLeaseTTL(leaseTTL),
				tracking.WithConcurrency(concurrency), tracking.WithOrderTimeout(orderTimeout),
				tracking.WithObserver(tagged{obs, fmt.Sprintf("round %d worker %s %s", n, worker, k)}))
			require.NoError(t, err)
			shuffled := slices.Clone(byKind[k])
			rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			jobs = append(jobs, job{s, shuffled})
		}
	}
	var (
		mu  sync.Mutex
		sum = tally{}
		why = reasons{}
		wg  sync.WaitGroup
	)
	for _, j := range jobs {
		wg.Go(func() {
			results, err := j.syncer.Sync(ctx, j.orders...)
			if err != nil && !errors.Is(err, context.Canceled) {
				t.Errorf("Sync: %v", err)
			}
			mu.Lock()
			defer mu.Unlock()
			for _, r := range results {
				for _, res := range r.Results {
					for _, sh := range res.Shipments {
						sum[sh.State]++
						if sh.State == tracking.Failed || sh.State == tracking.Waiting {
							why[string(sh.State)+": "+firstWords(sh.Reason, 14)]++
						}
					}
				}
			}
		})
	}
	wg.Wait()
	w.why = append(w.why, why)
	return sum
}

// firstWords shortens a reason to its first n words, digits blanked, so
// that reasons that differ only in ids and times count together.
func firstWords(s string, n int) string {
	f := strings.Fields(digits.ReplaceAllString(s, "#"))
	if len(f) > n {
		f = f[:n]
	}
	return strings.Join(f, " ")
}

var digits = regexp.MustCompile(`[0-9]+`)

// pending returns the orders with a shipment the ledger has no record of.
func (w *world) pending(t *testing.T, ledger tracking.Ledger) []tracking.Order {
	var out []tracking.Order
	for _, o := range w.orders {
		for _, sh := range o.Shipments {
			_, ok, err := ledger.Lookup(context.Background(), tracking.LedgerKey{Channel: o.Channel, Store: o.Store, OrderID: o.ID, ShipmentID: sh.ID})
			require.NoError(t, err)
			if !ok {
				out = append(out, o)
				break
			}
		}
	}
	return out
}

// stallingLedger is the ledger as a worker sees it whose renewals stall
// now and then (a paused process, a slow database): a failed renewal
// marks the lease lost, it expires, and the other worker may take the
// shipment over while this one's export still runs. What the worker
// writes after that must not push anything twice.
type stallingLedger struct {
	tracking.Ledger
	mu  sync.Mutex
	rng *rand.Rand
}

// errStalled is the renewal that did not get through.
var errStalled = errors.New("soak: the renewal stalled")

func (l *stallingLedger) Renew(ctx context.Context, lease tracking.Lease, ttl time.Duration) (tracking.Lease, error) {
	l.mu.Lock()
	stall := l.rng.IntN(4) == 0
	l.mu.Unlock()
	if stall {
		return tracking.Lease{}, errStalled
	}
	return l.Ledger.Renew(ctx, lease, ttl)
}
