package shopify_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/mapping"
	"github.com/shopctrl/tracksync/shopify"
	"github.com/shopctrl/tracksync/shopify/shopifytest"
	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/carrier"
)

const (
	shopDomain = "demo.myshopify.com"
	shopToken  = "shpat_test_token_0001"
)

// env is a fake shop with two warehouses and an exporter pointed at it.
type env struct {
	srv      *shopifytest.Server
	shop     *shopifytest.Shop
	ams, ber string // location ids
	exporter *shopify.Exporter
	clients  *shopify.ShopClients
}

func newEnv(t *testing.T, opts ...shopify.ExporterOption) *env {
	t.Helper()
	srv := shopifytest.NewServer()
	t.Cleanup(srv.Close)
	e := &env{srv: srv, shop: srv.AddShop(shopDomain, shopToken)}
	e.ams = e.shop.AddLocation("Amsterdam")
	e.ber = e.shop.AddLocation("Berlin")
	m, err := mapping.New(mapping.Config{Shopify: map[string]mapping.ShopifyStore{
		shopDomain: {Locations: map[string]string{"AMS": e.ams, "BER": e.ber}},
	}})
	require.NoError(t, err)
	e.clients, err = shopify.NewShopClients(map[string]string{shopDomain: shopToken}, shopify.WithBaseURL(srv.URL()))
	require.NoError(t, err)
	e.exporter, err = shopify.NewExporter(e.clients, m, opts...)
	require.NoError(t, err)
	return e
}

// order builds the host's view of a seeded Shopify order: line i of the
// seed is host line "L<i>".
func hostOrder(ref shopifytest.OrderRef, quantities []int, shipments ...tracking.Shipment) tracking.Order {
	o := tracking.Order{ID: "H-" + ref.ID[len(ref.ID)-1:], Channel: shopify.Channel, Store: shopDomain,
		ChannelOrderID: ref.ID, Status: tracking.StatusFullyShipped, Shipments: shipments}
	for i, id := range ref.LineItemIDs {
		o.Lines = append(o.Lines, tracking.Line{ID: fmt.Sprintf("L%d", i), ChannelLineID: id, Quantity: quantities[i]})
	}
	return o
}

func pkg(id, warehouse, carrierCode, number string, items ...tracking.Item) tracking.Shipment {
	return tracking.Shipment{ID: id, Warehouse: warehouse, Carrier: carrierCode, TrackingNumber: number,
		ShippedAt: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC), Items: items}
}

func item(line string, q int) tracking.Item { return tracking.Item{LineID: line, Quantity: q} }

func states(r tracking.Result) []string {
	var out []string
	for _, s := range r.Shipments {
		out = append(out, s.ShipmentID+"="+string(s.State))
	}
	return out
}

func TestExportSinglePackage(t *testing.T) {
	e := newEnv(t)
	ref := e.shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 2}, {SKU: "TEE", Quantity: 1}},
		FulfillmentOrders: []shopifytest.FOSeed{{Location: e.ams}}})
	o := hostOrder(ref, []int{2, 1}, pkg("S1", "AMS", "ups", "1Z999AA10123456784", item("L0", 2), item("L1", 1)))
	require.NoError(t, o.Validate())

	res, err := e.exporter.Export(t.Context(), o)
	require.NoError(t, err)
	require.Equal(t, []string{"S1=pushed"}, states(res))

	fs := e.shop.Fulfillments(ref.ID)
	require.Len(t, fs, 1)
	require.Equal(t, res.Shipments[0].RemoteID, fs[0].ID)
	require.Equal(t, e.ams, fs[0].LocationID)
	require.Equal(t, []shopifytest.Tracking{{Company: "UPS", Number: "1Z999AA10123456784", URL: "https://www.ups.com/track?tracknum=1Z999AA10123456784"}}, fs[0].Tracking)
	require.False(t, fs[0].NotifyCustomer, "customers get tracksync's own emails by default")
	require.Equal(t, "FULFILLED", e.shop.DisplayFulfillmentStatus(ref.ID))
	require.Len(t, e.srv.Requests(), 2, "one read, one write")
}

