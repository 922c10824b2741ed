package amazon_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/amazon"
	"github.com/shopctrl/tracksync/amazon/amazontest"
	"github.com/shopctrl/tracksync/tracking"
)

// feedRun syncs orders through a new FeedExporter (a new process) over
// ledger and returns each order's shipment results.
func feedRun(t *testing.T, e *aenv, ledger tracking.Ledger, orders ...tracking.Order) [][]tracking.ShipmentResult {
	t.Helper()
	f, err := amazon.NewFeedExporter(e.exporter, amazon.WithBatchSize(len(orders)), amazon.WithBatchWait(200*1e6), amazon.WithPolling(5*1e6, 20*1e6))
	require.NoError(t, err)
	s, err := tracking.NewSyncer(tracking.WithExporters(f), tracking.WithLedger(ledger), tracking.WithConcurrency(len(orders)+1))
	require.NoError(t, err)
	results, err := s.Sync(t.Context(), orders...)
	require.NoError(t, err)
	out := make([][]tracking.ShipmentResult, len(results))
	for i, r := range results {
		require.NoError(t, r.Err)
		out[i] = r.Results[0].Shipments
	}
	return out
}

// partlyShipped is the case: an order of 3 units confirmed with
// one 1-unit package, and a second order of one unit.
func partlyShipped(t *testing.T, e *aenv) []tracking.Order {
	a := e.seed(t, "", 3)
	a.Shipments = []tracking.Shipment{ship("A1", "AMS", "ups", "", "1Z999AA10123456784", 3, it("L0", 1))}
	b := e.seed(t, "", 1)
	b.Shipments = []tracking.Shipment{ship("B1", "AMS", "dhl-paket", "", "00340434161094042557", 2, it("L0", 1))}
	return []tracking.Order{a, b}
}

func requireOnePackageEach(t *testing.T, e *aenv, orders []tracking.Order) {
	t.Helper()
	for _, o := range orders {
		require.Len(t, e.seller.Packages(o.ChannelOrderID), 1, "order %s: no package twice", o.ChannelOrderID)
	}
}

func TestFeedLostLedgerReadsTheOrdersInsteadOfResending(t *testing.T) {
	e, _ := newFeedEnv(t, 2)
	orders := partlyShipped(t, e)
	first := feedRun(t, e, tracking.NewMemoryLedger(), orders...)
	for _, r := range first {
		require.Equal(t, tracking.Pushed, r[0].State, r[0].Reason)
	}
	require.Zero(t, e.srv.Count(amazontest.OpGetOrder), "a first run with no earlier feed reads nothing")

	again := feedRun(t, e, tracking.NewMemoryLedger(), orders...) // the ledger is lost
	for _, r := range again {
		require.Equal(t, tracking.AlreadyPushed, r[0].State, r[0].Reason)
		require.Contains(t, r[0].Warnings[len(r[0].Warnings)-1], "the read took")
	}
	require.Equal(t, 1, e.srv.Count(amazontest.OpCreateFeed), "no second feed")
	require.Equal(t, 2, e.srv.Count(amazontest.OpGetOrder), "one read an order")
	requireOnePackageEach(t, e, orders)
}

func TestFeedUnknownOutcomeIsReadFromTheFeedNotResent(t *testing.T) {
	e, _ := newFeedEnv(t, 2)
	orders := partlyShipped(t, e)
	ledger := tracking.NewMemoryLedger()
	// getFeed fails for as long as the client retries: the outcome of the
	// submitted feed is unknown to this run.
	e.srv.InjectFault(amazontest.Fault{Operation: amazontest.OpGetFeed, Status: 503, Times: 4})
	first := feedRun(t, e, ledger, orders...)
	for _, r := range first {
		require.Equal(t, tracking.Failed, r[0].State)
		require.Contains(t, r[0].Reason, "outcome is unknown")
		require.True(t, r[0].Retryable)
	}
	again := feedRun(t, e, ledger, orders...)
	for _, r := range again {
		require.Equal(t, tracking.AlreadyPushed, r[0].State, r[0].Reason)
		require.Regexp(t, `^feed:\d+/\d$`, r[0].RemoteID)
	}
	require.Equal(t, 1, e.srv.Count(amazontest.OpCreateFeed))
	require.Zero(t, e.srv.Count(amazontest.OpGetOrder), "the feed's report tells: no read")
	requireOnePackageEach(t, e, orders)

	third := feedRun(t, e, ledger, orders...) // committed now: nothing at all
	for _, r := range third {
		require.Equal(t, tracking.AlreadyPushed, r[0].State)
	}
	require.Equal(t, 1, e.srv.Count(amazontest.OpCreateFeed))
}

func TestFeedDroppedCreateFeedIsReconciled(t *testing.T) {
	e, _ := newFeedEnv(t, 2)
	orders := partlyShipped(t, e)
	ledger := tracking.NewMemoryLedger()
	// Amazon creates the feed, the answer is lost: createFeed is never
	// repeated, the packages stay noted as pending.
	e.srv.InjectFault(amazontest.Fault{Operation: amazontest.OpCreateFeed, DropAfterCommit: true})
	first := feedRun(t, e, ledger, orders...)
	for _, r := range first {
		require.Equal(t, tracking.Failed, r[0].State)
		require.Contains(t, r[0].Reason, "createFeed's outcome is unknown")
	}
	again := feedRun(t, e, ledger, orders...)
	for _, r := range again {
		require.Equal(t, tracking.AlreadyPushed, r[0].State, r[0].Reason)
	}
	require.Equal(t, 1, e.srv.Count(amazontest.OpCreateFeed))
	require.Equal(t, 2, e.srv.Count(amazontest.OpGetOrder))
	requireOnePackageEach(t, e, orders)
}

func TestFeedRefusedCreateFeedClearsTheNotes(t *testing.T) {
	e, _ := newFeedEnv(t, 2)
	orders := partlyShipped(t, e)
	ledger := tracking.NewMemoryLedger()
	e.srv.InjectFault(amazontest.Fault{Operation: amazontest.OpCreateFeed, Status: 400})
	first := feedRun(t, e, ledger, orders...)
	for _, r := range first {
		require.Equal(t, tracking.Failed, r[0].State)
		require.False(t, r[0].Retryable)
	}
	again := feedRun(t, e, ledger, orders...)
	for _, r := range again {
		require.Equal(t, tracking.Pushed, r[0].State, r[0].Reason)
	}
	require.Zero(t, e.srv.Count(amazontest.OpGetOrder), "a refused feed exists nowhere: nothing to reconcile")
	requireOnePackageEach(t, e, orders)
}
