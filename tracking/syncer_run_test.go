package tracking_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/trackingtest"
)

// blindWriter is a channel that does not reconcile: every write it takes
// is a new remote object, so a second write of a shipment is a duplicate.
// It sleeps before writing, fences the write with Run.Check as exporters
// must, and counts the writes.
type blindWriter struct {
	delay time.Duration
	mu    sync.Mutex
	wrote map[string]int
}

func (w *blindWriter) Channel() tracking.Channel { return "shopify" }
func (w *blindWriter) Export(ctx context.Context, o tracking.Order) (tracking.Result, error) {
	time.Sleep(w.delay)
	res := tracking.Result{Channel: "shopify"}
	for _, s := range o.Shipments {
		if err := tracking.RunFrom(ctx).Check(s.ID); err != nil {
			res.Shipments = append(res.Shipments, tracking.ShipmentResult{ShipmentID: s.ID, State: tracking.Failed, Err: err})
			continue
		}
		w.mu.Lock()
		w.wrote[s.ID]++
		w.mu.Unlock()
		res.Shipments = append(res.Shipments, tracking.ShipmentResult{ShipmentID: s.ID, State: tracking.Pushed, RemoteID: "R-" + s.ID})
	}
	return res, nil
}

func TestSyncRenewsLeasesWhileAnExportRuns(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ledger := tracking.NewMemoryLedger()
		w := &blindWriter{delay: 5 * time.Second, wrote: map[string]int{}}
		slow := newSyncer(t, tracking.WithExporters(w), tracking.WithLedger(ledger), tracking.WithLeaseTTL(time.Second), tracking.WithOwner("slow"))
		eager := newSyncer(t, tracking.WithExporters(w), tracking.WithLedger(ledger), tracking.WithLeaseTTL(time.Second), tracking.WithOwner("eager"))

		var first []tracking.OrderResult
		done := make(chan struct{})
		go func() {
			defer close(done)
			first, _ = slow.Sync(t.Context(), sampleOrder("A"))
		}()
		time.Sleep(2500 * time.Millisecond) // well past the first TTL
		second, err := eager.Sync(t.Context(), sampleOrder("A"))
		require.NoError(t, err)
		require.Equal(t, []string{"shopify/A-S1=waiting", "shopify/A-S2=waiting"}, states(second[0]), "the renewed lease keeps the eager worker out")
		<-done
		require.Equal(t, []string{"shopify/A-S1=pushed", "shopify/A-S2=pushed"}, states(first[0]))
		require.Equal(t, map[string]int{"A-S1": 1, "A-S2": 1}, w.wrote)
	})
}

// stingyLedger refuses every renewal, as a ledger does whose lease was
// taken over.
type stingyLedger struct{ *tracking.MemoryLedger }

func (stingyLedger) Renew(context.Context, tracking.Lease, time.Duration) (tracking.Lease, error) {
	return tracking.Lease{}, tracking.ErrLeaseLost
}

func TestSyncFencesWritesOnceTheLeaseIsLost(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := &blindWriter{delay: 2 * time.Second, wrote: map[string]int{}}
		s := newSyncer(t, tracking.WithExporters(w), tracking.WithLedger(stingyLedger{tracking.NewMemoryLedger()}), tracking.WithLeaseTTL(time.Second))
		r, err := s.Sync(t.Context(), sampleOrder("A"))
		require.NoError(t, err)
		require.Equal(t, []string{"shopify/A-S1=failed", "shopify/A-S2=failed"}, states(r[0]))
		sh := r[0].Results[0].Shipments[0]
		require.ErrorIs(t, sh.Err, tracking.ErrLeaseLost)
		require.True(t, sh.Retryable, "a lost lease is worth another try")
		require.Empty(t, w.wrote, "nothing written after the lease was lost")
	})
}

