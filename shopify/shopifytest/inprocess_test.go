package shopifytest_test

import (
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/shopify/shopifytest"
)

// An in-process fake runs on the bubble's clock: latency and query time
// pass without real waiting, and a request that arrives while another
// query runs sees that query's charge without its refund.
func TestInProcessChargesUpFrontAndRefundsAfterTheQuery(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := shopifytest.NewInProcess(shopifytest.WithBucket(100, 1), shopifytest.WithQueryTime(time.Second))
		require.Empty(t, srv.URL())
		shop := srv.AddShop(testDomain, testToken)
		ref := shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 1}}})
		c := newClient(t, srv)
		// 1 + 2 + 50 requested, 1 + 2 + 1 actual.
		const q = `query($id: ID!) { order(id: $id) { lineItems(first: 50) { nodes { id } } } }`
		vars := map[string]any{"id": ref.ID}

		start := time.Now()
		var first response
		var wg sync.WaitGroup
		wg.Go(func() { first = c.do(q, vars) })
		time.Sleep(500 * time.Millisecond)
		second := c.do(q, vars) // 100 − 53 + 0.5 restored: 47 < 53
		require.Equal(t, []string{"THROTTLED"}, second.errorCodes())
		require.EqualValues(t, 47, second.throttle()["currentlyAvailable"])
		wg.Wait()
		require.Equal(t, time.Second, time.Since(start), "the query took its time on the bubble's clock")
		require.Empty(t, first.errors())
		// 100 − 53, one second restored (capped at 100), then 49 refunded.
		require.EqualValues(t, 97, first.throttle()["currentlyAvailable"])
		require.EqualValues(t, 4, first.cost()["actualQueryCost"])
	})
}

func TestInProcessDroppedConnection(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := shopifytest.NewInProcess()
		shop := srv.AddShop(testDomain, testToken)
		ref := shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 1}}})
		srv.InjectFault(shopifytest.Fault{Operation: "fulfillmentCreate", DropAfterCommit: true})
		_, err := newClient(t, srv).try(createMutation, fulfillmentVars(foInput(ref.FulfillmentOrderIDs[0])))
		require.ErrorIs(t, err, shopifytest.ErrDropped)
		require.Len(t, shop.Fulfillments(ref.ID), 1, "committed, then dropped")
	})
}
