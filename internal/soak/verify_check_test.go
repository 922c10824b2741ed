package soak

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/tracking"
)

// The soak's verdict comes from verify; this shows verify finds each kind
// of damage: a shipment that never reached its channel (lost), one whose
// channel holds other items (wrong), and a fulfillment or package no
// shipment accounts for (duplicate).
func TestVerifyCountsWhatIsWrong(t *testing.T) {
	w := newWorld(t, 7, 60, 0, map[string]bool{"feeds": true})
	ledger, err := tracking.OpenFileLedger(filepath.Join(t.TempDir(), "ledger.jsonl"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = ledger.Close() })

	var skipped tracking.Order // never pushed: lost
	var shopifyOrder, amazonOrder tracking.Order
	var pushed []tracking.Order
	for _, o := range w.orders {
		switch {
		case skipped.ID == "":
			skipped = o
			continue
		case o.Channel == tracking.ChannelShopify && shopifyOrder.ID == "":
			shopifyOrder = o
		case o.Channel == tracking.ChannelAmazon && len(o.Shipments) >= 2 && amazonOrder.ID == "":
			amazonOrder = o
		}
		pushed = append(pushed, o)
	}
	tally := w.round(t, context.Background(), ledger, pushed, rand.New(rand.NewPCG(1, 2)), &observer{}, 1)
	require.Zero(t, tally[tracking.Failed], "%v %v", tally, w.why)

	clean := *w.verifyOnly(pushed)
	require.Zero(t, clean.lost+clean.duplicates+clean.wrong, "%v", clean.problems)

	// The damage, on the test's side of the comparison.
	e := w.expect[shopifyOrder.Shipments[0].ID]
	e.items = map[string]int{"gid://shopify/LineItem/0": 1}
	w.expect[shopifyOrder.Shipments[0].ID] = e
	require.NotEmpty(t, amazonOrder.ID)
	delete(w.expect, amazonOrder.Shipments[0].ID) // the order's other shipment keeps it in the check

	r := w.verify()
	require.Equal(t, len(skipped.Shipments), r.lost, "%v", r.problems)
	require.Equal(t, 1, r.wrong, "%v", r.problems)
	require.Equal(t, 1, r.duplicates, "%v", r.problems)
}

// verifyOnly verifies the given orders' shipments.
func (w *world) verifyOnly(orders []tracking.Order) *report {
	keep := map[string]expected{}
	for _, o := range orders {
		for _, sh := range o.Shipments {
			keep[sh.ID] = w.expect[sh.ID]
		}
	}
	all := w.expect
	w.expect = keep
	defer func() { w.expect = all }()
	return w.verify()
}
