package notify_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/notify"
	"github.com/shopctrl/tracksync/tracking/trackingtest"
)

// syncOnce runs the orders through a new Syncer with a recording Shopify
// exporter and the notifier, and returns the notifier's results by package.
func syncOnce(t *testing.T, ledger tracking.Ledger, channel *trackingtest.Exporter, n *notify.Notifier, orders ...tracking.Order) map[string]tracking.ShipmentResult {
	t.Helper()
	s, err := tracking.NewSyncer(tracking.WithExporters(channel, n), tracking.WithLedger(ledger), tracking.WithOwner("worker-1"), tracking.WithLeaseTTL(time.Minute))
	require.NoError(t, err)
	results, err := s.Sync(t.Context(), orders...)
	require.NoError(t, err)
	out := map[string]tracking.ShipmentResult{}
	for _, r := range results {
		require.NoError(t, r.Err)
		require.Len(t, r.Results, 2, "the channel's exporter, then the notifier")
		require.Equal(t, "notify", r.Results[1].Exporter)
		for _, s := range r.Results[1].Shipments {
			out[r.OrderID+"/"+s.ShipmentID] = s
		}
	}
	return out
}

func TestSyncerRunsTheNotifierExactlyOnce(t *testing.T) {
	mail := &recorder{}
	n := newNotifier(t, mail) // the Syncer's ledger
	ledger := tracking.NewMemoryLedger()
	channel := trackingtest.NewExporter("shopify")
	got := syncOnce(t, ledger, channel, n, demoOrder())
	require.Equal(t, tracking.Pushed, got["SC-1042/SHP-1"].State)
	require.Equal(t, tracking.Pushed, got["SC-1042/SHP-2"].State)
	require.Len(t, mail.messages(), 2)

	rec, ok, err := ledger.Lookup(t.Context(), tracking.LedgerKey{Channel: "shopify", Store: shop, OrderID: "SC-1042", ShipmentID: "SHP-1", Purpose: "notify:shipment-shipped"})
	require.NoError(t, err)
	require.True(t, ok, "one ledger record per order, package and trigger")
	require.Equal(t, got["SC-1042/SHP-1"].RemoteID, rec.RemoteID)
	require.Equal(t, "3SDEVC1234567", rec.TrackingNumber)

	got = syncOnce(t, ledger, channel, n, demoOrder())
	require.Equal(t, tracking.AlreadyPushed, got["SC-1042/SHP-1"].State)
	require.Equal(t, tracking.AlreadyPushed, got["SC-1042/SHP-2"].State)
	require.Len(t, mail.messages(), 2, "a second run sends nothing")
}

func TestAfterChannelWaitsUntilTheChannelHoldsThePackage(t *testing.T) {
	mail := &recorder{}
	store := demoStore()
	store.Triggers = map[string]notify.Mode{notify.ShipmentShipped: notify.AfterChannel}
	n := newNotifier(t, mail, notify.WithStore(shop, store))
	ledger := tracking.NewMemoryLedger()
	channel := trackingtest.NewExporter("shopify")
	channel.FailShipment("SHP-2", errors.New("location BER is not mapped"))

	got := syncOnce(t, ledger, channel, n, demoOrder())
	require.Equal(t, tracking.Pushed, got["SC-1042/SHP-1"].State)
	require.Equal(t, tracking.Waiting, got["SC-1042/SHP-2"].State)
	require.Contains(t, got["SC-1042/SHP-2"].Reason, "shipment-shipped: waiting until the channel holds the package (shopify: SHP-2: failed")
	require.Len(t, mail.messages(), 1)

	channel.Reset("SHP-2")
	got = syncOnce(t, ledger, channel, n, demoOrder())
	require.Equal(t, tracking.AlreadyPushed, got["SC-1042/SHP-1"].State)
	require.Equal(t, tracking.Pushed, got["SC-1042/SHP-2"].State)
	require.Len(t, mail.messages(), 2)

	// Outside a Syncer nothing is known of the channel: the email waits.
	o := demoOrder()
	o.ID = "SC-1043"
	res, err := n.Export(t.Context(), o)
	require.NoError(t, err)
	require.Equal(t, tracking.Failed, res.Shipments[0].State, "and without a ledger it cannot send at all")
	n = newNotifier(t, mail, notify.WithStore(shop, store), notify.WithLedger(ledger))
	res, err = n.Export(t.Context(), o)
	require.NoError(t, err)
	require.Equal(t, tracking.Waiting, res.Shipments[0].State)
	require.Contains(t, res.Shipments[0].Reason, "no channel exporter reported it")
}

