package shopifytest_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/shopify/shopifytest"
)

// lineItemsQuery requests 1 (order) + 2 + 10×1 (connection) = 13 points.
const lineItemsQuery = `query($id: ID!) { order(id: $id) { lineItems(first: 10) { nodes { id sku } } } }`

func TestCostFigures(t *testing.T) {
	f := newFixture(t)
	available, max, rate := f.shop.Bucket()
	require.Equal(t, []float64{2000, 2000, 100}, []float64{available, max, rate}, "Standard plan by default")

	// Two line items come back: actual 1 + 2 + 2 = 5.
	r := f.c.do(lineItemsQuery, map[string]any{"id": f.ref.ID})
	require.Equal(t, map[string]any{
		"requestedQueryCost": 13.0,
		"actualQueryCost":    5.0,
		"throttleStatus":     map[string]any{"maximumAvailable": 2000.0, "currentlyAvailable": 1995.0, "restoreRate": 100.0},
	}, r.cost())
	require.Contains(t, string(r.Raw), `"throttleStatus":{"maximumAvailable":2000.0,"currentlyAvailable":1995,"restoreRate":100.0}`)

	// A mutation is charged in full.
	r = f.c.do(createMutation, fulfillmentVars(foInput(f.ref.FulfillmentOrderIDs[0])))
	require.EqualValues(t, 10, r.cost()["requestedQueryCost"])
	require.EqualValues(t, 10, r.cost()["actualQueryCost"])
	require.EqualValues(t, 1985, r.throttle()["currentlyAvailable"])

	reqs := f.srv.Requests()
	require.Equal(t, 13, reqs[0].RequestedCost)
	require.Equal(t, 5, reqs[0].ActualCost)
	require.Equal(t, "query", reqs[0].OperationType)
	require.Equal(t, []string{"order"}, reqs[0].Fields)
	require.Equal(t, f.clock.Now(), reqs[0].Time)
	available, _, _ = f.shop.Bucket()
	require.Equal(t, 1985.0, available)
}

func TestThrottledAndRefill(t *testing.T) {
	f := newFixture(t, shopifytest.WithBucket(50, 10))
	vars := map[string]any{"id": f.ref.ID}
	// Each query takes 13 up front and keeps 5: 45, 40, 35, 30, 25, 20, 15.
	for i, want := range []float64{45, 40, 35, 30, 25, 20, 15} {
		r := f.c.do(lineItemsQuery, vars)
		require.Empty(t, r.errors(), "query %d", i)
		require.EqualValues(t, want, r.throttle()["currentlyAvailable"], "query %d", i)
	}
	// 15 ≥ 13 still passes (charging 5): 10 left, then 10 < 13 is refused.
	r := f.c.do(lineItemsQuery, vars)
	require.Empty(t, r.errors())
	r = f.c.do(lineItemsQuery, vars)
	require.Equal(t, 200, r.Status)
	require.JSONEq(t, `{
	  "errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits"}}],
	  "extensions": {"cost": {"requestedQueryCost": 13, "actualQueryCost": null,
	    "throttleStatus": {"maximumAvailable": 50.0, "currentlyAvailable": 10, "restoreRate": 10.0}}}
	}`, string(r.Raw))
	require.Equal(t, 1, f.srv.Throttled())
	reqs := f.srv.Requests()
	last := reqs[len(reqs)-1]
	require.True(t, last.Throttled)
	require.False(t, last.Executed)
	require.Equal(t, 0, last.ActualCost)

	// Nothing was charged; a throttled mutation does not apply either.
	r = f.c.do(createMutation, fulfillmentVars(foInput(f.ref.FulfillmentOrderIDs[0])))
	require.Empty(t, r.errors(), "10 points are enough for a mutation")
	r = f.c.do(createMutation, fulfillmentVars(foInput(f.ref.FulfillmentOrderIDs[0])))
	require.Equal(t, []string{"THROTTLED"}, r.errorCodes())
	require.Nil(t, r.Body["data"])
	require.Len(t, f.shop.Fulfillments(f.ref.ID), 1)
	require.Equal(t, 2, f.srv.Throttled())

	// The bucket refills at 10 points a second of the injected clock.
	f.clock.Advance(1500 * time.Millisecond)
	available, _, _ := f.shop.Bucket()
	require.Equal(t, 15.0, available)
	r = f.c.do(lineItemsQuery, vars)
	require.Empty(t, r.errors())
	require.EqualValues(t, 10, r.throttle()["currentlyAvailable"])

	// … and never beyond its size.
	f.clock.Advance(time.Hour)
	available, max, rate := f.shop.Bucket()
	require.Equal(t, []float64{50, 50, 10}, []float64{available, max, rate})
}

