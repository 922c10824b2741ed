package shopify_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/mapping"
	"github.com/shopctrl/tracksync/shopify"
	"github.com/shopctrl/tracksync/shopify/shopifytest"
	"github.com/shopctrl/tracksync/tracking"
)

// renewFails is a ledger whose leases cannot be renewed: the Syncer marks
// them lost at the first renewal.
type renewFails struct{ tracking.Ledger }

func (renewFails) Renew(context.Context, tracking.Lease, time.Duration) (tracking.Lease, error) {
	return tracking.Lease{}, errors.New("ledger unreachable")
}

// A write is fenced by the Syncer's lease: once a renewal failed, nothing
// is sent for the shipment.
func TestExportWritesNothingOnceTheLeaseIsLost(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// The read takes 2 s; the lease (3 s) is renewed, and lost, at 1 s.
		srv, shop, ref, exp := inProcessShop(t, shopifytest.WithLatency(2*time.Second))
		syncer, err := tracking.NewSyncer(tracking.WithExporters(exp), tracking.WithLeaseTTL(3*time.Second),
			tracking.WithLedger(renewFails{tracking.NewMemoryLedger()}))
		require.NoError(t, err)
		r, err := syncer.Sync(t.Context(), hostOrder(ref, []int{1}, pkg("S1", "AMS", "ups", "1Z999AA10123456784", item("L0", 1))))
		require.NoError(t, err)
		s := r[0].Results[0].Shipments[0]
		require.Equal(t, tracking.Failed, s.State)
		require.ErrorIs(t, s.Err, tracking.ErrLeaseLost)
		require.True(t, s.Retryable)
		require.Empty(t, shop.Fulfillments(ref.ID))
		for _, req := range srv.Requests() {
			require.Equal(t, "query", req.OperationType, "no write was sent")
		}
	})
}

// events records what an Observer is told.
type events struct {
	mu       sync.Mutex
	requests []tracking.RequestEvent
}

func (e *events) ShipmentDone(context.Context, tracking.ShipmentEvent) {}
func (e *events) RequestDone(_ context.Context, r tracking.RequestEvent) {
	e.mu.Lock()
	defer e.mu.Unlock()
	r.Duration = 0
	e.requests = append(e.requests, r)
}

// The client tells the Syncer's Observer about every HTTP attempt.
func TestClientReportsEveryAttempt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, _, ref, exp := inProcessShop(t, shopifytest.WithLatency(10*time.Millisecond))
		srv.InjectFault(shopifytest.Fault{Operation: "order", Status: http.StatusServiceUnavailable})
		srv.InjectFault(shopifytest.Fault{Operation: "fulfillmentCreate", Status: 200,
			Body: `{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}],"extensions":{"cost":{"requestedQueryCost":10,"actualQueryCost":null,"throttleStatus":{"maximumAvailable":2000.0,"currentlyAvailable":1980,"restoreRate":100.0}}}}`})
		var seen events
		syncer, err := tracking.NewSyncer(tracking.WithExporters(exp), tracking.WithObserver(&seen))
		require.NoError(t, err)
		r, err := syncer.Sync(t.Context(), hostOrder(ref, []int{1}, pkg("S1", "AMS", "ups", "1Z999AA10123456784", item("L0", 1))))
		require.NoError(t, err)
		require.Equal(t, tracking.Pushed, r[0].Results[0].Shipments[0].State)

		type seenEvent struct {
			Op        string
			Status    int
			Attempt   int
			Cost      float64
			Throttled bool
		}
		var got []seenEvent
		for _, e := range seen.requests {
			require.Equal(t, shopify.Channel, e.Channel)
			require.Equal(t, shopDomain, e.Store)
			got = append(got, seenEvent{e.Operation, e.Status, e.Attempt, e.Cost, e.Throttled})
		}
		require.Equal(t, []seenEvent{
			{"graphql:query", 503, 1, 16, false}, // retried by the transport
			{"graphql:query", 200, 2, 16, false},
			{"graphql:mutation", 200, 1, 10, true}, // retried after the bucket refilled
			{"graphql:mutation", 200, 2, 10, false},
		}, got)
	})
}

// inProcessShop is an in-process fake with the test shop, a warehouse
// "AMS" and a one-line order, and an exporter for it.
func inProcessShop(t *testing.T, opts ...shopifytest.Option) (*shopifytest.Server, *shopifytest.Shop, shopifytest.OrderRef, *shopify.Exporter) {
	t.Helper()
	srv := shopifytest.NewInProcess(opts...)
	shop := srv.AddShop(shopDomain, shopToken)
	ams := shop.AddLocation("Amsterdam")
	ref := shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 1}}})
	m, err := mapping.New(mapping.Config{Shopify: map[string]mapping.ShopifyStore{shopDomain: {Locations: map[string]string{"AMS": ams}}}})
	require.NoError(t, err)
	shops, err := shopify.NewShopClients(map[string]string{shopDomain: shopToken}, shopify.WithHTTPClient(&http.Client{Transport: srv.Transport()}))
	require.NoError(t, err)
	exp, err := shopify.NewExporter(shops, m)
	require.NoError(t, err)
	return srv, shop, ref, exp
}

// The Syncer's logger reaches the exporter and its clients.
func TestSyncerLoggerReachesTheClient(t *testing.T) {
	var logs strings.Builder
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	e := newEnv(t)
	ref := e.shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 1}}, FulfillmentOrders: []shopifytest.FOSeed{{Location: e.ams}}})
	e.srv.InjectFault(shopifytest.Fault{Operation: "fulfillmentCreate", Status: 200,
		Body: `{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}],"extensions":{"cost":{"requestedQueryCost":10,"actualQueryCost":null,"throttleStatus":{"maximumAvailable":2000.0,"currentlyAvailable":1980,"restoreRate":100.0}}}}`})
	syncer, err := tracking.NewSyncer(tracking.WithExporters(e.exporter), tracking.WithLogger(logger))
	require.NoError(t, err)
	_, err = syncer.Sync(t.Context(), hostOrder(ref, []int{1}, pkg("S1", "AMS", "ups", "1Z999AA10123456784", item("L0", 1))))
	require.NoError(t, err)
	require.Contains(t, logs.String(), "shopify throttled the request", "the client's warning")
	require.NotContains(t, logs.String(), shopToken)
}
