package shopifytest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/shopify/shopifytest"
)

const createMutation = `mutation Create($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    fulfillment {
      id name status
      location { id }
      trackingInfo { company number url }
      fulfillmentLineItems(first: 10) { nodes { quantity lineItem { id sku } } }
    }
    userErrors { field message }
  }
}`

// foInput is one FulfillmentOrderLineItemsInput; lines are (FO line item
// ID, quantity) pairs, none meaning "everything left".
func foInput(foID string, lines ...any) map[string]any {
	in := map[string]any{"fulfillmentOrderId": foID}
	if len(lines) > 0 {
		var items []any
		for i := 0; i+1 < len(lines); i += 2 {
			items = append(items, map[string]any{"id": lines[i], "quantity": lines[i+1]})
		}
		in["fulfillmentOrderLineItems"] = items
	}
	return in
}

func fulfillmentVars(groups ...map[string]any) map[string]any {
	var list []any
	for _, g := range groups {
		list = append(list, g)
	}
	return map[string]any{"fulfillment": map[string]any{"lineItemsByFulfillmentOrder": list}}
}

func userErrorsOf(r response, key string) []any {
	l, _ := r.data(key, "userErrors").([]any)
	return l
}

func TestFulfillmentCreatePartialThenRest(t *testing.T) {
	f := newFixture(t)
	fo, mug, tee := f.ref.FulfillmentOrderIDs[0], f.ref.FOLineItemIDs[0][0], f.ref.FOLineItemIDs[0][1]
	require.Equal(t, "UNFULFILLED", f.shop.DisplayFulfillmentStatus(f.ref.ID))

	vars := fulfillmentVars(foInput(fo, mug, 2))
	vars["fulfillment"].(map[string]any)["trackingInfo"] = map[string]any{"company": "UPS", "number": "1Z999", "url": "https://ups.example/1Z999"}
	vars["fulfillment"].(map[string]any)["notifyCustomer"] = true
	r := f.c.do(createMutation, vars)
	require.Equal(t, 200, r.Status)
	require.Empty(t, userErrorsOf(r, "fulfillmentCreate"), string(r.Raw))
	require.Equal(t, "#1001.1", r.data("fulfillmentCreate", "fulfillment", "name"))
	require.Equal(t, "SUCCESS", r.data("fulfillmentCreate", "fulfillment", "status"))
	require.Equal(t, f.wh, r.data("fulfillmentCreate", "fulfillment", "location", "id"))
	require.Equal(t, []any{map[string]any{"company": "UPS", "number": "1Z999", "url": "https://ups.example/1Z999"}},
		r.data("fulfillmentCreate", "fulfillment", "trackingInfo"))
	require.EqualValues(t, 2, r.data("fulfillmentCreate", "fulfillment", "fulfillmentLineItems", "nodes", 0, "quantity"))

	fos := f.shop.FulfillmentOrders(f.ref.ID)
	require.Len(t, fos, 1)
	require.Equal(t, "IN_PROGRESS", fos[0].Status)
	require.Equal(t, []string{"CREATE_FULFILLMENT", "MOVE", "HOLD", "SPLIT"}, fos[0].SupportedActions)
	require.Equal(t, 1, fos[0].Lines[0].Remaining)
	require.Equal(t, 3, fos[0].Lines[0].Total)
	require.Equal(t, "PARTIALLY_FULFILLED", f.shop.DisplayFulfillmentStatus(f.ref.ID))

	// Omitted line items: everything left (1 MUG, 1 TEE).
	r = f.c.do(createMutation, fulfillmentVars(foInput(fo)))
	require.Empty(t, userErrorsOf(r, "fulfillmentCreate"), string(r.Raw))
	require.Equal(t, "#1001.2", r.data("fulfillmentCreate", "fulfillment", "name"))
	require.Equal(t, "CLOSED", f.shop.FulfillmentOrders(f.ref.ID)[0].Status)
	require.Empty(t, f.shop.FulfillmentOrders(f.ref.ID)[0].SupportedActions)
	require.Equal(t, "FULFILLED", f.shop.DisplayFulfillmentStatus(f.ref.ID))

	got := f.shop.Fulfillments(f.ref.ID)
	require.Len(t, got, 2)
	require.Equal(t, []shopifytest.Tracking{{Company: "UPS", Number: "1Z999", URL: "https://ups.example/1Z999"}}, got[0].Tracking)
	require.True(t, got[0].NotifyCustomer)
	require.Equal(t, f.wh, got[0].LocationID)
	require.Equal(t, []string{fo}, got[0].FulfillmentOrderIDs)
	require.Equal(t, []shopifytest.FulfillmentLine{{ID: got[0].Lines[0].ID, LineItemID: f.ref.LineItemIDs[0], SKU: "MUG", Quantity: 2}}, got[0].Lines)
	require.Len(t, got[1].Lines, 2)
	require.Equal(t, 1, got[1].Lines[0].Quantity)
	require.Equal(t, tee, f.ref.FOLineItemIDs[0][1])

	// The order as a client reads it afterwards.
	r = f.c.do(`query($id: ID!) { order(id: $id) { displayFulfillmentStatus lineItems(first: 5) { nodes { sku quantity unfulfilledQuantity } } fulfillments(first: 5) { name } } }`, map[string]any{"id": f.ref.ID})
	require.Equal(t, "FULFILLED", r.data("order", "displayFulfillmentStatus"))
	require.EqualValues(t, 0, r.data("order", "lineItems", "nodes", 0, "unfulfilledQuantity"))
	require.Equal(t, "#1001.2", r.data("order", "fulfillments", 1, "name"))
}

