package shopify_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/shopify/shopifytest"
	"github.com/shopctrl/tracksync/tracking"
)

// Two packages under one tracking number are two packages: a fulfillment
// is a package when it carries the number and exactly the package's items
// and quantities.
func TestExportLookAlikePackages(t *testing.T) {
	t.Run("the second package of a number is still sent", func(t *testing.T) {
		e := newEnv(t)
		ref := e.shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 1}, {SKU: "TEE", Quantity: 1}},
			FulfillmentOrders: []shopifytest.FOSeed{{Location: e.ams}}})
		first := hostOrder(ref, []int{1, 1}, pkg("S1", "AMS", "postnl", "3SDEVC1234567", item("L0", 1)))
		first.Status = tracking.StatusPartiallyShipped
		exp := newExporterWith(t, e, map[string]string{"AMS": e.ams}, eachShipment)
		res, err := exp.Export(t.Context(), first)
		require.NoError(t, err)
		require.Equal(t, []string{"S1=pushed"}, states(res))

		// The ledger has S1; the Syncer passes S2 alone. Same number,
		// other items: not S1's fulfillment.
		second := hostOrder(ref, []int{1, 1}, pkg("S2", "AMS", "postnl", "3SDEVC1234567", item("L1", 1)))
		res, err = exp.Export(t.Context(), second)
		require.NoError(t, err)
		require.Equal(t, []string{"S2=pushed"}, states(res))
		fs := e.shop.Fulfillments(ref.ID)
		require.Len(t, fs, 2)
		require.Equal(t, res.Shipments[0].RemoteID, fs[1].ID)
		require.Equal(t, "FULFILLED", e.shop.DisplayFulfillmentStatus(ref.ID))
	})

	t.Run("identical packages are told apart on a repeat", func(t *testing.T) {
		e := newEnv(t)
		ref := e.shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 2}}, FulfillmentOrders: []shopifytest.FOSeed{{Location: e.ams}}})
		o := hostOrder(ref, []int{2},
			pkg("S1", "AMS", "postnl", "3SDEVC1234567", item("L0", 1)),
			pkg("S2", "AMS", "postnl", "3SDEVC1234567", item("L0", 1)))
		first, err := e.exporter.Export(t.Context(), o)
		require.NoError(t, err)
		require.Equal(t, []string{"S1=pushed", "S2=pushed"}, states(first))
		require.Len(t, e.shop.Fulfillments(ref.ID), 2)

		again, err := e.exporter.Export(t.Context(), o) // the ledger is lost
		require.NoError(t, err)
		require.Equal(t, []string{"S1=already_pushed", "S2=already_pushed"}, states(again))
		require.NotEqual(t, again.Shipments[0].RemoteID, again.Shipments[1].RemoteID, "one fulfillment each")
		require.ElementsMatch(t, []string{first.Shipments[0].RemoteID, first.Shipments[1].RemoteID},
			[]string{again.Shipments[0].RemoteID, again.Shipments[1].RemoteID})
		require.Len(t, e.shop.Fulfillments(ref.ID), 2)
	})

	t.Run("a fulfillment with more items is not the package", func(t *testing.T) {
		e := newEnv(t)
		ref := e.shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 2}, {SKU: "TEE", Quantity: 1}},
			FulfillmentOrders: []shopifytest.FOSeed{{Location: e.ams}}})
		big := hostOrder(ref, []int{2, 1}, pkg("S1", "AMS", "postnl", "3SDEVC1234567", item("L0", 1), item("L1", 1)))
		big.Status = tracking.StatusPartiallyShipped
		exp := newExporterWith(t, e, map[string]string{"AMS": e.ams}, eachShipment)
		_, err := exp.Export(t.Context(), big)
		require.NoError(t, err)
		small := hostOrder(ref, []int{2, 1}, pkg("S2", "AMS", "postnl", "3SDEVC1234567", item("L0", 1)))
		small.Status = tracking.StatusPartiallyShipped
		res, err := exp.Export(t.Context(), small)
		require.NoError(t, err)
		require.Equal(t, []string{"S2=pushed"}, states(res))
		require.Len(t, e.shop.Fulfillments(ref.ID), 2)
	})
}
