package shopifytest_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/shopify/shopifytest"
)

func TestPagination(t *testing.T) {
	f := newFixture(t)
	var lines []shopifytest.LineSeed
	for _, sku := range []string{"A", "B", "C", "D", "E"} {
		lines = append(lines, shopifytest.LineSeed{SKU: sku, Quantity: 1})
	}
	ref := f.shop.AddOrder(shopifytest.OrderSeed{Lines: lines})
	const q = `query($id: ID!, $first: Int, $last: Int, $after: String, $before: String, $reverse: Boolean) {
  order(id: $id) { lineItems(first: $first, last: $last, after: $after, before: $before, reverse: $reverse) {
    edges { cursor node { sku } }
    nodes { sku }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  } }
}`
	page := func(vars map[string]any) (skus []string, info map[string]any, cursors []string) {
		t.Helper()
		vars["id"] = ref.ID
		r := f.c.do(q, vars)
		require.Empty(t, r.errors(), string(r.Raw))
		for _, e := range r.data("order", "lineItems", "edges").([]any) {
			e := e.(map[string]any)
			skus = append(skus, e["node"].(map[string]any)["sku"].(string))
			cursors = append(cursors, e["cursor"].(string))
		}
		var nodes []string
		for _, n := range r.data("order", "lineItems", "nodes").([]any) {
			nodes = append(nodes, n.(map[string]any)["sku"].(string))
		}
		require.Equal(t, skus, nodes, "nodes and edges name the same page")
		return skus, r.data("order", "lineItems", "pageInfo").(map[string]any), cursors
	}

	skus, info, cursors := page(map[string]any{"first": 2})
	require.Equal(t, []string{"A", "B"}, skus)
	require.Equal(t, true, info["hasNextPage"])
	require.Equal(t, false, info["hasPreviousPage"])
	require.Equal(t, cursors[0], info["startCursor"])
	require.Equal(t, cursors[1], info["endCursor"])

	skus, info, _ = page(map[string]any{"first": 2, "after": info["endCursor"]})
	require.Equal(t, []string{"C", "D"}, skus)
	require.Equal(t, true, info["hasNextPage"])
	require.Equal(t, true, info["hasPreviousPage"])

	skus, info, _ = page(map[string]any{"first": 2, "after": info["endCursor"]})
	require.Equal(t, []string{"E"}, skus)
	require.Equal(t, false, info["hasNextPage"])

	skus, info, _ = page(map[string]any{"first": 2, "after": info["endCursor"]})
	require.Empty(t, skus)
	require.Nil(t, info["startCursor"])
	require.Nil(t, info["endCursor"])
	require.Equal(t, false, info["hasNextPage"])

	// Backwards.
	skus, info, _ = page(map[string]any{"last": 2})
	require.Equal(t, []string{"D", "E"}, skus)
	require.Equal(t, true, info["hasPreviousPage"])
	require.Equal(t, false, info["hasNextPage"])
	skus, _, _ = page(map[string]any{"last": 2, "before": info["startCursor"]})
	require.Equal(t, []string{"B", "C"}, skus)

	// Reverse.
	skus, _, _ = page(map[string]any{"first": 3, "reverse": true})
	require.Equal(t, []string{"E", "D", "C"}, skus)

	// The cap: 250 is allowed, 251 is not.
	skus, _, _ = page(map[string]any{"first": 250})
	require.Len(t, skus, 5)
}

func TestPaginationErrors(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name  string
		query string
		want  string
	}{
		{"first over 250", `query($id: ID!) { order(id: $id) { fulfillmentOrders(first: 251) { nodes { id } } } }`,
			"first cannot exceed 250. To query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/api/usage/bulk-operations/queries for usage details.\n"},
		{"last over 250", `query($id: ID!) { order(id: $id) { lineItems(last: 300) { nodes { id } } } }`,
			"last cannot exceed 250. To query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/api/usage/bulk-operations/queries for usage details.\n"},
		{"sized list over 250", `query($id: ID!) { order(id: $id) { fulfillments(first: 300) { id } } }`,
			"first cannot exceed 250. To query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/api/usage/bulk-operations/queries for usage details.\n"},
		{"neither first nor last", `query($id: ID!) { order(id: $id) { lineItems { nodes { id } } } }`,
			"you must provide one of first or last"},
		{"negative", `query($id: ID!) { order(id: $id) { lineItems(first: -1) { nodes { id } } } }`,
			"first cannot be negative"},
		{"bad cursor", `query($id: ID!) { order(id: $id) { lineItems(first: 1, after: "bm90IGEgY3Vyc29y") { nodes { id } } } }`,
			"Invalid cursor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.c.do(tt.query, map[string]any{"id": f.ref.ID})
			require.Equal(t, 200, r.Status)
			require.Len(t, r.errors(), 1, string(r.Raw))
			require.Equal(t, tt.want, r.errors()[0].(map[string]any)["message"])
			require.Nil(t, r.data("order"))
		})
	}
}

func TestConnectionsOfFulfillments(t *testing.T) {
	f := newFixture(t)
	fo := f.ref.FulfillmentOrderIDs[0]
	for range 3 {
		r := f.c.do(createMutation, fulfillmentVars(foInput(fo, f.ref.FOLineItemIDs[0][0], 1)))
		require.Empty(t, userErrorsOf(r, "fulfillmentCreate"))
	}
	r := f.c.do(`query($fo: ID!, $id: ID!) {
  fulfillmentOrder(id: $fo) { fulfillments(first: 2) { nodes { name } pageInfo { hasNextPage } } }
  order(id: $id) { fulfillments(first: 2) { name } all: fulfillments { name } }
}`, map[string]any{"fo": fo, "id": f.ref.ID})
	require.Empty(t, r.errors(), string(r.Raw))
	require.Equal(t, []any{map[string]any{"name": "#1001.1"}, map[string]any{"name": "#1001.2"}}, r.data("fulfillmentOrder", "fulfillments", "nodes"))
	require.Equal(t, true, r.data("fulfillmentOrder", "fulfillments", "pageInfo", "hasNextPage"))
	require.Len(t, r.data("order", "fulfillments"), 2)
	require.Len(t, r.data("order", "all"), 3)
}
