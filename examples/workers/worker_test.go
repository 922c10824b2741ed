package main

import (
	"encoding/json"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/amazon"
	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/trackingtest"
)

// The settings reach a worker as JSON. amazon.Credentials writes its
// secrets to JSON as REDACTED: carried as such, every worker would be
// refused by Login with Amazon (and, before ErrHeldBack, retried for ever).
func TestSettingsCarryTheSellersSecrets(t *testing.T) {
	creds := amazon.Credentials{ClientID: "amzn1.application-oa2-client.t", ClientSecret: "client-secret", RefreshToken: "Atzr|refresh"}
	b, err := json.Marshal(workerConfig{Name: "worker-1", Sellers: map[string]sellerSecrets{"A1": newSellerSecrets(creds)}})
	require.NoError(t, err)
	var got workerConfig
	require.NoError(t, json.Unmarshal(b, &got))
	require.Equal(t, creds, got.Sellers["A1"].credentials())
}

// A shipment that keeps waiting does not keep a worker for ever: at its
// deadline the worker stops and names what it has not settled, and why.
func TestRoundsStopAtTheDeadlineAndSayWhatIsMissing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		exp, syncer, o, rep := roundsFixture(t)
		exp.WaitShipment("H1-S2", "the fulfillment order is on hold")
		start := time.Now()
		require.NoError(t, rep.rounds(t.Context(), start.Add(10*time.Second), syncer, []tracking.Order{o}, map[string]bool{}))

		require.Equal(t, 10*time.Second, time.Since(start), "stopped at the deadline")
		require.Equal(t, 1, rep.Pushed)
		require.Equal(t, 1, rep.Unsettled)
		require.Equal(t, []string{"H1 H1-S2: waiting: the fulfillment order is on hold"}, rep.Pending)
		require.Greater(t, rep.Rounds, 1, "it kept trying until then")
	})
}

// A run whose shipments all settle ends at once, with nothing pending.
func TestRoundsEndWhenEverythingIsSettled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, syncer, o, rep := roundsFixture(t)
		require.NoError(t, rep.rounds(t.Context(), time.Now().Add(time.Minute), syncer, []tracking.Order{o}, map[string]bool{}))
		require.Equal(t, 1, rep.Rounds)
		require.Equal(t, 2, rep.Pushed)
		require.Zero(t, rep.Unsettled)
		require.Empty(t, rep.Pending)
	})
}

// roundsFixture is a Syncer over a recording exporter, an order of two
// shipments for it, and an empty worker report.
func roundsFixture(t *testing.T) (*trackingtest.Exporter, *tracking.Syncer, tracking.Order, *workerReport) {
	t.Helper()
	exp := trackingtest.NewExporter("shopify")
	syncer, err := tracking.NewSyncer(tracking.WithExporters(exp))
	require.NoError(t, err)
	o := hostOrder("H1", "shopify", "shop-1.myshopify.com", "gid://shopify/Order/1", []string{"L1", "L2"}, "postnl", time.Now())
	return exp, syncer, o, &workerReport{Name: "worker-1", settled: map[string]bool{}, last: map[string]string{}}
}
