package gqlcost

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestEstimate(t *testing.T) {
	tests := []struct {
		name  string
		query string
		vars  map[string]any
		want  int
	}{
		{"scalars only", `{ shop { id name } }`, nil, 1},
		{"nested objects", `{ order(id: "1") { id assignedLocation: customer { id } } }`, nil, 2},
		{"connection with nodes", `{ order(id: "1") { fulfillmentOrders(first: 10) { nodes { id status } pageInfo { hasNextPage } } } }`, nil, 1 + 2 + 10},
		{"connection with edges", `{ orders(first: 5) { edges { cursor node { id } } } }`, nil, 2 + 5},
		{"nested connections",
			`query Q($n: Int!) { order(id: "1") { fulfillmentOrders(first: $n) { nodes { id assignedLocation { location { id } } lineItems(first: 20) { nodes { id lineItem { id } } } } } } }`,
			map[string]any{"n": 4}, 1 + 2 + 4*(1+2+2+20*2)},
		{"json number variable", `query Q($n: Int) { orders(first: $n) { nodes { id } } }`, map[string]any{"n": json.Number("3")}, 2 + 3},
		{"sized list that is not a connection", `{ order(id: "1") { fulfillments(first: 5) { id trackingInfo(first: 2) { number } } } }`, nil, 1 + 5*(1+2*1)},
		{"fragments", `query { order(id: "1") { ...F } } fragment F on Order { customer { id } ... on Order { shippingAddress { city } } }`, nil, 3},
		{"mutation", `mutation { a: fulfillmentCreate(fulfillment: {}) { fulfillment { id } } b: fulfillmentCreate(fulfillment: {}) { userErrors { message } } }`, nil, 20},
		{"typename is free", `{ __typename shop { __typename } }`, nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Estimate(tt.query, "", tt.vars)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestEstimateErrors(t *testing.T) {
	_, err := Estimate(`{ shop {`, "", nil)
	require.Error(t, err)
	_, err = Estimate(`query A { shop { id } } query B { shop { id } }`, "", nil)
	require.ErrorContains(t, err, "name one")
	_, err = Estimate(`query A { shop { id } }`, "B", nil)
	require.ErrorContains(t, err, `no operation "B"`)
	_, err = Estimate(`query { ...F } fragment F on QueryRoot { ...F }`, "", nil)
	require.ErrorContains(t, err, "nested too deeply")
}

func FuzzEstimate(f *testing.F) {
	f.Add(`{ order(id: "1") { fulfillmentOrders(first: 10) { nodes { id } } } }`)
	f.Add(`mutation { x { y } }`)
	f.Fuzz(func(t *testing.T, q string) {
		n, err := Estimate(q, "", map[string]any{"n": 1e300})
		if err == nil {
			require.GreaterOrEqual(t, n, 0)
		}
	})
}

// TestDocumentedExamples checks the estimate against the worked examples
// and rules Shopify publishes.
func TestDocumentedExamples(t *testing.T) {
	tests := []struct {
		name, source, query string
		want                int
	}{
		{"connection of one node", "https://shopify.dev/docs/api/admin-graphql (Rate limits: requestedQueryCost 3)",
			`{ products(first: 1) { edges { node { title } } } }`, 3},
		{"an object is 1, scalars 0", "https://shopify.engineering/rate-limiting-graphql-apis-calculating-query-complexity",
			`query { shop { id name timezoneOffsetMinutes customerAccounts } }`, 1},
		{"a connection is 2 plus first times a node", "https://shopify.dev/docs/api/usage/limits#cost-calculation (Connection: sized by first and last)",
			`{ orders(first: 5) { edges { node { id } } } }`, 2 + 5},
		{"last sizes a connection too", "https://shopify.dev/docs/api/usage/limits#cost-calculation",
			`{ orders(last: 7) { nodes { id } } }`, 2 + 7},
		{"pageInfo is part of the connection, once per connection", "https://shopify.engineering/rate-limiting-graphql-apis-calculating-query-complexity",
			`{ products(first: 10) { pageInfo { hasNextPage endCursor } edges { cursor node { title variants(first: 5) { pageInfo { hasNextPage } nodes { price } } } } } }`,
			2 + 10*(1+2+5)},
		{"a mutation is 10", "https://shopify.dev/docs/api/usage/limits#cost-calculation (Mutation: 10)",
			`mutation { fulfillmentCreate(fulfillment: {}) { fulfillment { id trackingInfo(first: 5) { number } } userErrors { field message } } }`, 10},
		{"each aliased mutation is 10", "https://shopify.dev/docs/api/usage/limits#cost-calculation",
			`mutation { a: fulfillmentCreate(fulfillment: {}) { userErrors { message } } b: fulfillmentCreate(fulfillment: {}) { userErrors { message } } c: fulfillmentOrderMove(id: "1", newLocationId: "2") { userErrors { message } } }`, 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Estimate(tt.query, "", nil)
			require.NoError(t, err)
			require.Equal(t, tt.want, got, tt.source)
		})
	}
}