func TestFulfillmentCreateAliases(t *testing.T) {
	// tracksync batches shipments as several aliased fulfillmentCreate in
	// one mutation: each runs, in order, with its own payload.
	f := newFixture(t)
	fo, mug, tee := f.ref.FulfillmentOrderIDs[0], f.ref.FOLineItemIDs[0][0], f.ref.FOLineItemIDs[0][1]
	q := `mutation Batch($a: FulfillmentInput!, $b: FulfillmentInput!) {
  a: fulfillmentCreate(fulfillment: $a) { fulfillment { id name } userErrors { field message } }
  b: fulfillmentCreate(fulfillment: $b) { fulfillment { id name } userErrors { field message } }
}`
	vars := map[string]any{
		"a": fulfillmentVars(foInput(fo, mug, 3))["fulfillment"],
		"b": map[string]any{"lineItemsByFulfillmentOrder": foInput(fo, tee, 1), "trackingInfo": map[string]any{"number": "X1"}}, // a single object coerces to a list
	}
	r := f.c.do(q, vars)
	require.Equal(t, "#1001.1", r.data("a", "fulfillment", "name"), string(r.Raw))
	require.Equal(t, "#1001.2", r.data("b", "fulfillment", "name"))
	require.Empty(t, userErrorsOf(r, "a"))
	require.Empty(t, userErrorsOf(r, "b"))
	require.EqualValues(t, 20, r.cost()["requestedQueryCost"])
	require.EqualValues(t, 20, r.cost()["actualQueryCost"])
	require.Equal(t, "FULFILLED", f.shop.DisplayFulfillmentStatus(f.ref.ID))

	reqs := f.srv.Requests()
	require.Equal(t, []string{"fulfillmentCreate", "fulfillmentCreate"}, reqs[len(reqs)-1].Fields)
	require.Equal(t, "Batch", reqs[len(reqs)-1].OperationName)
	require.Equal(t, "mutation", reqs[len(reqs)-1].OperationType)

	// The second alias fails on its own: the first one still applied.
	f2 := newFixture(t)
	fo, mug = f2.ref.FulfillmentOrderIDs[0], f2.ref.FOLineItemIDs[0][0]
	vars = map[string]any{"a": fulfillmentVars(foInput(fo, mug, 2))["fulfillment"], "b": fulfillmentVars(foInput(fo, mug, 2))["fulfillment"]}
	r = f2.c.do(q, vars)
	require.NotNil(t, r.data("a", "fulfillment"))
	require.Nil(t, r.data("b", "fulfillment"))
	require.Equal(t, "Invalid fulfillment order line item quantity requested.", r.data("b", "userErrors", 0, "message"))
}

