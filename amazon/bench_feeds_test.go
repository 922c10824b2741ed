package amazon_test

import (
	"testing"
	"time"

	"github.com/shopctrl/tracksync/amazon"
	"github.com/shopctrl/tracksync/amazon/amazontest"
	"github.com/shopctrl/tracksync/tracking"
)

// feedPhase is what one run of the FeedExporter cost and left.
type feedPhase struct {
	feeds, getOrders, getFeeds, reports int     // createFeed, getOrder, getFeed, getFeedDocument calls
	pushed, already, failed             int     // shipment results
	failedHeld                          int     // Failed although Amazon holds the package
	hours                               float64 // simulated time the run took
}

// runFeeds syncs orders through a new FeedExporter (a new process) over
// ledger, on the bubble's clock, and counts what it cost.
func runFeeds(t *testing.T, e *planEnv, ledger tracking.Ledger, orders []tracking.Order) feedPhase {
	t.Helper()
	count := func() [4]int {
		return [4]int{e.srv.Count(amazontest.OpCreateFeed), e.srv.Count(amazontest.OpGetOrder), e.srv.Count(amazontest.OpGetFeed), e.srv.Count(amazontest.OpGetFeedDocument)}
	}
	before := count()
	exp, err := amazon.NewExporter(e.clients, e.m)
	if err != nil {
		t.Fatal(err)
	}
	f, err := amazon.NewFeedExporter(exp, amazon.WithBatchSize(2500))
	if err != nil {
		t.Fatal(err)
	}
	s, err := tracking.NewSyncer(tracking.WithExporters(f), tracking.WithLedger(ledger), tracking.WithConcurrency(len(orders)))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	results, err := s.Sync(t.Context(), orders...)
	if err != nil {
		t.Fatal(err)
	}
	after := count()
	p := feedPhase{feeds: after[0] - before[0], getOrders: after[1] - before[1], getFeeds: after[2] - before[2], reports: after[3] - before[3],
		hours: time.Since(start).Hours()}
	for i, r := range results {
		for _, sr := range r.Results[0].Shipments {
			switch sr.State {
			case tracking.Pushed:
				p.pushed++
			case tracking.AlreadyPushed:
				p.already++
			case tracking.Failed:
				p.failed++
				if len(e.sellers[0].Packages(orders[i].ChannelOrderID)) > 0 {
					p.failedHeld++
				}
			}
		}
	}
	return p
}

// doubled counts the orders that hold more than one package.
func doubled(e *planEnv, orders []tracking.Order) int {
	n := 0
	for _, o := range orders {
		if len(e.sellers[0].Packages(o.ChannelOrderID)) > 1 {
			n++
		}
	}
	return n
}

// BenchmarkFeeds10000 sends 10 000 one-package orders of one seller
// through the Syncer and the FeedExporter (batches of 2500) against
// amazontest, on a synctest clock, in three situations:
//
//   - fresh: a new ledger and no earlier feed (goal: at most 5 createFeed);
//   - lost: the same orders again with the ledger lost (goal: nothing
//     doubled, nothing reported Failed that Amazon holds; it reports the
//     feeds and reads it took, and its simulated hours);
//   - restart: 10 000 more orders whose run loses every feed's outcome
//     (getFeed failing, as a run killed between createFeed and the report),
//     then a new process on the same ledger (same goals).
func BenchmarkFeeds10000(b *testing.B) {
	const n = 10000
	b.ReportAllocs()
	for range b.N {
		srv := amazontest.NewServer()
		var fresh, lost, killed, restart feedPhase
		var dbl int
		inBubble(b, func(t *testing.T) {
			e := newPlanEnv(t, srv, 1)
			orders := e.orders(t, n, "F")
			fresh = runFeeds(t, e, tracking.NewMemoryLedger(), orders)
			lost = runFeeds(t, e, tracking.NewMemoryLedger(), orders)
			dbl = doubled(e, orders)

			more := e.orders(t, n, "K")
			ledger := tracking.NewMemoryLedger()
			// Every getFeed fails while the first process runs: 4 feeds,
			// 5 attempts each.
			srv.InjectFault(amazontest.Fault{Operation: amazontest.OpGetFeed, Status: 503, Times: 20})
			killed = runFeeds(t, e, ledger, more)
			restart = runFeeds(t, e, ledger, more)
			dbl += doubled(e, more)
		})
		srv.Close()
		b.ReportMetric(float64(fresh.feeds), "fresh-createFeed")
		b.ReportMetric(float64(fresh.pushed), "fresh-pushed")
		b.ReportMetric(float64(lost.feeds), "lost-createFeed")
		b.ReportMetric(float64(lost.getOrders), "lost-getOrder")
		b.ReportMetric(lost.hours, "lost-hours")
		b.ReportMetric(float64(lost.already), "lost-already")
		b.ReportMetric(float64(killed.feeds), "killed-createFeed")
		b.ReportMetric(float64(restart.feeds), "restart-createFeed")
		b.ReportMetric(float64(restart.getFeeds+restart.reports), "restart-feedReads")
		b.ReportMetric(float64(restart.getOrders), "restart-getOrder")
		b.ReportMetric(float64(restart.already), "restart-already")
		b.ReportMetric(float64(dbl), "doubled")
		b.ReportMetric(float64(lost.failedHeld+restart.failedHeld), "failed-held")
	}
}
