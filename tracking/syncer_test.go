package tracking_test

import (
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

func newSyncer(t testing.TB, opts ...tracking.Option) *tracking.Syncer {
	t.Helper()
	s, err := tracking.NewSyncer(opts...)
	require.NoError(t, err)
	return s
}

// states flattens an order result to "exporter/shipment=state".
func states(r tracking.OrderResult) []string {
	var out []string
	for _, res := range r.Results {
		for _, s := range res.Shipments {
			out = append(out, fmt.Sprintf("%s/%s=%s", res.Exporter, s.ShipmentID, s.State))
		}
	}
	return out
}

func TestSyncRoutesByChannel(t *testing.T) {
	shop := trackingtest.NewExporter(tracking.ChannelShopify)
	amzn := trackingtest.NewExporter(tracking.ChannelAmazon)
	mail := trackingtest.NewExporter(tracking.AllChannels, trackingtest.WithPurpose("email:shipped"))
	s := newSyncer(t, tracking.WithExporters(mail, shop, amzn))

	a := sampleOrder("A")
	b := sampleOrder("B")
	b.Channel, b.Store = tracking.ChannelAmazon, "SELLER1/A1PA6795UKMFR9"
	results, err := s.Sync(t.Context(), a, b)
	require.NoError(t, err)

	// The channel's exporter first, then the notifiers.
	require.Equal(t, []string{"shopify/A-S1=pushed", "shopify/A-S2=pushed", "*:email:shipped/A-S1=pushed", "*:email:shipped/A-S2=pushed"}, states(results[0]))
	require.Equal(t, []string{"amazon/B-S1=pushed", "amazon/B-S2=pushed", "*:email:shipped/B-S1=pushed", "*:email:shipped/B-S2=pushed"}, states(results[1]))
	require.Len(t, shop.Calls(), 1)
	require.Equal(t, "A", shop.Calls()[0].ID)
	require.Len(t, amzn.Calls(), 1)
	require.Equal(t, "B", amzn.Calls()[0].ID)
	require.Len(t, mail.Calls(), 2)
	require.NotEmpty(t, results[0].Results[0].Shipments[0].RemoteID)
}

func TestSyncInvalidOrderFailsAloneWithItsValidationError(t *testing.T) {
	shop := trackingtest.NewExporter(tracking.ChannelShopify)
	s := newSyncer(t, tracking.WithExporters(shop))
	bad := sampleOrder("BAD")
	bad.Shipments[0].Items[0].LineID = "nope"
	results, err := s.Sync(t.Context(), sampleOrder("G1"), bad, sampleOrder("G2"))
	require.NoError(t, err)

	require.NoError(t, results[0].Err)
	require.NoError(t, results[2].Err)
	require.ErrorIs(t, results[1].Err, tracking.ErrInvalidOrder)
	require.Equal(t, []string{"shopify/BAD-S1=failed", "shopify/BAD-S2=failed"}, states(results[1]))
	for _, sr := range results[1].Results[0].Shipments {
		require.ErrorIs(t, sr.Err, tracking.ErrInvalidOrder)
		require.Equal(t, `the order is invalid: shipments[0].items[0].line_id: refers to unknown line "nope"; status: is "fully_shipped" but line "L1" has 0 of 2 units shipped`, sr.Reason)
	}
	require.Len(t, shop.Calls(), 2, "the invalid order never reaches the exporter")
}

func TestSyncOrderOfAChannelWithoutExporter(t *testing.T) {
	s := newSyncer(t, tracking.WithExporters(trackingtest.NewExporter(tracking.ChannelShopify)))
	o := sampleOrder("AM")
	o.Channel = tracking.ChannelAmazon
	results, err := s.Sync(t.Context(), o)
	require.NoError(t, err)
	require.ErrorIs(t, results[0].Err, tracking.ErrNoExporter)
	require.Equal(t, []string{"/AM-S1=failed", "/AM-S2=failed"}, states(results[0]))
	require.Contains(t, results[0].Results[0].Shipments[0].Reason, "WithExporters")
}

func TestSyncSkipsWhatTheLedgerHolds(t *testing.T) {
	shop := trackingtest.NewExporter(tracking.ChannelShopify)
	ledger := tracking.NewMemoryLedger()
	s := newSyncer(t, tracking.WithExporters(shop), tracking.WithLedger(ledger))
	first, err := s.Sync(t.Context(), sampleOrder("A"))
	require.NoError(t, err)
	second, err := s.Sync(t.Context(), sampleOrder("A"))
	require.NoError(t, err)

	require.Equal(t, []string{"shopify/A-S1=already_pushed", "shopify/A-S2=already_pushed"}, states(second[0]))
	require.Len(t, shop.Calls(), 1, "a repeat makes no call")
	for i := range 2 {
		require.Equal(t, first[0].Results[0].Shipments[i].RemoteID, second[0].Results[0].Shipments[i].RemoteID)
	}
	rec, ok, err := ledger.Lookup(t.Context(), tracking.LedgerKey{Channel: "shopify", Store: "demo-shop.myshopify.com", OrderID: "A", ShipmentID: "A-S2"})
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, "00340434161094042557", rec.TrackingNumber)
}

