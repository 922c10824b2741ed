package amazon_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopctrl/tracksync/amazon"
)

// BenchmarkConfirmPacing compares the paced client with the same client
// with pacing disabled (retry on 429 with backoff only) against the fake's
// confirmShipment usage plan of 2 per second, burst 10. One op is a job of
// 40 confirmations: the plan allows them in 15 s at best (10 at once, then
// 30 at 2/s), so %plan is 15 s over the time taken; 429s counts the
// refused requests. It runs in real time: use -benchtime=1x.
func BenchmarkConfirmPacing(b *testing.B) {
	const jobs = 40
	best := 15 * time.Second
	for _, paced := range []bool{true, false} {
		for _, workers := range []int{8, 32} {
			b.Run(fmt.Sprintf("paced=%v/workers=%d", paced, workers), func(b *testing.B) {
				for range b.N {
					e := newAEnv(b, nil)
					opts := clientOptions(e.srv, amazon.WithRetryMax(100))
					if !paced {
						opts = append(opts, amazon.WithPacingDisabled())
					}
					client, err := amazon.NewClient(amazon.Credentials(creds), amazon.Europe, opts...)
					if err != nil {
						b.Fatal(err)
					}
					o := e.seed(b, "", jobs)
					var next atomic.Int64
					var wg sync.WaitGroup
					start := time.Now()
					for range workers {
						wg.Go(func() {
							for {
								i := next.Add(1)
								if i > jobs {
									return
								}
								_, err := client.ConfirmShipment(b.Context(), o.ChannelOrderID, amazon.ConfirmShipmentRequest{MarketplaceID: mktDE,
									PackageDetail: amazon.PackageDetail{PackageReferenceID: fmt.Sprint(i), CarrierCode: "UPS", TrackingNumber: fmt.Sprint("1ZBENCH", i),
										ShipDate: amazon.ShipDate(time.Now()), OrderItems: []amazon.OrderItemQuantity{{OrderItemID: o.Lines[0].ChannelLineID, Quantity: 1}}}})
								if err != nil {
									b.Error(err)
									return
								}
							}
						})
					}
					wg.Wait()
					elapsed := time.Since(start)
					b.ReportMetric(100*best.Seconds()/elapsed.Seconds(), "%plan")
					b.ReportMetric(float64(e.srv.Throttled()), "429s")
					b.ReportMetric(jobs/elapsed.Seconds(), "confirmations/s")
				}
			})
		}
	}
}