func TestExportThreePackagesFromTwoWarehousesMovesFirst(t *testing.T) {
	e := newEnv(t)
	// Shopify assigned everything to Amsterdam; one package left Berlin.
	ref := e.shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 3}, {SKU: "TEE", Quantity: 1}, {SKU: "POSTER", Quantity: 1}},
		FulfillmentOrders: []shopifytest.FOSeed{{Location: e.ams}}})
	o := hostOrder(ref, []int{3, 1, 1},
		pkg("S1", "AMS", "postnl", "3SDEVC1234567", item("L0", 1), item("L1", 1)),
		pkg("S2", "AMS", "postnl", "3SDEVC7654321", item("L0", 2)),
		pkg("S3", "BER", "dhl-paket", "00340434161094042557", item("L2", 1)))
	require.NoError(t, o.Validate())

	res, err := e.exporter.Export(t.Context(), o)
	require.NoError(t, err)
	require.Equal(t, []string{"S1=pushed", "S2=pushed", "S3=pushed"}, states(res))

	byNumber := map[string]shopifytest.Fulfillment{}
	for _, f := range e.shop.Fulfillments(ref.ID) {
		byNumber[f.Tracking[0].Number] = f
	}
	require.Len(t, byNumber, 3)
	require.Equal(t, e.ams, byNumber["3SDEVC1234567"].LocationID)
	require.Equal(t, e.ams, byNumber["3SDEVC7654321"].LocationID)
	require.Equal(t, e.ber, byNumber["00340434161094042557"].LocationID)
	require.Equal(t, "DHL", byNumber["00340434161094042557"].Tracking[0].Company)
	require.Len(t, byNumber["3SDEVC7654321"].Lines, 1)
	require.Equal(t, 2, byNumber["3SDEVC7654321"].Lines[0].Quantity, "partial quantity of a line")
	require.Equal(t, "FULFILLED", e.shop.DisplayFulfillmentStatus(ref.ID))
}

func TestExportManyPackagesInTwoRequests(t *testing.T) {
	e := newEnv(t)
	ref := e.shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "BOX", Quantity: 6}}, FulfillmentOrders: []shopifytest.FOSeed{{Location: e.ams}}})
	var ships []tracking.Shipment
	for i := range 6 {
		ships = append(ships, pkg(fmt.Sprintf("S%d", i), "AMS", "ups", fmt.Sprintf("1ZTEST%012d", i), item("L0", 1)))
	}
	res, err := e.exporter.Export(t.Context(), hostOrder(ref, []int{6}, ships...))
	require.NoError(t, err)
	ups, _ := carrier.Lookup("ups")
	for i, s := range res.Shipments {
		require.Equal(t, tracking.Pushed, s.State, s.Reason)
		// Numbers whose UPS check digit is wrong are pushed with a warning.
		require.Equal(t, ups.Validate(ships[i].TrackingNumber) != nil, len(s.Warnings) == 1, ships[i].TrackingNumber)
	}
	require.Len(t, e.shop.Fulfillments(ref.ID), 6)
	require.Len(t, e.srv.Requests(), 2, "one read and one batched write, whatever the package count")
}

func TestExportWaitsUntilFullyShipped(t *testing.T) {
	e := newEnv(t)
	ref := e.shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 2}}, FulfillmentOrders: []shopifytest.FOSeed{{Location: e.ams}}})
	o := hostOrder(ref, []int{2}, pkg("S1", "AMS", "ups", "1Z999AA10123456784", item("L0", 1)))
	o.Status = tracking.StatusPartiallyShipped
	res, err := e.exporter.Export(t.Context(), o)
	require.NoError(t, err)
	require.Equal(t, []string{"S1=waiting"}, states(res))
	require.Contains(t, res.Shipments[0].Reason, "fully shipped")
	require.Empty(t, e.srv.Requests())

	// With WithEachShipment the package goes at once.
	e2 := newEnv(t, shopify.WithEachShipment())
	ref = e2.shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 2}}, FulfillmentOrders: []shopifytest.FOSeed{{Location: e2.ams}}})
	o = hostOrder(ref, []int{2}, pkg("S1", "AMS", "ups", "1Z999AA10123456784", item("L0", 1)), pkg("S2", "AMS", "ups", "", item("L0", 1)))
	o.Status = tracking.StatusPartiallyShipped
	res, err = e2.exporter.Export(t.Context(), o)
	require.NoError(t, err)
	require.Equal(t, []string{"S1=pushed", "S2=waiting"}, states(res))
	require.Equal(t, "PARTIALLY_FULFILLED", e2.shop.DisplayFulfillmentStatus(ref.ID))
}