func TestSyncPartialFailureCommitsWhatWasPushed(t *testing.T) {
	shop := trackingtest.NewExporter(tracking.ChannelShopify)
	s := newSyncer(t, tracking.WithExporters(shop))
	boom := errors.New("location not found")
	shop.FailShipment("A-S2", boom)

	r, err := s.Sync(t.Context(), sampleOrder("A"))
	require.NoError(t, err)
	require.Equal(t, []string{"shopify/A-S1=pushed", "shopify/A-S2=failed"}, states(r[0]))
	require.ErrorIs(t, r[0].Results[0].Shipments[1].Err, boom)

	shop.Reset("A-S2")
	r, err = s.Sync(t.Context(), sampleOrder("A"))
	require.NoError(t, err)
	require.Equal(t, []string{"shopify/A-S1=already_pushed", "shopify/A-S2=pushed"}, states(r[0]))
	calls := shop.Calls()
	require.Len(t, calls, 2)
	require.Len(t, calls[1].Shipments, 1, "only the failed shipment is retried")
	require.Equal(t, "A-S2", calls[1].Shipments[0].ID)
	require.Len(t, shop.Pushes(), 2)
}

// scripted is an exporter whose Export is a function, for the contract
// cases a well-behaved exporter never produces.
type scripted struct {
	ch     tracking.Channel
	export func(ctx context.Context, o tracking.Order) (tracking.Result, error)
}

func (e scripted) Channel() tracking.Channel { return e.ch }
func (e scripted) Export(ctx context.Context, o tracking.Order) (tracking.Result, error) {
	return e.export(ctx, o)
}

func TestSyncExporterContractViolationsAreReported(t *testing.T) {
	cut := errors.New("connection reset")
	tests := []struct {
		name   string
		export func(ctx context.Context, o tracking.Order) (tracking.Result, error)
		want   []string
		reason string // of the second shipment
	}{
		{"error with partial results commits the pushed one",
			func(_ context.Context, o tracking.Order) (tracking.Result, error) {
				return tracking.Result{Shipments: []tracking.ShipmentResult{{ShipmentID: o.Shipments[0].ID, State: tracking.Pushed, RemoteID: "f1"}}}, cut
			}, []string{"shopify/A-S1=pushed", "shopify/A-S2=failed"}, "connection reset"},
		{"no result for a shipment",
			func(_ context.Context, o tracking.Order) (tracking.Result, error) {
				return tracking.Result{Shipments: []tracking.ShipmentResult{{ShipmentID: o.Shipments[0].ID, State: tracking.Pushed, RemoteID: "f1"}}}, nil
			}, []string{"shopify/A-S1=pushed", "shopify/A-S2=failed"}, "no result"},
		{"unknown state",
			func(_ context.Context, o tracking.Order) (tracking.Result, error) {
				return tracking.Result{Shipments: []tracking.ShipmentResult{
					{ShipmentID: o.Shipments[0].ID, State: tracking.Pushed, RemoteID: "f1"},
					{ShipmentID: o.Shipments[1].ID, State: "done"}}}, nil
			}, []string{"shopify/A-S1=pushed", "shopify/A-S2=failed"}, "unknown state"},
		{"results for other shipments are ignored",
			func(_ context.Context, o tracking.Order) (tracking.Result, error) {
				return tracking.Result{Shipments: []tracking.ShipmentResult{{ShipmentID: "zzz", State: tracking.Pushed}}}, nil
			}, []string{"shopify/A-S1=failed", "shopify/A-S2=failed"}, "no result"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ledger := tracking.NewMemoryLedger()
			s := newSyncer(t, tracking.WithExporters(scripted{tracking.ChannelShopify, tt.export}), tracking.WithLedger(ledger))
			r, err := s.Sync(t.Context(), sampleOrder("A"))
			require.NoError(t, err)
			require.Equal(t, tt.want, states(r[0]))
			require.Contains(t, r[0].Results[0].Shipments[1].Reason, tt.reason)
			// Failed shipments were released: a new claim succeeds at once.
			_, err = ledger.Claim(t.Context(), tracking.LedgerKey{Channel: "shopify", Store: "demo-shop.myshopify.com", OrderID: "A", ShipmentID: "A-S2"}, "other", time.Minute)
			require.NoError(t, err)
		})
	}
}

