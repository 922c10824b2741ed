package shopifytest_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/shopify/shopifytest"
)

const moveMutation = `mutation Move($id: ID!, $loc: ID!, $items: [FulfillmentOrderLineItemInput!]) {
  fulfillmentOrderMove(id: $id, newLocationId: $loc, fulfillmentOrderLineItems: $items) {
    movedFulfillmentOrder { id status assignedLocation { location { id } } lineItems(first: 10) { nodes { id totalQuantity remainingQuantity } } }
    originalFulfillmentOrder { id status assignedLocation { location { id } } lineItems(first: 10) { nodes { id totalQuantity remainingQuantity } } }
    remainingFulfillmentOrder { id }
    userErrors { field message }
  }
}`

func moveItems(pairs ...any) []any {
	var out []any
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, map[string]any{"id": pairs[i], "quantity": pairs[i+1]})
	}
	return out
}

func TestFulfillmentOrderMove(t *testing.T) {
	tests := []struct {
		name string
		// before runs first (for example a partial fulfillment).
		before func(f *fixture)
		items  func(f *fixture) []any
		// sameFO: the original FO itself moved.
		sameFO       bool
		wantOriginal string // status of the original after the move
		wantOrigLoc  func(f *fixture) string
		wantMoved    [][2]int // (total, remaining) per moved line
		wantOrigLine [][2]int // (total, remaining) per line left in the original
		wantFOs      int
	}{
		{name: "everything, nothing fulfilled: the FO itself is reassigned",
			items:  func(*fixture) []any { return nil },
			sameFO: true, wantOriginal: "OPEN", wantOrigLoc: func(f *fixture) string { return f.store },
			wantMoved: [][2]int{{3, 3}, {1, 1}}, wantOrigLine: [][2]int{{3, 3}, {1, 1}}, wantFOs: 1},
		{name: "every line in full, listed: the FO itself is reassigned",
			items: func(f *fixture) []any {
				return moveItems(f.ref.FOLineItemIDs[0][0], 3, f.ref.FOLineItemIDs[0][1], 1)
			},
			sameFO: true, wantOriginal: "OPEN", wantOrigLoc: func(f *fixture) string { return f.store },
			wantMoved: [][2]int{{3, 3}, {1, 1}}, wantOrigLine: [][2]int{{3, 3}, {1, 1}}, wantFOs: 1},
		{name: "part of a line: a new FO takes it",
			items:        func(f *fixture) []any { return moveItems(f.ref.FOLineItemIDs[0][0], 2) },
			wantOriginal: "OPEN", wantOrigLoc: func(f *fixture) string { return f.wh },
			wantMoved: [][2]int{{2, 2}}, wantOrigLine: [][2]int{{1, 1}, {1, 1}}, wantFOs: 2},
		{name: "one whole line of two: a new FO, the line leaves the original",
			items:        func(f *fixture) []any { return moveItems(f.ref.FOLineItemIDs[0][1], 1) },
			wantOriginal: "OPEN", wantOrigLoc: func(f *fixture) string { return f.wh },
			wantMoved: [][2]int{{1, 1}}, wantOrigLine: [][2]int{{3, 3}}, wantFOs: 2},
		{name: "everything left after a partial fulfillment: a new FO, the original closes",
			before: func(f *fixture) {
				r := f.c.do(createMutation, fulfillmentVars(foInput(f.ref.FulfillmentOrderIDs[0], f.ref.FOLineItemIDs[0][0], 1)))
				require.Empty(f.c.t, userErrorsOf(r, "fulfillmentCreate"))
			},
			items:        func(*fixture) []any { return nil },
			wantOriginal: "CLOSED", wantOrigLoc: func(f *fixture) string { return f.wh },
			wantMoved: [][2]int{{2, 2}, {1, 1}}, wantOrigLine: [][2]int{{1, 0}}, wantFOs: 2},
		{name: "part of what is left after a partial fulfillment: the original stays in progress",
			before: func(f *fixture) {
				r := f.c.do(createMutation, fulfillmentVars(foInput(f.ref.FulfillmentOrderIDs[0], f.ref.FOLineItemIDs[0][0], 1)))
				require.Empty(f.c.t, userErrorsOf(r, "fulfillmentCreate"))
			},
			items:        func(f *fixture) []any { return moveItems(f.ref.FOLineItemIDs[0][0], 1) },
			wantOriginal: "IN_PROGRESS", wantOrigLoc: func(f *fixture) string { return f.wh },
			wantMoved: [][2]int{{1, 1}}, wantOrigLine: [][2]int{{2, 1}, {1, 1}}, wantFOs: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			if tt.before != nil {
				tt.before(f)
			}
			orig := f.ref.FulfillmentOrderIDs[0]
			vars := map[string]any{"id": orig, "loc": f.store}
			if items := tt.items(f); items != nil {
				vars["items"] = items
			}
			r := f.c.do(moveMutation, vars)
			p := "fulfillmentOrderMove"
			require.Empty(t, r.errors(), string(r.Raw))
			require.Empty(t, userErrorsOf(r, p), string(r.Raw))
			movedID := r.data(p, "movedFulfillmentOrder", "id")
			require.Equal(t, orig, r.data(p, "originalFulfillmentOrder", "id"))
			if tt.sameFO {
				require.Equal(t, orig, movedID)
			} else {
				require.NotEqual(t, orig, movedID)
				require.Equal(t, "OPEN", r.data(p, "movedFulfillmentOrder", "status"))
			}
			require.Equal(t, f.store, r.data(p, "movedFulfillmentOrder", "assignedLocation", "location", "id"))
			require.Equal(t, tt.wantOriginal, r.data(p, "originalFulfillmentOrder", "status"))
			require.Equal(t, tt.wantOrigLoc(f), r.data(p, "originalFulfillmentOrder", "assignedLocation", "location", "id"))
			require.Equal(t, tt.wantMoved, quantities(r.data(p, "movedFulfillmentOrder", "lineItems", "nodes")))
			require.Equal(t, tt.wantOrigLine, quantities(r.data(p, "originalFulfillmentOrder", "lineItems", "nodes")))
			if tt.wantOriginal == "CLOSED" || tt.sameFO {
				require.Nil(t, r.data(p, "remainingFulfillmentOrder"))
			} else {
				require.Equal(t, orig, r.data(p, "remainingFulfillmentOrder", "id"))
			}
			fos := f.shop.FulfillmentOrders(f.ref.ID)
			require.Len(t, fos, tt.wantFOs)
			if !tt.sameFO {
				require.Equal(t, movedID, fos[1].ID)
				require.Equal(t, f.store, fos[1].LocationID)
			}

			// What moved can be fulfilled at the new location.
			r = f.c.do(createMutation, fulfillmentVars(foInput(movedID.(string))))
			require.Empty(t, userErrorsOf(r, "fulfillmentCreate"), string(r.Raw))
			require.Equal(t, f.store, r.data("fulfillmentCreate", "fulfillment", "location", "id"))
		})
	}
}