func TestExportMissingMappingFailsThatPackage(t *testing.T) {
	e := newEnv(t)
	ref := e.shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 2}}, FulfillmentOrders: []shopifytest.FOSeed{{Location: e.ams}}})
	o := hostOrder(ref, []int{2},
		pkg("S1", "AMS", "ups", "1Z999AA10123456784", item("L0", 1)),
		pkg("S2", "RTM", "ups", "1Z999AA10123456795", item("L0", 1)),
		pkg("S3", "AMS", "bike-courier", "BK-1", item("L0", 0)))
	o.Shipments[2].Items[0].Quantity = 1
	o.Lines[0].Quantity = 3
	res, err := e.exporter.Export(t.Context(), o)
	require.NoError(t, err)
	require.Equal(t, []string{"S1=pushed", "S2=failed", "S3=failed"}, states(res))
	require.ErrorIs(t, res.Shipments[1].Err, mapping.ErrNotMapped)
	require.Contains(t, res.Shipments[1].Reason, `add "RTM": "gid://shopify/Location/<id>"`)
	require.ErrorIs(t, res.Shipments[2].Err, mapping.ErrNotMapped)
	require.Len(t, e.shop.Fulfillments(ref.ID), 1)
}

func TestExportOnHoldWaits(t *testing.T) {
	e := newEnv(t)
	ref := e.shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 1}},
		FulfillmentOrders: []shopifytest.FOSeed{{Location: e.ams, Hold: "AWAITING_PAYMENT"}}})
	o := hostOrder(ref, []int{1}, pkg("S1", "AMS", "ups", "1Z999AA10123456784", item("L0", 1)))
	res, err := e.exporter.Export(t.Context(), o)
	require.NoError(t, err)
	require.Equal(t, []string{"S1=waiting"}, states(res))
	require.Contains(t, res.Shipments[0].Reason, "on hold (awaiting_payment)")
	require.Empty(t, e.shop.Fulfillments(ref.ID))

	require.NoError(t, e.shop.Release(ref.FulfillmentOrderIDs[0]))
	res, err = e.exporter.Export(t.Context(), o)
	require.NoError(t, err)
	require.Equal(t, []string{"S1=pushed"}, states(res))
}

func TestExportUserErrorsFailTheirPackage(t *testing.T) {
	e := newEnv(t)
	ref := e.shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 2}}, FulfillmentOrders: []shopifytest.FOSeed{{Location: e.ams}}})
	e.srv.InjectFault(shopifytest.Fault{Operation: "fulfillmentCreate", Status: 200,
		Body: `{"data":{"m0":{"fulfillment":{"id":"gid://shopify/Fulfillment/999","status":"SUCCESS"},"userErrors":[]},"m1":{"fulfillment":null,"userErrors":[{"field":["fulfillment","lineItemsByFulfillmentOrder","0","fulfillmentOrderLineItems","0","quantity"],"message":"Invalid fulfillment order line item quantity requested."}]}}}`})
	o := hostOrder(ref, []int{2}, pkg("S1", "AMS", "ups", "1Z999AA10123456784", item("L0", 1)), pkg("S2", "AMS", "ups", "1Z999AA10123456795", item("L0", 1)))
	res, err := e.exporter.Export(t.Context(), o)
	require.NoError(t, err)
	require.Equal(t, []string{"S1=pushed", "S2=failed"}, states(res))
	require.ErrorIs(t, res.Shipments[1].Err, shopify.ErrUserErrors)
	require.Contains(t, res.Shipments[1].Reason, "Invalid fulfillment order line item quantity requested.")
}