func TestBucketsArePerShop(t *testing.T) {
	f := newFixture(t)
	small := f.srv.AddShop("small.myshopify.com", "t2", shopifytest.ShopBucket(12, 1))
	small.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "A", Quantity: 1}}})
	c := newClient(t, f.srv)
	c.domain, c.token = "small.myshopify.com", "t2"
	r := c.do(lineItemsQuery, map[string]any{"id": f.ref.ID})
	require.Equal(t, []string{"THROTTLED"}, r.errorCodes(), "13 > 12")
	require.EqualValues(t, 12.0, r.throttle()["maximumAvailable"])
	r = f.c.do(lineItemsQuery, map[string]any{"id": f.ref.ID})
	require.Empty(t, r.errors(), "the other shop's bucket is untouched")
}

func TestMaxCostExceeded(t *testing.T) {
	f := newFixture(t)
	q := `query($id: ID!) { order(id: $id) { fulfillmentOrders(first: 20) { nodes { lineItems(first: 50) { nodes { id } } } } } }`
	// 1 + 2 + 20 × (1 + 2 + 50) = 1063.
	r := f.c.do(q, map[string]any{"id": f.ref.ID})
	require.Equal(t, 200, r.Status)
	require.NotContains(t, r.Body, "data")
	e := r.errors()[0].(map[string]any)
	require.Equal(t, "Query cost is 1063, which exceeds the single query max cost limit (1000).\n\n"+
		"See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\n"+
		"cost of a query is calculated.\n\n"+
		"To query larger amounts of data with fewer limits, bulk operations should be used instead.\n"+
		"See https://shopify.dev/api/usage/bulk-operations/queries for usage details.\n", e["message"])
	require.Equal(t, map[string]any{"code": "MAX_COST_EXCEEDED", "cost": 1063.0, "maxCost": 1000.0, "documentation": "https://shopify.dev/api/usage/rate-limits"}, e["extensions"])
	require.EqualValues(t, 1063, r.cost()["requestedQueryCost"])
	require.Nil(t, r.cost()["actualQueryCost"])
	require.EqualValues(t, 2000, r.throttle()["currentlyAvailable"], "not charged")

	// 1000 exactly is allowed: 1 + 1 + 2 + 12 × (1 + 2 + 80).
	r = f.c.do(`query($id: ID!) { shop { id } order(id: $id) { fulfillmentOrders(first: 12) { nodes { lineItems(first: 80) { nodes { id } } } } } }`, map[string]any{"id": f.ref.ID})
	require.Empty(t, r.errors(), string(r.Raw))
	require.EqualValues(t, 1000, r.cost()["requestedQueryCost"])
}

func TestAccessDenied(t *testing.T) {
	f := newFixture(t)
	ro := f.srv.AddShop("readonly.myshopify.com", "t3", shopifytest.ReadOnly())
	ref := ro.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "A", Quantity: 1}}})
	c := newClient(t, f.srv)
	c.domain, c.token = "readonly.myshopify.com", "t3"

	r := c.do(`query($id: ID!) { order(id: $id) { name } }`, map[string]any{"id": ref.ID})
	require.Empty(t, r.errors(), "reading is allowed")

	r = c.do(createMutation, fulfillmentVars(foInput(ref.FulfillmentOrderIDs[0])))
	require.Equal(t, 200, r.Status)
	require.Equal(t, map[string]any{"fulfillmentCreate": nil}, r.Body["data"])
	e := r.errors()[0].(map[string]any)
	const required = "Any of `write_assigned_fulfillment_orders`, `write_merchant_managed_fulfillment_orders`, `write_third_party_fulfillment_orders` access scopes."
	require.Equal(t, "Access denied for fulfillmentCreate field. Required access: "+required, e["message"])
	require.Equal(t, []any{"fulfillmentCreate"}, e["path"])
	require.Equal(t, map[string]any{"code": "ACCESS_DENIED", "documentation": "https://shopify.dev/api/usage/access-scopes", "requiredAccess": required}, e["extensions"])
	require.Empty(t, ro.Fulfillments(ref.ID))

	for _, m := range []string{"fulfillmentOrderMove", "fulfillmentTrackingInfoUpdate"} {
		var q string
		switch m {
		case "fulfillmentOrderMove":
			q = `mutation { fulfillmentOrderMove(id: "x", newLocationId: "y") { userErrors { message } } }`
		default:
			q = `mutation { fulfillmentTrackingInfoUpdate(fulfillmentId: "x", trackingInfoInput: {number: "1"}) { userErrors { message } } }`
		}
		r = c.do(q, nil)
		require.Equal(t, []string{"ACCESS_DENIED"}, r.errorCodes(), m)
		require.Equal(t, fmt.Sprintf("Access denied for %s field. Required access: %s", m, required), r.errors()[0].(map[string]any)["message"])
	}
}