func TestSyncTrackingNumberChange(t *testing.T) {
	t.Run("updater", func(t *testing.T) {
		shop := trackingtest.NewExporter(tracking.ChannelShopify)
		s := newSyncer(t, tracking.WithExporters(shop))
		first, err := s.Sync(t.Context(), sampleOrder("A"))
		require.NoError(t, err)
		o := sampleOrder("A")
		o.Shipments[1].TrackingNumber = "00340434161094042564"
		r, err := s.Sync(t.Context(), o)
		require.NoError(t, err)
		require.Equal(t, []string{"shopify/A-S1=already_pushed", "shopify/A-S2=pushed"}, states(r[0]))
		require.Equal(t, first[0].Results[0].Shipments[1].RemoteID, r[0].Results[0].Shipments[1].RemoteID, "same remote object, updated")
		pushes := shop.Pushes()
		require.Len(t, pushes, 2, "an update, never a second push")
		require.Equal(t, "00340434161094042564", pushes[1].TrackingNumber)
		require.Equal(t, 1, pushes[1].Updates)
		// And the ledger now holds the new number: a third run is a no-op.
		r, err = s.Sync(t.Context(), o)
		require.NoError(t, err)
		require.Equal(t, []string{"shopify/A-S1=already_pushed", "shopify/A-S2=already_pushed"}, states(r[0]))
	})
	t.Run("exporter that cannot update", func(t *testing.T) {
		calls := 0
		exp := scripted{tracking.ChannelShopify, func(_ context.Context, o tracking.Order) (tracking.Result, error) {
			calls++
			var res tracking.Result
			for _, s := range o.Shipments {
				res.Shipments = append(res.Shipments, tracking.ShipmentResult{ShipmentID: s.ID, State: tracking.Pushed, RemoteID: "r-" + s.ID})
			}
			return res, nil
		}}
		s := newSyncer(t, tracking.WithExporters(exp))
		_, err := s.Sync(t.Context(), sampleOrder("A"))
		require.NoError(t, err)
		o := sampleOrder("A")
		o.Shipments[0].TrackingNumber = "3SABCD7654321"
		r, err := s.Sync(t.Context(), o)
		require.NoError(t, err)
		require.Equal(t, []string{"shopify/A-S1=failed", "shopify/A-S2=already_pushed"}, states(r[0]))
		require.ErrorIs(t, r[0].Results[0].Shipments[0].Err, tracking.ErrTrackingChanged)
		require.Equal(t, 1, calls, "no second push")
	})
}

func TestSyncShipmentClaimedByAnotherWorker(t *testing.T) {
	ledger := tracking.NewMemoryLedger()
	shop := trackingtest.NewExporter(tracking.ChannelShopify)
	s := newSyncer(t, tracking.WithExporters(shop), tracking.WithLedger(ledger), tracking.WithOwner("worker-a"))
	_, err := ledger.Claim(t.Context(), tracking.LedgerKey{Channel: "shopify", Store: "demo-shop.myshopify.com", OrderID: "A", ShipmentID: "A-S1"}, "worker-b", time.Hour)
	require.NoError(t, err)

	r, err := s.Sync(t.Context(), sampleOrder("A"))
	require.NoError(t, err)
	require.Equal(t, []string{"shopify/A-S1=waiting", "shopify/A-S2=pushed"}, states(r[0]))
	require.Contains(t, r[0].Results[0].Shipments[0].Reason, "worker-b")
	require.Len(t, shop.Calls()[0].Shipments, 1)
}

