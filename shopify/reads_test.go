package shopify_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/shopify/shopifytest"
	"github.com/shopctrl/tracksync/tracking"
)

// TestReadIsSizedToTheOrder checks the first read of an export against
// what it costs: a one-line order requests at most 50 points, and orders
// of up to 10 lines in up to 3 fulfillment orders request at most twice
// what they use.
func TestReadIsSizedToTheOrder(t *testing.T) {
	tests := []struct {
		name     string
		split    [][]int // per fulfillment order (and warehouse): the lines it holds
		packages int     // per fulfillment order, the lines dealt out between them
	}{
		{"one line", [][]int{{0}}, 1},
		{"ten lines, one package", [][]int{{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}}, 1},
		{"ten lines, ten packages", [][]int{{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}}, 10},
		{"ten lines in three fulfillment orders", [][]int{{0, 1, 2, 3}, {4, 5, 6}, {7, 8, 9}}, 1},
		{"ten lines in three fulfillment orders, a package each", [][]int{{0, 1, 2, 3}, {4, 5, 6}, {7, 8, 9}}, 4},
		{"three lines in three fulfillment orders", [][]int{{0}, {1}, {2}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			warehouses := []string{"AMS", "BER", "RTM"}
			locs := []string{e.ams, e.ber, e.shop.AddLocation("Rotterdam")}
			seed := shopifytest.OrderSeed{}
			var host []int
			for f, lines := range tt.split {
				fo := shopifytest.FOSeed{Location: locs[f]}
				for _, l := range lines {
					seed.Lines = append(seed.Lines, shopifytest.LineSeed{SKU: fmt.Sprint("SKU", l), Quantity: 1})
					fo.Lines = append(fo.Lines, shopifytest.FOLineSeed{Line: l, Quantity: 1})
					host = append(host, 1)
				}
				seed.FulfillmentOrders = append(seed.FulfillmentOrders, fo)
			}
			ref := e.shop.AddOrder(seed)
			o := hostOrder(ref, host)
			for f, lines := range tt.split {
				for p := range min(tt.packages, len(lines)) {
					s := pkg(fmt.Sprintf("S%d-%d", f, p), warehouses[f], "postnl", fmt.Sprintf("3SDEVC%03d%04d", f, p))
					for i := p; i < len(lines); i += tt.packages { // deal the lines out
						s.Items = append(s.Items, item(fmt.Sprint("L", lines[i]), 1))
					}
					o.Shipments = append(o.Shipments, s)
				}
			}
			require.NoError(t, o.Validate())
			exp := newExporterWith(t, e, map[string]string{"AMS": e.ams, "BER": e.ber, "RTM": locs[2]})
			res, err := exp.Export(t.Context(), o)
			require.NoError(t, err)
			for _, s := range res.Shipments {
				require.Equal(t, tracking.Pushed, s.State, s.Reason)
			}
			reqs := e.srv.Requests()
			require.Len(t, reqs, 2, "one read, one write")
			read := reqs[0]
			require.LessOrEqual(t, read.RequestedCost, 2*read.ActualCost, "requested %d, actual %d", read.RequestedCost, read.ActualCost)
			if len(seed.Lines) == 1 {
				require.LessOrEqual(t, read.RequestedCost, 50)
			}
			t.Logf("read requested %d, actual %d", read.RequestedCost, read.ActualCost)
		})
	}
}

// A package from another warehouse than Shopify assigned: read, move,
// fulfil — the move's answer replaces a second read.
func TestExportMoveTakesThreeRequests(t *testing.T) {
	e := newEnv(t)
	ref := e.shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 2}, {SKU: "TEE", Quantity: 1}},
		FulfillmentOrders: []shopifytest.FOSeed{{Location: e.ams}}})
	o := hostOrder(ref, []int{2, 1}, pkg("S1", "BER", "dhl-paket", "00340434161094042557", item("L0", 1), item("L1", 1)))
	o.Status = tracking.StatusPartiallyShipped
	exp := newExporterWith(t, e, map[string]string{"AMS": e.ams, "BER": e.ber}, eachShipment)
	res, err := exp.Export(t.Context(), o)
	require.NoError(t, err)
	require.Equal(t, []string{"S1=pushed"}, states(res))
	var ops []string
	for _, r := range e.srv.Requests() {
		ops = append(ops, r.Fields[0])
	}
	require.Equal(t, []string{"order", "fulfillmentOrderMove", "fulfillmentCreate"}, ops)
	fs := e.shop.Fulfillments(ref.ID)
	require.Len(t, fs, 1)
	require.Equal(t, e.ber, fs[0].LocationID)
	require.Len(t, e.shop.FulfillmentOrders(ref.ID), 2, "one unit of MUG stays in Amsterdam")
}