// TestCostRules checks the fake's cost calculation against Shopify's
// documented rules (https://shopify.dev/docs/api/usage/limits#cost-calculation)
// on the fixture's order: two line items in one fulfillment order, nothing
// fulfilled yet.
func TestCostRules(t *testing.T) {
	tests := []struct {
		name              string
		query             string
		vars              map[string]any
		requested, actual int
	}{
		{"an object is 1, its scalars 0", `{ shop { id name myshopifyDomain } }`, nil, 1, 1},
		// The reference's example { products(first: 1) { edges { node { title } } } }
		// requests 3: 2 for the connection, 1 for its one node.
		{"the documented connection example, under an order", `query($id: ID!) { order(id: $id) { lineItems(first: 1) { edges { node { sku } } } } }`, nil, 1 + 3, 1 + 3},
		{"pageInfo is part of the connection's 2", `query($id: ID!) { order(id: $id) { lineItems(first: 1) { pageInfo { hasNextPage endCursor } edges { node { sku } } } } }`, nil, 1 + 3, 1 + 3},
		{"nodes and edges name the same objects", `query($id: ID!) { order(id: $id) { lineItems(first: 5) { nodes { id } edges { cursor node { id } } } } }`, nil, 1 + 2 + 5, 1 + 2 + 2},
		{"first from a variable", `query($id: ID!, $n: Int!) { order(id: $id) { lineItems(first: $n) { nodes { id } } } }`, map[string]any{"n": 40}, 1 + 2 + 40, 1 + 2 + 2},
		{"nested connections, actual by what came back",
			`query($id: ID!) { order(id: $id) { fulfillmentOrders(first: 3) { nodes { lineItems(first: 10) { nodes { id lineItem { id } } } } } } }`, nil,
			1 + 2 + 3*(1+2+10*2), 1 + 2 + 1*(1+2+2*2)},
		{"a null object costs its lookup", `{ order(id: "gid://shopify/Order/1") { id lineItems(first: 50) { nodes { id } } } }`, nil, 1 + 2 + 50, 1},
		{"a list sized by first", `query($id: ID!) { order(id: $id) { fulfillments(first: 5) { id trackingInfo(first: 2) { number } } } }`, nil, 1 + 5*(1+2), 1},
		{"an unsized list is one object",
			`query($id: ID!) { order(id: $id) { fulfillmentOrders(first: 1) { nodes { supportedActions { action } fulfillmentHolds { reason } } } } }`, nil,
			1 + 2 + 1*(1+1+1), 1 + 2 + 1*(1+1+1)},
		{"fragments count where they apply",
			`query($id: ID!) { order(id: $id) { ...O } } fragment O on Order { lineItems(first: 2) { nodes { ... on LineItem { id } ... on Node { id } } } }`, nil,
			1 + 2 + 2, 1 + 2 + 2},
		{"mutations are 10 each, charged in full",
			`mutation { a: fulfillmentCreate(fulfillment: {lineItemsByFulfillmentOrder: []}) { userErrors { message } } b: fulfillmentCreate(fulfillment: {lineItemsByFulfillmentOrder: []}) { fulfillment { id } } }`, nil,
			20, 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			vars := map[string]any{"id": f.ref.ID}
			for k, v := range tt.vars {
				vars[k] = v
			}
			r := f.c.do(tt.query, vars)
			require.NotContains(t, r.errorCodes(), "MAX_COST_EXCEEDED")
			require.EqualValues(t, tt.requested, r.cost()["requestedQueryCost"], "requested")
			require.EqualValues(t, tt.actual, r.cost()["actualQueryCost"], "actual")
			require.EqualValues(t, 2000-tt.actual, r.throttle()["currentlyAvailable"], "refunded requested − actual")
		})
	}
}