func TestSyncCommitsEvenWhenTheContextEndsDuringThePush(t *testing.T) {
	ledger := tracking.NewMemoryLedger()
	shop := trackingtest.NewExporter(tracking.ChannelShopify)
	ctx, cancel := context.WithCancel(t.Context())
	shop.SetHook(func(context.Context, tracking.Order) error { cancel(); return nil })
	s := newSyncer(t, tracking.WithExporters(shop), tracking.WithLedger(ledger))
	r, err := s.Sync(ctx, sampleOrder("A"))
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, []string{"shopify/A-S1=pushed", "shopify/A-S2=pushed"}, states(r[0]))
	_, ok, err := ledger.Lookup(t.Context(), tracking.LedgerKey{Channel: "shopify", Store: "demo-shop.myshopify.com", OrderID: "A", ShipmentID: "A-S1"})
	require.NoError(t, err)
	require.True(t, ok, "the push that happened is recorded")
}

// overlap counts calls in flight, overall and per store.
type overlap struct {
	mu         sync.Mutex
	inFlight   int
	max        int
	perStore   map[string]int
	storeClash bool
}

func (w *overlap) hook(d time.Duration) func(ctx context.Context, o tracking.Order) error {
	return func(ctx context.Context, o tracking.Order) error {
		w.mu.Lock()
		w.inFlight++
		w.max = max(w.max, w.inFlight)
		if w.perStore[o.Store]++; w.perStore[o.Store] > 1 {
			w.storeClash = true
		}
		w.mu.Unlock()
		time.Sleep(d) // fake time: the test runs in a synctest bubble
		w.mu.Lock()
		w.inFlight--
		w.perStore[o.Store]--
		w.mu.Unlock()
		return nil
	}
}

func TestSyncConcurrencyBound(t *testing.T) {
	for _, n := range []int{1, 3, 8} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				w := &overlap{perStore: map[string]int{}}
				shop := trackingtest.NewExporter(tracking.ChannelShopify)
				shop.SetHook(w.hook(time.Second))
				s := newSyncer(t, tracking.WithExporters(shop), tracking.WithConcurrency(n))
				start := time.Now()
				results, err := s.Sync(t.Context(), sampleOrders(24, 24, tracking.ChannelShopify)...)
				require.NoError(t, err)
				require.Len(t, results, 24)
				require.Equal(t, n, w.max, "exactly the bound runs at once")
				require.Equal(t, time.Duration((24+n-1)/n)*time.Second, time.Since(start))
			})
		})
	}
}

func TestSyncSerializesStoresWhenTheExporterAsks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := &overlap{perStore: map[string]int{}}
		shop := trackingtest.NewExporter(tracking.ChannelShopify, trackingtest.WithSerializeStore())
		shop.SetHook(w.hook(time.Second))
		s := newSyncer(t, tracking.WithExporters(shop), tracking.WithConcurrency(8))
		orders := sampleOrders(40, 4, tracking.ChannelShopify) // 10 orders in each of 4 stores

		// Two concurrent calls over the same stores must not overlap either.
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() {
				_, err := s.Sync(t.Context(), orders...)
				require.NoError(t, err)
			})
		}
		wg.Wait()
		require.False(t, w.storeClash, "two orders of one store ran at once")
		require.Equal(t, 4, w.max, "stores still run in parallel")
		require.Len(t, shop.Calls(), 40, "the second call found everything in the ledger")
	})
}

func TestSyncWithoutSerializationOverlapsOneStore(t *testing.T) {
	// The counterpart of the test above: proves the overlap detector works.
	synctest.Test(t, func(t *testing.T) {
		w := &overlap{perStore: map[string]int{}}
		shop := trackingtest.NewExporter(tracking.ChannelShopify)
		shop.SetHook(w.hook(time.Second))
		s := newSyncer(t, tracking.WithExporters(shop), tracking.WithConcurrency(4))
		_, err := s.Sync(t.Context(), sampleOrders(8, 1, tracking.ChannelShopify)...)
		require.NoError(t, err)
		require.True(t, w.storeClash)
	})
}

func TestSyncResultsInInputOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		shop := trackingtest.NewExporter(tracking.ChannelShopify)
		orders := sampleOrders(30, 30, tracking.ChannelShopify)
		// Later orders finish first.
		shop.SetHook(func(_ context.Context, o tracking.Order) error {
			var n int
			_, _ = fmt.Sscanf(o.ID, "O%d", &n)
			time.Sleep(time.Duration(30-n) * time.Millisecond)
			return nil
		})
		s := newSyncer(t, tracking.WithExporters(shop), tracking.WithConcurrency(30))
		results, err := s.Sync(t.Context(), orders...)
		require.NoError(t, err)
		for i, r := range results {
			require.Equal(t, orders[i].ID, r.OrderID)
		}
		require.Equal(t, "O29", shop.Calls()[0].ID, "completion order differs from input order")
	})
}

func TestSyncCancellation(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		shop := trackingtest.NewExporter(tracking.ChannelShopify)
		ctx, cancel := context.WithCancel(t.Context())
		started := make(chan struct{}, 100)
		shop.SetHook(func(ctx context.Context, _ tracking.Order) error {
			started <- struct{}{}
			<-ctx.Done() // a push that waits (e.g. for a rate limit) until cancelled
			return ctx.Err()
		})
		s := newSyncer(t, tracking.WithExporters(shop), tracking.WithConcurrency(2))
		go func() {
			<-started
			<-started
			cancel()
		}()
		results, err := s.Sync(ctx, sampleOrders(10, 10, tracking.ChannelShopify)...)
		require.ErrorIs(t, err, context.Canceled)
		require.Len(t, results, 10)
		for _, r := range results {
			require.ErrorIs(t, r.Err, context.Canceled)
			for _, st := range states(r) {
				require.Contains(t, st, "=failed")
			}
		}
		// synctest.Test fails the test if any goroutine of the call is still alive.
	})
}

func TestStreamYieldsAsOrdersFinishAndStopsOnBreak(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		shop := trackingtest.NewExporter(tracking.ChannelShopify)
		shop.SetHook(func(ctx context.Context, _ tracking.Order) error {
			select {
			case <-time.After(time.Second):
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
		s := newSyncer(t, tracking.WithExporters(shop), tracking.WithConcurrency(2))
		orders := sampleOrders(10, 10, tracking.ChannelShopify)
		seen := map[int]bool{}
		for i, r := range s.Stream(t.Context(), orders) {
			require.Equal(t, orders[i].ID, r.OrderID)
			require.NoError(t, r.Err)
			seen[i] = true
			if len(seen) == 3 {
				break
			}
		}
		require.Len(t, seen, 3)
		require.Less(t, len(shop.Pushes()), 10*2, "the rest was cancelled")
	})
}

func TestNewSyncerRejectsBadConfig(t *testing.T) {
	shop := trackingtest.NewExporter(tracking.ChannelShopify)
	tests := []struct {
		name string
		opts []tracking.Option
		text string
	}{
		{"no exporters", nil, "no exporters"},
		{"zero concurrency", []tracking.Option{tracking.WithExporters(shop), tracking.WithConcurrency(0)}, "concurrency 0"},
		{"bad lease", []tracking.Option{tracking.WithExporters(shop), tracking.WithLeaseTTL(0)}, "lease TTL"},
		{"nil logger", []tracking.Option{tracking.WithExporters(shop), tracking.WithLogger(nil)}, "nil logger"},
		{"nil exporter", []tracking.Option{tracking.WithExporters(nil)}, "exporter 0 is nil"},
		{"malformed channel", []tracking.Option{tracking.WithExporters(trackingtest.NewExporter("e Bay"))}, `channel "e Bay"; want lower-case`},
		{"same channel twice", []tracking.Option{tracking.WithExporters(shop, trackingtest.NewExporter(tracking.ChannelShopify))}, "distinct Purpose"},
		{"notifier without purpose beside a channel", []tracking.Option{tracking.WithExporters(shop, trackingtest.NewExporter(tracking.AllChannels))}, "distinct Purpose"},
		{"two notifiers with one purpose", []tracking.Option{tracking.WithExporters(
			trackingtest.NewExporter(tracking.AllChannels, trackingtest.WithPurpose("mail")),
			trackingtest.NewExporter(tracking.AllChannels, trackingtest.WithPurpose("mail")))}, "distinct Purpose"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tracking.NewSyncer(tt.opts...)
			require.ErrorIs(t, err, tracking.ErrConfig)
			require.ErrorContains(t, err, tt.text)
		})
	}
	_, err := tracking.NewSyncer(tracking.WithExporters(shop,
		trackingtest.NewExporter(tracking.ChannelShopify, trackingtest.WithPurpose("audit")),
		trackingtest.NewExporter(tracking.AllChannels, trackingtest.WithPurpose("mail"))))
	require.NoError(t, err)
}