func TestPermanentAndTemporaryFailuresAreAdvised(t *testing.T) {
	mail := &recorder{fail: func(m *notify.Message) error {
		if m.ShipmentID == "SHP-1" {
			return &notify.SendError{To: m.To, Code: 550, EnhancedCode: "5.1.1", Err: errors.New("550 5.1.1 no such user")}
		}
		return &notify.SendError{To: m.To, Code: 451, Temporary: true, Err: errors.New("451 4.7.1 greylisted")}
	}}
	n := newNotifier(t, mail)
	got := syncOnce(t, tracking.NewMemoryLedger(), trackingtest.NewExporter("shopify"), n, demoOrder())
	require.Equal(t, tracking.Failed, got["SC-1042/SHP-1"].State)
	require.False(t, got["SC-1042/SHP-1"].Retryable, "550 is permanent")
	require.Contains(t, got["SC-1042/SHP-1"].Reason, "550 5.1.1 no such user")
	require.Equal(t, tracking.Failed, got["SC-1042/SHP-2"].State)
	require.True(t, got["SC-1042/SHP-2"].Retryable, "451 is temporary")

	o := demoOrder()
	o.Customer.Email = "" // Order.Validate refuses a malformed one before any exporter runs
	got = syncOnce(t, tracking.NewMemoryLedger(), trackingtest.NewExporter("shopify"), newNotifier(t, &recorder{}), o)
	require.False(t, got["SC-1042/SHP-1"].Retryable)
	require.ErrorIs(t, got["SC-1042/SHP-1"].Err, notify.ErrAddress)
}

// crashLedger is a ledger whose Commits of the notifier's keys are lost
// while crashed is set, as if the process died between sending and
// recording: the lease stays until it expires, with its note.
type crashLedger struct {
	*tracking.MemoryLedger
	mu      sync.Mutex
	crashed bool
}

func (l *crashLedger) Commit(ctx context.Context, lease tracking.Lease, rec tracking.Record) error {
	l.mu.Lock()
	crashed := l.crashed
	l.mu.Unlock()
	if crashed && strings.HasPrefix(lease.Key.Purpose, "notify:") {
		return errors.New("process died")
	}
	return l.MemoryLedger.Commit(ctx, lease, rec)
}

func (l *crashLedger) recover() {
	l.mu.Lock()
	l.crashed = false
	l.mu.Unlock()
}

// TestCrashBetweenSendAndCommit shows the one place exactly-once becomes
// at-least-once: an email sent by a worker that died before recording it
// goes out again once its lease expires, with the same Message-ID.
func TestCrashBetweenSendAndCommit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mail := &recorder{}
		n := newNotifier(t, mail)
		ledger := &crashLedger{MemoryLedger: tracking.NewMemoryLedger(), crashed: true}
		channel := trackingtest.NewExporter("shopify")
		o := demoOrder()
		o.Shipments, o.Status = o.Shipments[:1], tracking.StatusPartiallyShipped

		got := syncOnce(t, ledger, channel, n, o)
		require.Equal(t, tracking.Pushed, got["SC-1042/SHP-1"].State, "the email went out")
		require.ErrorContains(t, got["SC-1042/SHP-1"].Err, "sent, but the ledger could not record it")
		ledger.recover()

		got = syncOnce(t, ledger, channel, n, o)
		require.Equal(t, tracking.Waiting, got["SC-1042/SHP-1"].State, "the dead worker's lease still holds the email")
		require.Contains(t, got["SC-1042/SHP-1"].Reason, "another worker (worker-1) is sending it")
		require.Len(t, mail.messages(), 1)

		time.Sleep(time.Minute + time.Second) // the lease expires
		got = syncOnce(t, ledger, channel, n, o)
		require.Equal(t, tracking.Pushed, got["SC-1042/SHP-1"].State)
		msgs := mail.messages()
		require.Len(t, msgs, 2, "the customer receives the email a second time")
		require.Equal(t, msgs[0].MessageID, msgs[1].MessageID, "with the same Message-ID, which mail clients show once")
		require.Equal(t, msgs[0].Text, msgs[1].Text)

		got = syncOnce(t, ledger, channel, n, o)
		require.Equal(t, tracking.AlreadyPushed, got["SC-1042/SHP-1"].State)
		require.Len(t, mail.messages(), 2)
	})
}

func TestOrdersOfEveryChannelAreNotified(t *testing.T) {
	mail := &recorder{}
	n := newNotifier(t, mail, notify.WithDefaultStore(demoStore()))
	amazonOrder := demoOrder()
	amazonOrder.ID, amazonOrder.Channel, amazonOrder.Store, amazonOrder.ChannelOrderID = "SC-2001", "amazon", "A2SELLER/A1PA6795UKMFR9", "028-1234567-1234567"
	amazonOrder.Lines[0].ChannelLineID, amazonOrder.Lines[1].ChannelLineID = "12345678901234", "12345678901235"
	s, err := tracking.NewSyncer(tracking.WithExporters(trackingtest.NewExporter("shopify"), trackingtest.NewExporter("amazon"), n))
	require.NoError(t, err)
	results, err := s.Sync(t.Context(), demoOrder(), amazonOrder)
	require.NoError(t, err)
	for _, r := range results {
		require.Equal(t, map[tracking.State]int{tracking.Pushed: 4}, r.Counts(), "%s: two packages, two exporters", r.OrderID)
	}
	var subjects []string
	for _, m := range mail.messages() {
		subjects = append(subjects, m.Subject)
	}
	require.Contains(t, subjects, "Je bestelling 028-1234567-1234567 is onderweg", "an Amazon order is known by its Amazon order id")
}