func TestFulfillmentCreateUserErrors(t *testing.T) {
	field := func(parts ...any) []any {
		out := []any{"fulfillment", "lineItemsByFulfillmentOrder"}
		for _, p := range parts {
			out = append(out, fmt.Sprint(p))
		}
		return out
	}
	type seeded struct {
		*fixture
		split  shopifytest.OrderRef // FO 0 at Warehouse (MUG×1), FO 1 at Store (MUG×1)
		other  shopifytest.OrderRef // another order at Warehouse
		closed shopifytest.OrderRef
		held   shopifytest.OrderRef
		sched  shopifytest.OrderRef
	}
	seed := func(t *testing.T) *seeded {
		f := newFixture(t)
		s := &seeded{fixture: f}
		s.split = f.shop.AddOrder(shopifytest.OrderSeed{
			Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 2}},
			FulfillmentOrders: []shopifytest.FOSeed{
				{Location: f.wh, Lines: []shopifytest.FOLineSeed{{Line: 0, Quantity: 1}}},
				{Location: "Store", Lines: []shopifytest.FOLineSeed{{Line: 0, Quantity: 1}}},
			},
		})
		s.other = f.shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "CAP", Quantity: 1}}})
		s.closed = f.shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "CAP", Quantity: 1}}, FulfillmentOrders: []shopifytest.FOSeed{{Status: "CLOSED"}}})
		s.held = f.shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "CAP", Quantity: 1}}, FulfillmentOrders: []shopifytest.FOSeed{{Hold: "AWAITING_PAYMENT"}}})
		s.sched = f.shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "CAP", Quantity: 1}}, FulfillmentOrders: []shopifytest.FOSeed{{Status: "SCHEDULED"}}})
		return s
	}
	num := func(id string) string { return id[strings.LastIndex(id, "/")+1:] }
	tests := []struct {
		name      string
		vars      func(s *seeded) map[string]any
		wantField func(s *seeded) []any
		wantMsg   func(s *seeded) string
	}{
		{"over-fulfilment",
			func(s *seeded) map[string]any {
				return fulfillmentVars(foInput(s.ref.FulfillmentOrderIDs[0], s.ref.FOLineItemIDs[0][0], 4))
			},
			func(*seeded) []any { return field(0, "fulfillmentOrderLineItems", 0, "quantity") },
			func(*seeded) string { return "Invalid fulfillment order line item quantity requested." }},
		{"zero quantity",
			func(s *seeded) map[string]any {
				return fulfillmentVars(foInput(s.ref.FulfillmentOrderIDs[0], s.ref.FOLineItemIDs[0][1], 1, s.ref.FOLineItemIDs[0][0], 0))
			},
			func(*seeded) []any { return field(0, "fulfillmentOrderLineItems", 1, "quantity") },
			func(*seeded) string { return "Invalid fulfillment order line item quantity requested." }},
		{"same line twice over the remaining quantity",
			func(s *seeded) map[string]any {
				l := s.ref.FOLineItemIDs[0][0]
				return fulfillmentVars(foInput(s.ref.FulfillmentOrderIDs[0], l, 2, l, 2))
			},
			func(*seeded) []any { return field(0, "fulfillmentOrderLineItems", 1, "quantity") },
			func(*seeded) string { return "Invalid fulfillment order line item quantity requested." }},
		{"locations mixed",
			func(s *seeded) map[string]any {
				return fulfillmentVars(foInput(s.split.FulfillmentOrderIDs[0]), foInput(s.split.FulfillmentOrderIDs[1]))
			},
			func(*seeded) []any { return field() },
			func(s *seeded) string {
				return fmt.Sprintf("All fulfillment orders must be assigned to a single location. Multiple locations with IDs [%s, %s] were found", num(s.wh), num(s.store))
			}},
		{"orders mixed",
			func(s *seeded) map[string]any {
				return fulfillmentVars(foInput(s.ref.FulfillmentOrderIDs[0]), foInput(s.other.FulfillmentOrderIDs[0]))
			},
			func(*seeded) []any { return field() },
			func(*seeded) string { return "All fulfillment orders must belong to the same order." }},
		{"closed",
			func(s *seeded) map[string]any { return fulfillmentVars(foInput(s.closed.FulfillmentOrderIDs[0])) },
			func(*seeded) []any { return field(0, "fulfillmentOrderId") },
			func(s *seeded) string {
				return "Fulfillment order " + num(s.closed.FulfillmentOrderIDs[0]) + " has an unfulfillable status= closed."
			}},
		{"on hold",
			func(s *seeded) map[string]any { return fulfillmentVars(foInput(s.held.FulfillmentOrderIDs[0])) },
			func(*seeded) []any { return field(0, "fulfillmentOrderId") },
			func(s *seeded) string {
				return "Fulfillment order " + num(s.held.FulfillmentOrderIDs[0]) + " has an unfulfillable status= on_hold."
			}},
		{"scheduled",
			func(s *seeded) map[string]any { return fulfillmentVars(foInput(s.sched.FulfillmentOrderIDs[0])) },
			func(*seeded) []any { return field(0, "fulfillmentOrderId") },
			func(s *seeded) string {
				return "Fulfillment order " + num(s.sched.FulfillmentOrderIDs[0]) + " has an unfulfillable status= scheduled."
			}},
		{"unknown fulfillment order",
			func(*seeded) map[string]any { return fulfillmentVars(foInput("gid://shopify/FulfillmentOrder/1")) },
			func(*seeded) []any { return field(0, "fulfillmentOrderId") },
			func(*seeded) string { return "Fulfillment order does not exist." }},
		{"fulfillment order of another type",
			func(s *seeded) map[string]any { return fulfillmentVars(foInput(s.ref.ID)) },
			func(*seeded) []any { return field(0, "fulfillmentOrderId") },
			func(*seeded) string { return "Fulfillment order does not exist." }},
		{"unknown line item",
			func(s *seeded) map[string]any {
				return fulfillmentVars(foInput(s.ref.FulfillmentOrderIDs[0], "gid://shopify/FulfillmentOrderLineItem/1", 1))
			},
			func(*seeded) []any { return field(0, "fulfillmentOrderLineItems", 0, "id") },
			func(*seeded) string { return "Fulfillment order line item does not exist." }},
		{"line item of another fulfillment order",
			func(s *seeded) map[string]any {
				return fulfillmentVars(foInput(s.split.FulfillmentOrderIDs[0], s.split.FOLineItemIDs[1][0], 1))
			},
			func(*seeded) []any { return field(0, "fulfillmentOrderLineItems", 0, "id") },
			func(*seeded) string { return "Fulfillment order line item does not exist." }},
		{"no fulfillment order",
			func(*seeded) map[string]any {
				return map[string]any{"fulfillment": map[string]any{"lineItemsByFulfillmentOrder": []any{}}}
			},
			func(*seeded) []any { return field() },
			func(*seeded) string {
				return "Line items by fulfillment order must contain at least one fulfillment order."
			}},
		{"same fulfillment order twice",
			func(s *seeded) map[string]any {
				return fulfillmentVars(foInput(s.ref.FulfillmentOrderIDs[0]), foInput(s.ref.FulfillmentOrderIDs[0]))
			},
			func(*seeded) []any { return field(1, "fulfillmentOrderId") },
			func(*seeded) string { return "Fulfillment order is specified more than once." }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := seed(t)
			before := s.shop.FulfillmentOrders(s.ref.ID)
			r := s.c.do(createMutation, tt.vars(s))
			require.Equal(t, 200, r.Status)
			require.Empty(t, r.errors(), string(r.Raw))
			require.Nil(t, r.data("fulfillmentCreate", "fulfillment"))
			errs := userErrorsOf(r, "fulfillmentCreate")
			require.Len(t, errs, 1, string(r.Raw))
			require.Equal(t, tt.wantField(s), errs[0].(map[string]any)["field"])
			require.Equal(t, tt.wantMsg(s), errs[0].(map[string]any)["message"])
			// A call with userErrors changes nothing.
			require.Equal(t, before, s.shop.FulfillmentOrders(s.ref.ID))
			require.Empty(t, s.shop.Fulfillments(s.ref.ID))
			require.Empty(t, s.shop.Fulfillments(s.split.ID))
		})
	}
}

