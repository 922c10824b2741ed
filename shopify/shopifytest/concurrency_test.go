package shopifytest_test

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/shopify/shopifytest"
)

// TestConcurrentFulfillments races clients for the last units of an order
// while others read and inspect: exactly as many units ship as exist, and
// -race sees no data race.
func TestConcurrentFulfillments(t *testing.T) {
	srv := shopifytest.NewServer(shopifytest.WithBucket(1e6, 1e6))
	defer srv.Close()
	shop := srv.AddShop(testDomain, testToken)
	const units, workers, tries = 20, 8, 4 // 32 attempts for 20 units
	ref := shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: units}}})
	fo, line := ref.FulfillmentOrderIDs[0], ref.FOLineItemIDs[0][0]

	var shipped, refused atomic.Int32
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := newClient(t, srv)
			for range tries {
				r, err := c.try(createMutation, fulfillmentVars(foInput(fo, line, 1)))
				if err != nil || r.Status != 200 {
					t.Errorf("request failed: %v %d", err, r.Status)
					return
				}
				if len(userErrorsOf(r, "fulfillmentCreate")) == 0 {
					shipped.Add(1)
				} else {
					refused.Add(1)
				}
				if _, err := c.try(`query($id: ID!) { order(id: $id) { displayFulfillmentStatus fulfillments(first: 50) { name } } }`, map[string]any{"id": ref.ID}); err != nil {
					t.Error(err)
				}
				shop.FulfillmentOrders(ref.ID)
				shop.Bucket()
				srv.Requests()
			}
		}()
	}
	wg.Wait()
	require.EqualValues(t, units, shipped.Load())
	require.EqualValues(t, workers*tries-units, refused.Load())
	require.Len(t, shop.Fulfillments(ref.ID), units)
	require.Equal(t, "FULFILLED", shop.DisplayFulfillmentStatus(ref.ID))
	require.Len(t, srv.Requests(), 2*workers*tries)

	// Fulfillment names stay unique under concurrency.
	names := map[string]bool{}
	for _, f := range shop.Fulfillments(ref.ID) {
		require.False(t, names[f.Name], f.Name)
		names[f.Name] = true
	}
}

func TestConcurrentSeedingAndFaults(t *testing.T) {
	srv := shopifytest.NewServer()
	defer srv.Close()
	shop := srv.AddShop(testDomain, testToken)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := newClient(t, srv)
			for range 5 {
				ref := shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "A", Quantity: 2}}})
				srv.InjectFault(shopifytest.Fault{Status: 500})
				_ = shop.Hold(ref.FulfillmentOrderIDs[0], "OTHER")
				_ = shop.Release(ref.FulfillmentOrderIDs[0])
				if _, err := c.try(`{ shop { id } }`, nil); err != nil {
					t.Error(err)
				}
				srv.Throttled()
			}
		}()
	}
	wg.Wait()
	require.Len(t, srv.Requests(), 20)
}
