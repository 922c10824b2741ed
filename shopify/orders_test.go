package shopify_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/shopify"
	"github.com/shopctrl/tracksync/shopify/shopifytest"
	"github.com/shopctrl/tracksync/tracking"
)

func TestOrderReadsEveryPage(t *testing.T) {
	e := newEnv(t)
	// 18 lines: the first fulfillment order holds 12 (past a page of 10
	// line items), six more hold one each (past a page of 5 fulfillment
	// orders).
	seed := shopifytest.OrderSeed{}
	for i := range 18 {
		seed.Lines = append(seed.Lines, shopifytest.LineSeed{SKU: fmt.Sprint("SKU", i), Quantity: 1})
	}
	first := shopifytest.FOSeed{Location: e.ams}
	for i := range 12 {
		first.Lines = append(first.Lines, shopifytest.FOLineSeed{Line: i, Quantity: 1})
	}
	seed.FulfillmentOrders = append(seed.FulfillmentOrders, first)
	for i := 12; i < 18; i++ {
		seed.FulfillmentOrders = append(seed.FulfillmentOrders, shopifytest.FOSeed{Location: e.ams, Lines: []shopifytest.FOLineSeed{{Line: i, Quantity: 1}}})
	}
	ref := e.shop.AddOrder(seed)
	client, err := e.clients.Client(t.Context(), shopDomain)
	require.NoError(t, err)

	o, _, err := client.Order(t.Context(), ref.ID)
	require.NoError(t, err)
	require.Len(t, o.FulfillmentOrders, 7)
	require.Len(t, o.FulfillmentOrders[0].LineItems, 12)
	for i, fo := range o.FulfillmentOrders {
		require.Equal(t, ref.FulfillmentOrderIDs[i], fo.ID)
		require.Equal(t, e.ams, fo.LocationID)
		require.True(t, fo.Supports("CREATE_FULFILLMENT"))
	}

	// Twelve packages, one per line: the read after them pages through
	// more than the first read's ten fulfillments.
	var ships []tracking.Shipment
	host := hostOrder(ref, ones(18))
	for i := range 12 {
		ships = append(ships, pkg(fmt.Sprint("S", i), "AMS", "postnl", fmt.Sprintf("3SDEVC%07d", i), item(fmt.Sprint("L", i), 1)))
	}
	host.Shipments = ships
	host.Status = tracking.StatusPartiallyShipped
	exp, err := shopify.NewExporter(e.clients, mustMapping(t, e), shopify.WithEachShipment())
	require.NoError(t, err)
	res, err := exp.Export(t.Context(), host)
	require.NoError(t, err)
	for _, s := range res.Shipments {
		require.Equal(t, tracking.Pushed, s.State, s.Reason)
	}
	o, _, err = client.Order(t.Context(), ref.ID)
	require.NoError(t, err)
	require.Len(t, o.Fulfillments, 12)
	// And a repeat recognizes all twelve, including those past the first ten.
	res, err = exp.Export(t.Context(), host)
	require.NoError(t, err)
	for _, s := range res.Shipments {
		require.Equal(t, tracking.AlreadyPushed, s.State, s.Reason)
	}
}

func ones(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = 1
	}
	return out
}
