package shopify_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/mapping"
	"github.com/shopctrl/tracksync/shopify"
	"github.com/shopctrl/tracksync/shopify/shopifytest"
	"github.com/shopctrl/tracksync/tracking"
)

// simConfig is one end-to-end run: a tracking.Syncer with the
// shopify.Exporter and its client, against an in-process shopifytest that
// charges requested cost up front and refunds requested − actual after the
// query ran, on a testing/synctest clock, so that a 15-second run takes
// only the CPU time of its requests. Every order is a one-line, fully
// shipped order of one package.
type simConfig struct {
	shops         int
	size, restore float64 // each shop's bucket
	workers       int
	duration      time.Duration
	latency       time.Duration // each request, before Shopify looks at it
	queryTime     time.Duration // each query, between charge and refund
}

func (c simConfig) String() string {
	name := fmt.Sprintf("bucket=%.0f/%.0f/workers=%d", c.size, c.restore, c.workers)
	if c.shops > 1 {
		name = fmt.Sprintf("shops=%d/", c.shops) + name
	}
	return name
}

// simResult is what a run achieved.
type simResult struct {
	fulfilled      int     // orders fulfilled by the end of the run
	ceiling        float64 // (bucket + restore × seconds) ÷ actual points per order, over the shops
	perOrder       int     // actual points one order costs
	throttled      int     // THROTTLED answers after each shop's first answer
	duplicates     int     // orders with more than one fulfillment
	readRequested  int     // the first read of an order: requested …
	readActual     int     // … and actual cost
	requestsPerOrd float64 // requests sent per fulfilled order
}

func (r simResult) share() float64 { return 100 * float64(r.fulfilled) / r.ceiling }

// simulate runs cfg; call it inside a synctest bubble.
func simulate(t *testing.T, cfg simConfig) simResult {
	srv := shopifytest.NewInProcess(shopifytest.WithBucket(cfg.size, cfg.restore),
		shopifytest.WithLatency(cfg.latency), shopifytest.WithQueryTime(cfg.queryTime))
	var res simResult
	res.perOrder, res.readRequested, res.readActual = simOrderCost(t, cfg)
	perShop := int((cfg.size+cfg.restore*cfg.duration.Seconds())/float64(res.perOrder)*1.25) + cfg.workers
	tokens := map[string]string{}
	locations := map[string]mapping.ShopifyStore{}
	refs := make([][]shopifytest.OrderRef, cfg.shops)
	shops := make([]*shopifytest.Shop, cfg.shops)
	for s := range cfg.shops {
		domain := fmt.Sprintf("sim-%02d.myshopify.com", s)
		tokens[domain] = "shpat_sim"
		shops[s] = srv.AddShop(domain, "shpat_sim")
		locations[domain] = mapping.ShopifyStore{Locations: map[string]string{"AMS": shops[s].AddLocation("Amsterdam")}}
		for range perShop {
			refs[s] = append(refs[s], shops[s].AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 1}}}))
		}
	}
	var orders []tracking.Order
	for i := range perShop { // interleaved, as a host's queue of many shops is
		for s := range cfg.shops {
			orders = append(orders, simOrder(shops[s].Domain(), refs[s][i], i))
		}
	}
	syncer := simSyncer(t, srv, tokens, locations, cfg.workers)
	start := time.Now()
	ctx, cancel := context.WithTimeout(t.Context(), cfg.duration)
	defer cancel()
	_, _ = syncer.Sync(ctx, orders...)
	deadline := start.Add(cfg.duration)

	for s := range cfg.shops {
		for _, ref := range refs[s] {
			fs := shops[s].Fulfillments(ref.ID)
			if len(fs) > 1 {
				res.duplicates++
			}
			if len(fs) > 0 && !fs[0].CreatedAt.After(deadline) {
				res.fulfilled++
			}
		}
	}
	res.ceiling = float64(cfg.shops) * (cfg.size + cfg.restore*cfg.duration.Seconds()) / float64(res.perOrder)
	answered := map[string]bool{}
	sent := 0
	for _, r := range srv.Requests() {
		if r.Time.After(deadline) {
			continue
		}
		sent++
		if r.Throttled && answered[r.Shop] {
			res.throttled++
		}
		if r.Status != 0 {
			answered[r.Shop] = true
		}
	}
	res.requestsPerOrd = float64(sent) / float64(max(res.fulfilled, 1))
	return res
}

// simOrderCost syncs one order alone on a shop of its own and returns the
// actual points it cost, and the requested and actual cost of its read.
func simOrderCost(t *testing.T, cfg simConfig) (total, readRequested, readActual int) {
	srv := shopifytest.NewInProcess(shopifytest.WithBucket(cfg.size, cfg.restore))
	shop := srv.AddShop("solo.myshopify.com", "shpat_sim")
	loc := shop.AddLocation("Amsterdam")
	ref := shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 1}}})
	syncer := simSyncer(t, srv, map[string]string{shop.Domain(): "shpat_sim"},
		map[string]mapping.ShopifyStore{shop.Domain(): {Locations: map[string]string{"AMS": loc}}}, 1)
	r, err := syncer.Sync(t.Context(), simOrder(shop.Domain(), ref, 0))
	require.NoError(t, err)
	require.Equal(t, tracking.Pushed, r[0].Results[0].Shipments[0].State, r[0].Results[0].Shipments[0].Reason)
	for _, req := range srv.Requests() {
		total += req.ActualCost
		if req.OperationType == "query" && readRequested == 0 {
			readRequested, readActual = req.RequestedCost, req.ActualCost
		}
	}
	return total, readRequested, readActual
}