func TestSyncWithoutRenewalsTheExpiryStillFences(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// The renewals run at TTL/3; an export that blocks the clock
		// past the expiry (here: renewals that never answer) is fenced
		// by the lease's own expiry.
		ledger := &slowRenewLedger{MemoryLedger: tracking.NewMemoryLedger()}
		w := &blindWriter{delay: 3 * time.Second, wrote: map[string]int{}}
		s := newSyncer(t, tracking.WithExporters(w), tracking.WithLedger(ledger), tracking.WithLeaseTTL(time.Second))
		r, err := s.Sync(t.Context(), sampleOrder("A"))
		require.NoError(t, err)
		require.Equal(t, []string{"shopify/A-S1=failed", "shopify/A-S2=failed"}, states(r[0]))
		require.Empty(t, w.wrote)
	})
}

// slowRenewLedger's renewals hang until their context ends.
type slowRenewLedger struct{ *tracking.MemoryLedger }

func (slowRenewLedger) Renew(ctx context.Context, _ tracking.Lease, _ time.Duration) (tracking.Lease, error) {
	<-ctx.Done()
	return tracking.Lease{}, ctx.Err()
}

// priorReader keeps its own ledger records and reports what the channel
// exporters did before it.
type priorReader struct {
	mu    sync.Mutex
	prior [][]tracking.Result
	owner string
}

func (p *priorReader) Channel() tracking.Channel { return tracking.AllChannels }
func (p *priorReader) Describe() tracking.ExporterInfo {
	return tracking.ExporterInfo{Name: "reader", Purpose: "reader", OwnLedger: true}
}
func (p *priorReader) Export(ctx context.Context, o tracking.Order) (tracking.Result, error) {
	run := tracking.RunFrom(ctx)
	p.mu.Lock()
	p.prior = append(p.prior, run.Prior())
	p.owner = run.Owner()
	p.mu.Unlock()
	res := tracking.Result{Exporter: "reader", Channel: tracking.AllChannels}
	for _, s := range o.Shipments {
		res.Shipments = append(res.Shipments, tracking.ShipmentResult{ShipmentID: s.ID, State: tracking.Waiting})
	}
	return res, nil
}

func TestSyncOwnLedgerExporterSeesPriorResultsAndNoClaims(t *testing.T) {
	ledger := tracking.NewMemoryLedger()
	shop := trackingtest.NewExporter("shopify")
	reader := &priorReader{}
	s := newSyncer(t, tracking.WithExporters(reader, shop), tracking.WithLedger(ledger), tracking.WithOwner("me"))
	r, err := s.Sync(t.Context(), sampleOrder("A"))
	require.NoError(t, err)
	require.Equal(t, []string{"shopify/A-S1=pushed", "shopify/A-S2=pushed", "reader/A-S1=waiting", "reader/A-S2=waiting"}, states(r[0]))
	require.Len(t, reader.prior, 1)
	require.Len(t, reader.prior[0], 1, "the channel's result only")
	require.Equal(t, "shopify", reader.prior[0][0].Exporter)
	require.Equal(t, tracking.Pushed, reader.prior[0][0].Shipments[0].State)
	require.Equal(t, "me", reader.owner)

	// No lease was taken for the reader: its key can be claimed at once.
	_, err = ledger.Claim(t.Context(), tracking.LedgerKey{Channel: "shopify", Store: "demo-shop.myshopify.com", OrderID: "A", ShipmentID: "A-S1", Purpose: "reader"}, "x", time.Minute)
	require.NoError(t, err)
}

// slowDown is a channel error with the channel's own advice.
type slowDown struct{ after time.Duration }

func (e slowDown) Error() string             { return "slow down" }
func (e slowDown) Retryable() bool           { return true }
func (e slowDown) RetryAfter() time.Duration { return e.after }

// refused is a channel's refusal: trying again cannot help.
type refused string

func (e refused) Error() string { return "refused: " + string(e) }
func (refused) Retryable() bool { return false }

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

// wrapped gives its own time around an error that decides retryability.
type wrapped struct{ err error }

