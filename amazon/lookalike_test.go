package amazon_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/amazon"
	"github.com/shopctrl/tracksync/amazon/amazontest"
	"github.com/shopctrl/tracksync/tracking"
)

// Two packages of an order with one tracking number (two boxes under one
// label, a carrier's master number): the second is confirmed too.
func TestLookAlikePackageIsStillConfirmed(t *testing.T) {
	e := newAEnv(t, nil)
	o := e.seed(t, "", 1, 1)
	o.Shipments = []tracking.Shipment{
		ship("S1", "AMS", "ups", "", "1Z999AA10123456784", 3, it("L0", 1)),
		ship("S2", "AMS", "ups", "", "1Z999AA10123456784", 2, it("L1", 1)),
	}
	ledger := tracking.NewMemoryLedger()
	s, err := tracking.NewSyncer(tracking.WithExporters(e.exporter), tracking.WithLedger(ledger))
	require.NoError(t, err)
	first := o
	first.Shipments = o.Shipments[:1]
	_, err = s.Sync(t.Context(), first)
	require.NoError(t, err)
	r, err := s.Sync(t.Context(), o)
	require.NoError(t, err)
	require.Equal(t, []string{"S1=already_pushed", "S2=pushed"}, states(r[0].Results[0]))
	require.Len(t, e.seller.Packages(o.ChannelOrderID), 2)
}

// The same with feeds and a lost ledger, where only the order's packages
// can tell: two one-unit packages of one item under one number, one of
// them on Amazon. The reconciliation matches one package to one shipment.
func TestFeedLookAlikesAfterALostLedger(t *testing.T) {
	e, _ := newFeedEnv(t, 1)
	o := e.seed(t, "", 3)
	s1 := ship("S1", "AMS", "ups", "", "1Z999AA10123456784", 3, it("L0", 1))
	s2 := ship("S2", "AMS", "ups", "", "1Z999AA10123456784", 3, it("L0", 1))
	first := o
	first.Shipments = []tracking.Shipment{s1}
	r := feedRun(t, e, tracking.NewMemoryLedger(), first)
	require.Equal(t, tracking.Pushed, r[0][0].State)
	o.Shipments = []tracking.Shipment{s1, s2}
	r = feedRun(t, e, tracking.NewMemoryLedger(), o) // the ledger is lost
	require.Equal(t, tracking.AlreadyPushed, r[0][0].State, r[0][0].Reason)
	require.Equal(t, tracking.Pushed, r[0][1].State, r[0][1].Reason)
	require.Len(t, e.seller.Packages(o.ChannelOrderID), 2)
	require.Equal(t, 2, e.srv.Count(amazontest.OpCreateFeed))
}

// failingRenew is a ledger that can no longer renew leases: the Syncer
// loses every lease it holds at its first renewal.
type failingRenew struct{ *tracking.MemoryLedger }

func (failingRenew) Renew(context.Context, tracking.Lease, time.Duration) (tracking.Lease, error) {
	return tracking.Lease{}, tracking.ErrLeaseLost
}

// A confirmation that waits for the usage plan longer than its lease
// lives is not sent once the lease is lost: the fence runs right before
// the request goes out.
func TestLostLeaseFencesTheConfirmation(t *testing.T) {
	srv := amazontest.NewServer(amazontest.WithUsagePlan(amazontest.OpConfirmShipment, 0.1, 1))
	defer srv.Close()
	seller := srv.AddSeller(sellerID, creds)
	synctest.Test(t, func(t *testing.T) {
		ao, err := seller.AddOrder(amazontest.OrderSeed{MarketplaceID: mktDE, PurchaseDate: time.Now().Add(-48 * time.Hour), Items: []amazontest.ItemSeed{{SKU: "A", Quantity: 2}}})
		require.NoError(t, err)
		sellers, err := amazon.NewSellerClients(map[string]amazon.Seller{sellerID: {Credentials: amazon.Credentials(creds), Region: amazon.Europe}},
			amazon.WithTestEndpoints(srv.URL(), srv.LWAEndpoint()), amazon.WithHTTPClient(memClientHTTP(srv)),
			amazon.WithUsagePlan("confirmShipment", 0.1, 1)) // the second waits 10 s
		require.NoError(t, err)
		exp, err := amazon.NewExporter(sellers, newAEnvMapping(t))
		require.NoError(t, err)
		o := tracking.Order{ID: "H1", Channel: amazon.Channel, Store: store, ChannelOrderID: ao.AmazonOrderID, Status: tracking.StatusFullyShipped,
			Lines: []tracking.Line{{ID: "L0", ChannelLineID: ao.Items[0].OrderItemID, Quantity: 2}},
			Shipments: []tracking.Shipment{ship("S1", "AMS", "ups", "", "1Z999AA10123456784", 2, it("L0", 1)),
				ship("S2", "AMS", "ups", "", "1Z999AA10123456795", 1, it("L0", 1))}}
		s, err := tracking.NewSyncer(tracking.WithExporters(exp), tracking.WithLedger(failingRenew{tracking.NewMemoryLedger()}), tracking.WithLeaseTTL(3*time.Second))
		require.NoError(t, err)
		r, err := s.Sync(t.Context(), o)
		require.NoError(t, err)
		res := r[0].Results[0].Shipments
		require.Equal(t, tracking.Pushed, res[0].State)
		require.Equal(t, tracking.Failed, res[1].State)
		require.ErrorIs(t, res[1].Err, tracking.ErrLeaseLost)
		require.True(t, res[1].Retryable)
		require.Len(t, seller.Packages(ao.AmazonOrderID), 1, "the second was never sent")
	})
}
