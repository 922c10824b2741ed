package shopify_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/shopctrl/tracksync/shopify"
	"github.com/shopctrl/tracksync/shopify/shopifytest"
)

// BenchmarkPacing compares the paced client with the same client with
// pacing disabled (retry on THROTTLED only) against one fake shop whose
// bucket holds 200 points and restores 1000 per second. Each op is one
// fulfillmentCreate of 10 points, so the bucket allows (200 + 1000·t)/10
// fulfillments in t seconds; %ceiling is the share of that reached, and
// throttled counts THROTTLED answers (paced: the goal is none after the
// first answer from the shop). Run with -benchtime=3s for stable figures.
func BenchmarkPacing(b *testing.B) {
	const size, rate, cost = 200.0, 1000.0, 10.0
	for _, paced := range []bool{true, false} {
		for _, workers := range []int{8, 32} {
			name := fmt.Sprintf("paced=%v/workers=%d", paced, workers)
			b.Run(name, func(b *testing.B) {
				srv := shopifytest.NewServer()
				defer srv.Close()
				shop := srv.AddShop(shopDomain, shopToken, shopifytest.ShopBucket(size, rate))
				loc := shop.AddLocation("Amsterdam")
				ref := shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "BOX", Quantity: 1 << 20}},
					FulfillmentOrders: []shopifytest.FOSeed{{Location: loc}}})
				opts := []shopify.Option{shopify.WithBaseURL(srv.URL()), shopify.WithThrottleRetries(1 << 30)} // retry-only clients starve under contention; let them finish
				if !paced {
					opts = append(opts, shopify.WithPacingDisabled())
				}
				client, err := shopify.NewClient(shopDomain, shopToken, opts...)
				if err != nil {
					b.Fatal(err)
				}
				input := []shopify.FulfillmentInput{{LineItemsByFulfillmentOrder: []shopify.FulfillmentOrderLineItems{{
					FulfillmentOrderID: ref.FulfillmentOrderIDs[0],
					LineItems:          []shopify.LineItemQuantity{{ID: ref.FOLineItemIDs[0][0], Quantity: 1}},
				}}}}
				var next atomic.Int64
				var wg sync.WaitGroup
				b.ResetTimer()
				for range workers {
					wg.Go(func() {
						for next.Add(1) <= int64(b.N) {
							res, _, err := client.CreateFulfillments(b.Context(), input)
							if err != nil || res[0].Err != nil {
								b.Error(err, res)
								return
							}
						}
					})
				}
				wg.Wait()
				elapsed := b.Elapsed().Seconds()
				b.StopTimer()
				ceiling := (size + rate*elapsed) / cost
				b.ReportMetric(100*float64(b.N)/ceiling, "%ceiling")
				b.ReportMetric(float64(srv.Throttled()), "throttled")
				b.ReportMetric(float64(b.N)/elapsed, "fulfillments/s")
			})
		}
	}
}