func (e wrapped) Error() string             { return "wrapped: " + e.err.Error() }
func (e wrapped) Unwrap() error             { return e.err }
func (e wrapped) RetryAfter() time.Duration { return time.Minute }

func TestClassify(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		retryable bool
		after     time.Duration
	}{
		{"nil", nil, false, 0},
		{"channel says when", fmt.Errorf("push: %w", slowDown{after: 3 * time.Second}), true, 3 * time.Second},
		{"channel refuses", fmt.Errorf("push: %w", refused("no such order")), false, 0},
		{"outer advice wins", wrapped{err: slowDown{after: time.Second}}, true, time.Minute},
		{"deadline", fmt.Errorf("x: %w", context.DeadlineExceeded), true, 0},
		{"cancelled", context.Canceled, true, 0},
		{"lease lost", fmt.Errorf("%w: gone", tracking.ErrLeaseLost), true, 0},
		{"store busy", &tracking.StoreBusyError{Owner: "w2"}, true, 0},
		{"network timeout", timeoutErr{}, true, 0},
		{"invalid order", tracking.Order{}.Validate(), false, 0},
		{"unknown", errors.New("something odd"), true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			retryable, after := tracking.Classify(tt.err)
			require.Equal(t, tt.retryable, retryable)
			require.Equal(t, tt.after, after)
		})
	}
}

func TestSyncFillsRetryAdvice(t *testing.T) {
	shop := trackingtest.NewExporter("shopify")
	shop.FailShipment("A-S1", slowDown{after: 7 * time.Second})
	shop.FailShipment("A-S2", refused("order is closed"))
	s := newSyncer(t, tracking.WithExporters(shop))
	bad := sampleOrder("B")
	bad.Lines[0].Quantity = 0
	r, err := s.Sync(t.Context(), sampleOrder("A"), bad)
	require.NoError(t, err)
	got := r[0].Results[0].Shipments
	require.True(t, got[0].Retryable)
	require.Equal(t, 7*time.Second, got[0].RetryAfter)
	require.False(t, got[1].Retryable)
	require.False(t, r[1].Results[0].Shipments[0].Retryable, "an invalid order needs a person")
}

// recordingObserver keeps every event.
type recordingObserver struct {
	mu        sync.Mutex
	shipments []tracking.ShipmentEvent
	requests  []tracking.RequestEvent
}

func (o *recordingObserver) ShipmentDone(_ context.Context, e tracking.ShipmentEvent) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.shipments = append(o.shipments, e)
}
func (o *recordingObserver) RequestDone(_ context.Context, e tracking.RequestEvent) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.requests = append(o.requests, e)
}

func TestSyncTellsTheObserver(t *testing.T) {
	obs := &recordingObserver{}
	shop := trackingtest.NewExporter("shopify")
	// A client under the exporter reports its requests through the ctx.
	shop.SetHook(func(ctx context.Context, o tracking.Order) error {
		tracking.ObserverFrom(ctx).RequestDone(ctx, tracking.RequestEvent{Channel: "shopify", Store: o.Store, Operation: "graphql:mutation", Status: 200, Attempt: 1})
		return nil
	})
	s := newSyncer(t, tracking.WithExporters(shop), tracking.WithObserver(obs))
	_, err := s.Sync(t.Context(), sampleOrder("A"), sampleOrder("B"))
	require.NoError(t, err)
	require.Len(t, obs.shipments, 4)
	require.Len(t, obs.requests, 2)
	for _, e := range obs.shipments {
		require.Equal(t, tracking.Pushed, e.Result.State)
		require.Equal(t, "shopify", e.Exporter)
	}
	// Outside a Syncer the observer is a no-op, never nil.
	tracking.ObserverFrom(context.Background()).RequestDone(context.Background(), tracking.RequestEvent{})
}

// storeGate lets one named store be owned elsewhere.
type storeGate struct {
	busy     string
	broken   string
	mu       sync.Mutex
	unlocked int
}