func TestFulfillmentCreateSeveralFulfillmentOrders(t *testing.T) {
	// Two FOs of one order at one location ship in one fulfillment.
	f := newFixture(t)
	ref := f.shop.AddOrder(shopifytest.OrderSeed{
		Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 2}, {SKU: "TEE", Quantity: 1}},
		FulfillmentOrders: []shopifytest.FOSeed{
			{Location: f.wh, Lines: []shopifytest.FOLineSeed{{Line: 0, Quantity: 2}}},
			{Location: f.wh, Lines: []shopifytest.FOLineSeed{{Line: 1, Quantity: 1}}},
		},
	})
	r := f.c.do(createMutation, fulfillmentVars(foInput(ref.FulfillmentOrderIDs[0]), foInput(ref.FulfillmentOrderIDs[1])))
	require.Empty(t, userErrorsOf(r, "fulfillmentCreate"), string(r.Raw))
	got := f.shop.Fulfillments(ref.ID)
	require.Len(t, got, 1)
	require.Equal(t, ref.FulfillmentOrderIDs, got[0].FulfillmentOrderIDs)
	for _, fo := range f.shop.FulfillmentOrders(ref.ID) {
		require.Equal(t, "CLOSED", fo.Status)
	}
	require.Equal(t, "FULFILLED", f.shop.DisplayFulfillmentStatus(ref.ID))
}

