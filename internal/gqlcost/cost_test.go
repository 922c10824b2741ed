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