func (g *storeGate) LockStore(_ context.Context, ch tracking.Channel, store string) (func(), error) {
	switch store {
	case g.busy:
		return nil, &tracking.StoreBusyError{Channel: ch, Store: store, Owner: "worker-2", Until: time.Now().Add(30 * time.Second)}
	case g.broken:
		return nil, errors.New("database is down")
	}
	return func() { g.mu.Lock(); g.unlocked++; g.mu.Unlock() }, nil
}

func TestSyncTakesTheStoreFirst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		gate := &storeGate{busy: "busy.myshopify.com", broken: "broken.myshopify.com"}
		shop := trackingtest.NewExporter("shopify")
		s := newSyncer(t, tracking.WithExporters(shop), tracking.WithStoreLocker(gate))
		free, busy, broken := sampleOrder("A"), sampleOrder("B"), sampleOrder("C")
		busy.Store, broken.Store = gate.busy, gate.broken
		r, err := s.Sync(t.Context(), free, busy, broken)
		require.NoError(t, err)
		require.Equal(t, []string{"shopify/A-S1=pushed", "shopify/A-S2=pushed"}, states(r[0]))
		require.Equal(t, []string{"shopify/B-S1=waiting", "shopify/B-S2=waiting"}, states(r[1]))
		require.Equal(t, 30*time.Second, r[1].Results[0].Shipments[0].RetryAfter)
		require.Contains(t, r[1].Results[0].Shipments[0].Reason, "worker-2")
		require.Equal(t, []string{"shopify/C-S1=failed", "shopify/C-S2=failed"}, states(r[2]))
		require.Len(t, shop.Calls(), 1, "only the free store's order was exported")
		require.Equal(t, 1, gate.unlocked)
	})
}

func TestSyncOrderTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		shop := trackingtest.NewExporter("shopify")
		shop.SetHook(func(ctx context.Context, o tracking.Order) error {
			if o.ID == "SLOW" {
				<-ctx.Done()
				return ctx.Err()
			}
			return nil
		})
		s := newSyncer(t, tracking.WithExporters(shop), tracking.WithOrderTimeout(time.Minute))
		start := time.Now()
		r, err := s.Sync(t.Context(), sampleOrder("SLOW"), sampleOrder("FAST"))
		require.NoError(t, err, "the caller's context is fine")
		require.Equal(t, time.Minute, time.Since(start))
		sh := r[0].Results[0].Shipments[0]
		require.Equal(t, tracking.Failed, sh.State)
		require.ErrorIs(t, sh.Err, context.DeadlineExceeded)
		require.True(t, sh.Retryable)
		require.Equal(t, []string{"shopify/FAST-S1=pushed", "shopify/FAST-S2=pushed"}, states(r[1]))
	})
}

// loggerTaker is an exporter that takes the Syncer's logger.
type loggerTaker struct {
	*trackingtest.Exporter
	got *slog.Logger
}

func (l *loggerTaker) DefaultLogger(lg *slog.Logger) { l.got = lg }

func TestSyncGivesItsLoggerToExporters(t *testing.T) {
	var buf bytes.Buffer
	lg := slog.New(slog.NewTextHandler(&buf, nil))
	taker := &loggerTaker{Exporter: trackingtest.NewExporter("shopify")}
	newSyncer(t, tracking.WithExporters(taker), tracking.WithLogger(lg))
	require.Same(t, lg, taker.got)

	untouched := &loggerTaker{Exporter: trackingtest.NewExporter("shopify")}
	newSyncer(t, tracking.WithExporters(untouched))
	require.Nil(t, untouched.got, "no logger given, none imposed")
}

func TestSyncAnyChannelAnExporterTakes(t *testing.T) {
	bol := trackingtest.NewExporter("bol.com")
	s := newSyncer(t, tracking.WithExporters(bol))
	o := sampleOrder("A")
	o.Channel = "bol.com"
	r, err := s.Sync(t.Context(), o)
	require.NoError(t, err)
	require.Equal(t, []string{"bol.com/A-S1=pushed", "bol.com/A-S2=pushed"}, states(r[0]))
}