func TestHoldAndRelease(t *testing.T) {
	f := newFixture(t)
	fo := f.ref.FulfillmentOrderIDs[0]
	require.NoError(t, f.shop.Hold(fo, "INCORRECT_ADDRESS"))
	require.Equal(t, "ON_HOLD", f.shop.DisplayFulfillmentStatus(f.ref.ID))
	r := f.c.do(`query($id: ID!) { fulfillmentOrder(id: $id) { status supportedActions { action } fulfillmentHolds { reason reasonNotes } } }`, map[string]any{"id": fo})
	require.Equal(t, "ON_HOLD", r.data("fulfillmentOrder", "status"))
	require.Equal(t, []any{map[string]any{"action": "RELEASE_HOLD"}}, r.data("fulfillmentOrder", "supportedActions"))
	require.Equal(t, []any{map[string]any{"reason": "INCORRECT_ADDRESS", "reasonNotes": nil}}, r.data("fulfillmentOrder", "fulfillmentHolds"))

	require.NoError(t, f.shop.Release(fo))
	require.Equal(t, "OPEN", f.shop.FulfillmentOrders(f.ref.ID)[0].Status)
	require.Empty(t, f.shop.FulfillmentOrders(f.ref.ID)[0].HoldReasons)
	r = f.c.do(createMutation, fulfillmentVars(foInput(fo)))
	require.Empty(t, userErrorsOf(r, "fulfillmentCreate"))

	require.Error(t, f.shop.Hold(fo, "OTHER"), "a closed FO cannot be held")
	require.Error(t, f.shop.Release(fo), "not on hold")
	require.Error(t, f.shop.Hold("gid://shopify/FulfillmentOrder/1", "OTHER"))

	// Free text becomes reason OTHER with notes.
	ref := f.shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "A", Quantity: 1}}, FulfillmentOrders: []shopifytest.FOSeed{{Hold: "customer asked to wait"}}})
	r = f.c.do(`query($id: ID!) { fulfillmentOrder(id: $id) { fulfillmentHolds { reason reasonNotes } } }`, map[string]any{"id": ref.FulfillmentOrderIDs[0]})
	require.Equal(t, []any{map[string]any{"reason": "OTHER", "reasonNotes": "customer asked to wait"}}, r.data("fulfillmentOrder", "fulfillmentHolds"))
}