func TestExportUnauthorized(t *testing.T) {
	e := newEnv(t)
	ref := e.shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 1}}})
	bad, err := shopify.NewShopClients(map[string]string{shopDomain: "shpat_wrong"}, shopify.WithBaseURL(e.srv.URL()))
	require.NoError(t, err)
	m, _ := mapping.New(mapping.Config{Shopify: map[string]mapping.ShopifyStore{shopDomain: {Locations: map[string]string{"AMS": e.ams}}}})
	exp, err := shopify.NewExporter(bad, m)
	require.NoError(t, err)
	res, err := exp.Export(t.Context(), hostOrder(ref, []int{1}, pkg("S1", "AMS", "ups", "1Z999AA10123456784", item("L0", 1))))
	require.NoError(t, err)
	require.Equal(t, []string{"S1=failed"}, states(res))
	require.ErrorIs(t, res.Shipments[0].Err, shopify.ErrUnauthorized)
	require.NotContains(t, res.Shipments[0].Reason, "shpat_wrong")
}

func TestExportRetriesThrottled(t *testing.T) {
	e := newEnv(t)
	ref := e.shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 1}}, FulfillmentOrders: []shopifytest.FOSeed{{Location: e.ams}}})
	e.srv.InjectFault(shopifytest.Fault{Operation: "fulfillmentCreate", Status: 200,
		Body: `{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED","documentation":"https://shopify.dev/api/usage/rate-limits"}}],"extensions":{"cost":{"requestedQueryCost":10,"actualQueryCost":null,"throttleStatus":{"maximumAvailable":2000.0,"currentlyAvailable":5.0,"restoreRate":100.0}}}}`})
	res, err := e.exporter.Export(t.Context(), hostOrder(ref, []int{1}, pkg("S1", "AMS", "ups", "1Z999AA10123456784", item("L0", 1))))
	require.NoError(t, err)
	require.Equal(t, []string{"S1=pushed"}, states(res))
	require.Len(t, e.shop.Fulfillments(ref.ID), 1)
}

func TestExportAfterADroppedConnectionCreatesExactlyOneFulfillment(t *testing.T) {
	e := newEnv(t)
	ref := e.shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 2}}, FulfillmentOrders: []shopifytest.FOSeed{{Location: e.ams}}})
	e.srv.InjectFault(shopifytest.Fault{Operation: "fulfillmentCreate", DropAfterCommit: true})
	o := hostOrder(ref, []int{2}, pkg("S1", "AMS", "ups", "1Z999AA10123456784", item("L0", 1)), pkg("S2", "AMS", "ups", "1Z999AA10123456795", item("L0", 1)))
	res, err := e.exporter.Export(t.Context(), o)
	require.NoError(t, err)
	require.Equal(t, []string{"S1=pushed", "S2=pushed"}, states(res))
	fs := e.shop.Fulfillments(ref.ID)
	require.Len(t, fs, 2, "the write landed once; it was read back, not resent")
	ids := []string{fs[0].ID, fs[1].ID}
	require.ElementsMatch(t, ids, []string{res.Shipments[0].RemoteID, res.Shipments[1].RemoteID})
}

func TestExportDroppedBeforeCommitIsWrittenOnce(t *testing.T) {
	e := newEnv(t)
	ref := e.shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 1}}, FulfillmentOrders: []shopifytest.FOSeed{{Location: e.ams}}})
	e.srv.InjectFault(shopifytest.Fault{Operation: "fulfillmentCreate", DropBeforeCommit: true})
	res, err := e.exporter.Export(t.Context(), hostOrder(ref, []int{1}, pkg("S1", "AMS", "ups", "1Z999AA10123456784", item("L0", 1))))
	require.NoError(t, err)
	require.Equal(t, []string{"S1=pushed"}, states(res))
	require.Len(t, e.shop.Fulfillments(ref.ID), 1)
}