// quantities reads (totalQuantity, remainingQuantity) of FO line nodes.
func quantities(nodes any) [][2]int {
	var out [][2]int
	l, _ := nodes.([]any)
	for _, n := range l {
		m := n.(map[string]any)
		out = append(out, [2]int{int(m["totalQuantity"].(float64)), int(m["remainingQuantity"].(float64))})
	}
	return out
}

func TestFulfillmentOrderMoveUserErrors(t *testing.T) {
	tests := []struct {
		name      string
		vars      func(f *fixture) map[string]any
		wantField []any
		wantMsg   string
	}{
		{"unknown fulfillment order", func(f *fixture) map[string]any {
			return map[string]any{"id": "gid://shopify/FulfillmentOrder/1", "loc": f.store}
		}, []any{"id"}, "Fulfillment order does not exist."},
		{"unknown location", func(f *fixture) map[string]any {
			return map[string]any{"id": f.ref.FulfillmentOrderIDs[0], "loc": "gid://shopify/Location/1"}
		}, []any{"newLocationId"}, "Location does not exist."},
		{"inactive location", func(f *fixture) map[string]any {
			require.NoError(f.c.t, f.shop.DeactivateLocation(f.store))
			return map[string]any{"id": f.ref.FulfillmentOrderIDs[0], "loc": f.store}
		}, []any{"newLocationId"}, "Location is not active."},
		{"same location", func(f *fixture) map[string]any {
			return map[string]any{"id": f.ref.FulfillmentOrderIDs[0], "loc": f.wh}
		}, []any{"newLocationId"}, "Fulfillment order is already assigned to the new location."},
		{"on hold", func(f *fixture) map[string]any {
			require.NoError(f.c.t, f.shop.Hold(f.ref.FulfillmentOrderIDs[0], "OTHER"))
			return map[string]any{"id": f.ref.FulfillmentOrderIDs[0], "loc": f.store}
		}, []any{"id"}, "Fulfillment order with status on_hold cannot be moved."},
		{"closed", func(f *fixture) map[string]any {
			r := f.c.do(createMutation, fulfillmentVars(foInput(f.ref.FulfillmentOrderIDs[0])))
			require.Empty(f.c.t, userErrorsOf(r, "fulfillmentCreate"))
			return map[string]any{"id": f.ref.FulfillmentOrderIDs[0], "loc": f.store}
		}, []any{"id"}, "Fulfillment order with status closed cannot be moved."},
		{"too many", func(f *fixture) map[string]any {
			return map[string]any{"id": f.ref.FulfillmentOrderIDs[0], "loc": f.store, "items": moveItems(f.ref.FOLineItemIDs[0][0], 5)}
		}, []any{"fulfillmentOrderLineItems", "0", "quantity"}, "Invalid fulfillment order line item quantity requested."},
		{"unknown line item", func(f *fixture) map[string]any {
			return map[string]any{"id": f.ref.FulfillmentOrderIDs[0], "loc": f.store, "items": moveItems("gid://shopify/FulfillmentOrderLineItem/9", 1)}
		}, []any{"fulfillmentOrderLineItems", "0", "id"}, "Fulfillment order line item does not exist."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			vars := tt.vars(f)
			before := f.shop.FulfillmentOrders(f.ref.ID)
			r := f.c.do(moveMutation, vars)
			require.Nil(t, r.data("fulfillmentOrderMove", "movedFulfillmentOrder"))
			require.Equal(t, []any{map[string]any{"field": tt.wantField, "message": tt.wantMsg}}, r.data("fulfillmentOrderMove", "userErrors"), string(r.Raw))
			require.Equal(t, before, f.shop.FulfillmentOrders(f.ref.ID))
		})
	}
}

func TestDisplayableHidesMovedAwayFulfillmentOrders(t *testing.T) {
	f := newFixture(t)
	ref := f.shop.AddOrder(shopifytest.OrderSeed{
		Lines:             []shopifytest.LineSeed{{SKU: "A", Quantity: 1}},
		FulfillmentOrders: []shopifytest.FOSeed{{Status: "CLOSED"}, {Location: "Store"}},
	})
	q := `query($id: ID!, $d: Boolean) { order(id: $id) { fulfillmentOrders(first: 5, displayable: $d) { nodes { id } } } }`
	r := f.c.do(q, map[string]any{"id": ref.ID})
	require.Len(t, r.data("order", "fulfillmentOrders", "nodes"), 2)
	r = f.c.do(q, map[string]any{"id": ref.ID, "d": true})
	require.Equal(t, []any{map[string]any{"id": ref.FulfillmentOrderIDs[1]}}, r.data("order", "fulfillmentOrders", "nodes"))
}
