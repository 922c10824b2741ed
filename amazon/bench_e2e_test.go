package amazon_test

import (
	"fmt"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/shopctrl/tracksync/amazon"
	"github.com/shopctrl/tracksync/amazon/amazontest"
	"github.com/shopctrl/tracksync/mapping"
	"github.com/shopctrl/tracksync/tracking"
)

// inBubble runs f in a testing/synctest bubble from a benchmark: minutes
// and hours of usage plan pass at once on the bubble's clock.
// synctest.Test takes a *testing.T, which a benchmark does not have, so f
// runs as a test of its own through testing.RunTests.
func inBubble(b *testing.B, f func(t *testing.T)) {
	b.Helper()
	ok := testing.RunTests(func(_, _ string) (bool, error) { return true, nil },
		[]testing.InternalTest{{Name: b.Name(), F: func(t *testing.T) { synctest.Test(t, f) }}})
	if !ok {
		b.Fatal("the run in the bubble failed")
	}
}

// planEnv is the fake SP-API served in memory, sellers with clients on it
// and an Exporter: everything in the bubble, on its clock.
type planEnv struct {
	srv     *amazontest.Server
	sellers []*amazontest.Seller
	clients *amazon.SellerClients
	m       *mapping.Static
}

// newPlanEnv registers n sellers; srv was made outside the bubble (its
// loopback listener would keep the bubble's clock from moving).
func newPlanEnv(t testing.TB, srv *amazontest.Server, n int) *planEnv {
	t.Helper()
	e := &planEnv{srv: srv}
	all := map[string]amazon.Seller{}
	for i := range n {
		id := fmt.Sprintf("A%02dSELLER", i)
		c := amazontest.Credentials{ClientID: creds.ClientID, ClientSecret: creds.ClientSecret, RefreshToken: fmt.Sprintf("Atzr|refresh-%d", i)}
		e.sellers = append(e.sellers, srv.AddSeller(id, c))
		all[id] = amazon.Seller{Credentials: amazon.Credentials(c), Region: amazon.Europe}
	}
	var err error
	e.clients, err = amazon.NewSellerClients(all, amazon.WithTestEndpoints(srv.URL(), srv.LWAEndpoint()),
		amazon.WithHTTPClient(&http.Client{Transport: memTransport{srv.Handler()}}))
	if err != nil {
		t.Fatal(err)
	}
	e.m = &mapping.Static{}
	return e
}

// orders seeds n one-package orders per seller, dispatched before now.
func (e *planEnv) orders(t testing.TB, n int, tag string) []tracking.Order {
	t.Helper()
	var out []tracking.Order
	now := time.Now()
	for si, sl := range e.sellers {
		for i := range n {
			ao, err := sl.AddOrder(amazontest.OrderSeed{MarketplaceID: mktDE, PurchaseDate: now.Add(-48 * time.Hour), Items: []amazontest.ItemSeed{{SKU: "A", Quantity: 1}}})
			if err != nil {
				t.Fatal(err)
			}
			id := fmt.Sprintf("%s-%d-%d", tag, si, i)
			out = append(out, tracking.Order{ID: id, Channel: amazon.Channel, Store: sl.ID() + "/" + mktDE, ChannelOrderID: ao.AmazonOrderID,
				Status: tracking.StatusFullyShipped, Lines: []tracking.Line{{ID: "L0", ChannelLineID: ao.Items[0].OrderItemID, Quantity: 1}},
				Shipments: []tracking.Shipment{{ID: id + "/S", Warehouse: "AMS", Carrier: "ups", TrackingNumber: fmt.Sprintf("1Z%s%d%08d", tag, si, i),
					ShippedAt: now.Add(-time.Hour), Items: []tracking.Item{{LineID: "L0", Quantity: 1}}}}})
		}
	}
	return out
}

// BenchmarkExporterPlan runs the Syncer, the Exporter and the client
// against amazontest for one-package orders and reports the share of the
// confirmShipment usage plan reached in the first 60 s (%plan: the
// confirmations Amazon applied in those 60 s over the plan's 10 + 2×60 =
// 130; the worst seller when there are several) and the requests Amazon
// refused for rate (429s); %plan-attempts counts every attempt Amazon
// charged, failed ones included. Goal: ≥ 95 %plan and 0 429s, at 8 and 32
// workers, for 20 sellers at once, and with 10% of the answers 500/503.
func BenchmarkExporterPlan(b *testing.B) {
	for _, tc := range []struct {
		name             string
		sellers, workers int
		faults           float64
	}{
		{"sellers=1/workers=8", 1, 8, 0},
		{"sellers=1/workers=32", 1, 32, 0},
		{"sellers=20/workers=32", 20, 32, 0},
		{"sellers=1/workers=8/5xx=10%", 1, 8, 0.1},
		{"sellers=1/workers=32/5xx=10%", 1, 32, 0.1},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				var srvOpts []amazontest.Option
				if tc.faults > 0 {
					srvOpts = append(srvOpts, amazontest.WithServerErrors(tc.faults, 42))
				}
				srv := amazontest.NewServer(srvOpts...)
				var worst, attempts, failed float64
				inBubble(b, func(t *testing.T) {
					e := newPlanEnv(t, srv, tc.sellers)
					orders := e.orders(t, 160, "P")
					exp, err := amazon.NewExporter(e.clients, e.m)
					if err != nil {
						t.Fatal(err)
					}
					s, err := tracking.NewSyncer(tracking.WithExporters(exp), tracking.WithLedger(tracking.NewMemoryLedger()), tracking.WithConcurrency(tc.workers))
					if err != nil {
						t.Fatal(err)
					}
					start := time.Now()
					results, err := s.Sync(t.Context(), orders...)
					if err != nil {
						t.Fatal(err)
					}
					for _, r := range results {
						failed += float64(r.Counts()[tracking.Failed])
					}
					worst, attempts = 100, 100
					for _, sl := range e.sellers {
						n, charged := 0, 0
						for _, r := range srv.Requests() {
							if r.Seller != sl.ID() || r.Operation != amazontest.OpConfirmShipment || r.Time.Sub(start) > time.Minute {
								continue
							}
							if r.Status == http.StatusNoContent {
								n++
							}
							if !r.RateLimited {
								charged++
							}
						}
						worst = min(worst, 100*float64(n)/130)
						attempts = min(attempts, 100*float64(charged)/130)
					}
				})
				srv.Close()
				b.ReportMetric(worst, "%plan")
				b.ReportMetric(attempts, "%plan-attempts")
				b.ReportMetric(float64(srv.Throttled()), "429s")
				b.ReportMetric(failed, "failed")
			}
		})
	}
}