func TestExportRepeatIsReconciled(t *testing.T) {
	e := newEnv(t)
	ref := e.shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 1}}, FulfillmentOrders: []shopifytest.FOSeed{{Location: e.ams}}})
	o := hostOrder(ref, []int{1}, pkg("S1", "AMS", "ups", "1Z999AA10123456784", item("L0", 1)))
	first, err := e.exporter.Export(t.Context(), o)
	require.NoError(t, err)
	again, err := e.exporter.Export(t.Context(), o) // no ledger: the exporter's own read protects
	require.NoError(t, err)
	require.Equal(t, []string{"S1=already_pushed"}, states(again))
	require.Equal(t, first.Shipments[0].RemoteID, again.Shipments[0].RemoteID)
	require.Len(t, e.shop.Fulfillments(ref.ID), 1)
}

func TestExportFulfilledOutsideFails(t *testing.T) {
	e := newEnv(t)
	ref := e.shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 1}}, FulfillmentOrders: []shopifytest.FOSeed{{Location: e.ams}}})
	_, err := e.exporter.Export(t.Context(), hostOrder(ref, []int{1}, pkg("S1", "AMS", "ups", "1Z999AA10123456784", item("L0", 1))))
	require.NoError(t, err)
	// Another package for the same unit, under another number.
	res, err := e.exporter.Export(t.Context(), hostOrder(ref, []int{1}, pkg("S9", "AMS", "ups", "1Z999AA10123456795", item("L0", 1))))
	require.NoError(t, err)
	require.Equal(t, []string{"S9=failed"}, states(res))
	require.Contains(t, res.Shipments[0].Reason, "already fulfilled outside tracksync or under another tracking number")
}

func TestSyncerWithShopifyTrackingChangeIsAnUpdate(t *testing.T) {
	e := newEnv(t)
	ref := e.shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 1}}, FulfillmentOrders: []shopifytest.FOSeed{{Location: e.ams}}})
	s, err := tracking.NewSyncer(tracking.WithExporters(e.exporter))
	require.NoError(t, err)
	o := hostOrder(ref, []int{1}, pkg("S1", "AMS", "ups", "1Z999AA10123456784", item("L0", 1)))
	r, err := s.Sync(t.Context(), o)
	require.NoError(t, err)
	require.Equal(t, tracking.Pushed, r[0].Results[0].Shipments[0].State)

	o.Shipments[0].TrackingNumber = "1Z999AA10123456795"
	r, err = s.Sync(t.Context(), o)
	require.NoError(t, err)
	sr := r[0].Results[0].Shipments[0]
	require.Equal(t, tracking.Pushed, sr.State, sr.Reason)
	fs := e.shop.Fulfillments(ref.ID)
	require.Len(t, fs, 1, "an update, never a second fulfillment")
	require.Equal(t, "1Z999AA10123456795", fs[0].Tracking[0].Number)
	require.Equal(t, "https://www.ups.com/track?tracknum=1Z999AA10123456795", fs[0].Tracking[0].URL)

	r, err = s.Sync(t.Context(), o)
	require.NoError(t, err)
	require.Equal(t, tracking.AlreadyPushed, r[0].Results[0].Shipments[0].State)
}

func TestExportStrictNumberPolicy(t *testing.T) {
	e := newEnv(t, shopify.WithNumberPolicy(mustPolicy(t, "strict")))
	ref := e.shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 1}}, FulfillmentOrders: []shopifytest.FOSeed{{Location: e.ams}}})
	res, err := e.exporter.Export(t.Context(), hostOrder(ref, []int{1}, pkg("S1", "AMS", "ups", "1Z999AA10123456785", item("L0", 1))))
	require.NoError(t, err)
	require.Equal(t, []string{"S1=failed"}, states(res))
	require.Empty(t, e.srv.Requests())
}

func TestExportCancelledContext(t *testing.T) {
	e := newEnv(t)
	ref := e.shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 1}}})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	res, err := e.exporter.Export(ctx, hostOrder(ref, []int{1}, pkg("S1", "AMS", "ups", "1Z999AA10123456784", item("L0", 1))))
	require.NoError(t, err)
	require.Equal(t, []string{"S1=failed"}, states(res))
	require.ErrorIs(t, res.Shipments[0].Err, context.Canceled)
}