func TestSyncLogsFailures(t *testing.T) {
	var buf syncBuffer
	shop := trackingtest.NewExporter(tracking.ChannelShopify)
	shop.FailShipment("A-S1", errors.New("boom"))
	s := newSyncer(t, tracking.WithExporters(shop), tracking.WithLogger(slog.New(slog.NewJSONHandler(&buf, nil))))
	_, err := s.Sync(t.Context(), sampleOrder("A"))
	require.NoError(t, err)
	require.Contains(t, buf.String(), `"msg":"shipment failed"`)
	require.Contains(t, buf.String(), `"shipment":"A-S1"`)
	require.Contains(t, buf.String(), `"msg":"shipment pushed"`)
}

type syncBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	return len(p), nil
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}

// nopExporter pushes instantly, to measure the Syncer's own cost.
type nopExporter struct{}

func (nopExporter) Channel() tracking.Channel { return tracking.ChannelShopify }
func (nopExporter) Export(_ context.Context, o tracking.Order) (tracking.Result, error) {
	res := tracking.Result{Shipments: make([]tracking.ShipmentResult, len(o.Shipments))}
	for i, s := range o.Shipments {
		res.Shipments[i] = tracking.ShipmentResult{ShipmentID: s.ID, State: tracking.Pushed, RemoteID: "r"}
	}
	return res, nil
}

// nopLedger remembers nothing, to measure the Syncer apart from a ledger.
type nopLedger struct{}

func (nopLedger) Lookup(context.Context, tracking.LedgerKey) (tracking.Record, bool, error) {
	return tracking.Record{}, false, nil
}
func (nopLedger) Claim(_ context.Context, k tracking.LedgerKey, owner string, _ time.Duration) (tracking.Lease, error) {
	return tracking.Lease{Key: k, Owner: owner}, nil
}
func (nopLedger) Commit(context.Context, tracking.Lease, tracking.Record) error { return nil }
func (nopLedger) Release(context.Context, tracking.Lease) error                 { return nil }
func (nopLedger) Note(context.Context, tracking.Lease, string) error            { return nil }
func (nopLedger) Prune(context.Context, time.Time) (int, error)                 { return 0, nil }
func (nopLedger) Renew(_ context.Context, l tracking.Lease, _ time.Duration) (tracking.Lease, error) {
	return l, nil
}

// BenchmarkSyncerOverhead measures the Syncer per order of two shipments
// (validation, routing, the ledger protocol, result assembly) with an
// exporter that does nothing: once with a ledger that does nothing (the
// Syncer's own cost) and once with a MemoryLedger. Orders are synced in
// batches of 256 with fresh ids, so none is already pushed. Each batch gets
// a fresh Syncer and ledger (outside the timer): otherwise the ledger grows
// to millions of entries over the run and the benchmark measures the
// garbage collector scanning them.
func BenchmarkSyncerOverhead(b *testing.B) {
	for _, bc := range []struct {
		name   string
		ledger func() tracking.Ledger
	}{
		{"ledger=none", func() tracking.Ledger { return nopLedger{} }},
		{"ledger=memory", func() tracking.Ledger { return tracking.NewMemoryLedger() }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			const batch = 256
			orders := sampleOrders(batch, 16, tracking.ChannelShopify)
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for done := 0; done < b.N; done += batch {
				n := min(batch, b.N-done)
				b.StopTimer()
				s := newSyncer(b, tracking.WithExporters(nopExporter{}), tracking.WithConcurrency(4), tracking.WithLedger(bc.ledger()))
				for j := range n {
					orders[j].ID = fmt.Sprintf("R%d-%d", done, j)
				}
				b.StartTimer()
				if _, err := s.Sync(ctx, orders[:n]...); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
