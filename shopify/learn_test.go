package shopify_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/shopify/shopifytest"
	"github.com/shopctrl/tracksync/tracking"
)

// The cost a read reserves is what Shopify reported for the same document
// and sizes the last time, not the client's estimate: Shopify may cost
// fields its own way.
func TestClientReservesTheCostShopifyReported(t *testing.T) {
	e := newEnv(t)
	ref := e.shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 1}}})
	e.srv.InjectFault(shopifytest.Fault{Operation: "order", Status: 200,
		Body: `{"data":{"order":null},"extensions":{"cost":{"requestedQueryCost":37,"actualQueryCost":1,"throttleStatus":{"maximumAvailable":2000.0,"currentlyAvailable":1999,"restoreRate":100.0}}}}`})
	client, err := e.clients.Client(t.Context(), shopDomain)
	require.NoError(t, err)
	var seen events
	ctx := tracking.ContextWithObserver(t.Context(), &seen)
	for range 2 {
		_, _, _ = client.Order(ctx, ref.ID)
	}
	require.Len(t, seen.requests, 2)
	fakes := float64(e.srv.Requests()[1].RequestedCost) // the fake's own count of the document
	require.Equal(t, []float64{fakes, 37}, []float64{seen.requests[0].Cost, seen.requests[1].Cost},
		"estimated (as the fake counts it), then what Shopify reported")
}