func TestScheduledSupportsOnlyMarkAsOpen(t *testing.T) {
	f := newFixture(t)
	ref := f.shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "A", Quantity: 1}}, FulfillmentOrders: []shopifytest.FOSeed{{Status: "SCHEDULED"}}})
	fos := f.shop.FulfillmentOrders(ref.ID)
	require.Equal(t, []string{"MARK_AS_OPEN"}, fos[0].SupportedActions)
	require.Equal(t, "SCHEDULED", f.shop.DisplayFulfillmentStatus(ref.ID))
}

const trackingMutation = `mutation Track($id: ID!, $t: FulfillmentTrackingInput!, $notify: Boolean) {
  fulfillmentTrackingInfoUpdate(fulfillmentId: $id, trackingInfoInput: $t, notifyCustomer: $notify) {
    fulfillment { id trackingInfo(first: 5) { company number url } }
    userErrors { field message }
  }
}`

func TestFulfillmentTrackingInfoUpdate(t *testing.T) {
	f := newFixture(t)
	r := f.c.do(createMutation, fulfillmentVars(foInput(f.ref.FulfillmentOrderIDs[0])))
	id, _ := r.data("fulfillmentCreate", "fulfillment", "id").(string)
	require.NotEmpty(t, id)
	require.Empty(t, f.shop.Fulfillments(f.ref.ID)[0].Tracking)

	tests := []struct {
		name  string
		input map[string]any
		want  []any
	}{
		{"company and number", map[string]any{"company": "DHL", "number": "JD01", "url": "https://dhl.example/JD01"},
			[]any{map[string]any{"company": "DHL", "number": "JD01", "url": "https://dhl.example/JD01"}}},
		{"replaced, several parcels", map[string]any{"company": "UPS", "numbers": []any{"1Z1", "1Z2"}, "urls": []any{"https://u/1"}},
			[]any{map[string]any{"company": "UPS", "number": "1Z1", "url": "https://u/1"}, map[string]any{"company": "UPS", "number": "1Z2", "url": nil}}},
		{"company only", map[string]any{"company": "Local courier"},
			[]any{map[string]any{"company": "Local courier", "number": nil, "url": nil}}},
		{"cleared", map[string]any{}, []any{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.c.do(trackingMutation, map[string]any{"id": id, "t": tt.input, "notify": true})
			require.Empty(t, userErrorsOf(r, "fulfillmentTrackingInfoUpdate"), string(r.Raw))
			require.Equal(t, tt.want, r.data("fulfillmentTrackingInfoUpdate", "fulfillment", "trackingInfo"))
		})
	}
	require.True(t, f.shop.Fulfillments(f.ref.ID)[0].NotifyCustomer)

	r = f.c.do(trackingMutation, map[string]any{"id": "gid://shopify/Fulfillment/1", "t": map[string]any{"number": "1"}})
	require.Nil(t, r.data("fulfillmentTrackingInfoUpdate", "fulfillment"))
	require.Equal(t, []any{map[string]any{"field": []any{"fulfillmentId"}, "message": "Fulfillment does not exist."}},
		r.data("fulfillmentTrackingInfoUpdate", "userErrors"))
}