func simSyncer(t *testing.T, srv *shopifytest.Server, tokens map[string]string, stores map[string]mapping.ShopifyStore, workers int) *tracking.Syncer {
	m, err := mapping.New(mapping.Config{Shopify: stores})
	require.NoError(t, err)
	shops, err := shopify.NewShopClients(tokens, shopify.WithHTTPClient(&http.Client{Transport: srv.Transport()}))
	require.NoError(t, err)
	exp, err := shopify.NewExporter(shops, m)
	require.NoError(t, err)
	syncer, err := tracking.NewSyncer(tracking.WithExporters(exp), tracking.WithConcurrency(workers))
	require.NoError(t, err)
	return syncer
}

func simOrder(domain string, ref shopifytest.OrderRef, i int) tracking.Order {
	return tracking.Order{ID: fmt.Sprintf("%s-%d", domain, i), Channel: shopify.Channel, Store: domain,
		ChannelOrderID: ref.ID, Status: tracking.StatusFullyShipped,
		Lines:     []tracking.Line{{ID: "L0", ChannelLineID: ref.LineItemIDs[0], Quantity: 1}},
		Shipments: []tracking.Shipment{pkg(fmt.Sprintf("S%d", i), "AMS", "postnl", fmt.Sprintf("3SDEVC%07d", i), item("L0", 1))}}
}

// inBubble runs f in a synctest bubble from a benchmark: synctest.Test
// wants a *testing.T, which testing.RunTests provides.
func inBubble(b *testing.B, f func(t *testing.T)) {
	b.Helper()
	ok := testing.RunTests(func(string, string) (bool, error) { return true, nil },
		[]testing.InternalTest{{Name: b.Name(), F: func(t *testing.T) { synctest.Test(t, f) }}})
	if !ok {
		b.Fatal("the simulation failed")
	}
}

var simConfigs = func() []simConfig {
	var out []simConfig
	for _, bucket := range [][2]float64{{2000, 100}, {1000, 50}, {20000, 1000}} {
		for _, workers := range []int{8, 32, 128} {
			out = append(out, simConfig{shops: 1, size: bucket[0], restore: bucket[1], workers: workers})
		}
	}
	return append(out, simConfig{shops: 50, size: 2000, restore: 100, workers: 128})
}()

// BenchmarkEndToEnd runs the Syncer, the Exporter and the client against
// shopifytest for 15 simulated seconds per configuration and reports the
// orders fulfilled as a share of what the bucket allows (pct-of-ceiling,
// goal ≥ 95), and THROTTLED answers after a shop's first answer (goal 0).
// Run with -benchtime=1x: one op is one whole simulated run.
func BenchmarkEndToEnd(b *testing.B) {
	for _, cfg := range simConfigs {
		cfg.duration, cfg.latency, cfg.queryTime = 15*time.Second, 5*time.Millisecond, 5*time.Millisecond
		b.Run(cfg.String(), func(b *testing.B) {
			var res simResult
			for b.Loop() {
				inBubble(b, func(t *testing.T) { res = simulate(t, cfg) })
			}
			b.ReportMetric(res.share(), "pct-of-ceiling")
			b.ReportMetric(float64(res.fulfilled), "orders")
			b.ReportMetric(res.ceiling, "ceiling")
			b.ReportMetric(float64(res.throttled), "throttled")
			b.ReportMetric(float64(res.duplicates), "duplicates")
			b.ReportMetric(float64(res.perOrder), "points/order")
			b.ReportMetric(res.requestsPerOrd, "requests/order")
		})
	}
}

// TestEndToEndSimulation checks what must hold in every run, whatever its
// speed: orders get fulfilled (also with a 200-point bucket), no THROTTLED
// after the shop's first answer, no order fulfilled twice, and a one-line
// order's read within 50 requested points.
func TestEndToEndSimulation(t *testing.T) {
	for _, cfg := range []simConfig{
		{shops: 2, size: 1000, restore: 50, workers: 32, duration: 5 * time.Second, latency: 5 * time.Millisecond, queryTime: 5 * time.Millisecond},
		{shops: 3, size: 200, restore: 100, workers: 32, duration: 5 * time.Second, latency: 30 * time.Millisecond, queryTime: 30 * time.Millisecond},
		{shops: 1, size: 2000, restore: 100, workers: 128, duration: 5 * time.Second, latency: 100 * time.Millisecond, queryTime: 100 * time.Millisecond},
	} {
		t.Run(cfg.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				res := simulate(t, cfg)
				require.Zero(t, res.throttled)
				require.Zero(t, res.duplicates)
				require.Positive(t, res.fulfilled)
				require.LessOrEqual(t, res.readRequested, 50)
				t.Logf("%d orders of %.0f, %d points each, read %d requested / %d actual", res.fulfilled, res.ceiling, res.perOrder, res.readRequested, res.readActual)
			})
		})
	}
}
