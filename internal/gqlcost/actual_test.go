package gqlcost

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// orderedObject stands for an executor's ordered JSON object.
type orderedObject map[string]any

func (o orderedObject) Field(key string) (any, bool) { v, ok := o[key]; return v, ok }

func TestActual(t *testing.T) {
	tests := []struct {
		name      string
		query     string
		vars      map[string]any
		data      string
		requested int
		want      int
	}{
		{"scalars only", `{ shop { id name } }`, nil,
			`{"shop":{"id":"1","name":"s"}}`, 1, 1},
		{"null object still costs its lookup", `{ order(id: "1") { id } }`, nil,
			`{"order":null}`, 1, 1},
		{"connection returns fewer nodes than asked",
			`{ order(id: "1") { fulfillmentOrders(first: 10) { nodes { id status } pageInfo { hasNextPage } } } }`, nil,
			`{"order":{"fulfillmentOrders":{"nodes":[{"id":"a","status":"OPEN"},{"id":"b","status":"OPEN"}],"pageInfo":{"hasNextPage":false}}}}`,
			1 + 2 + 10, 1 + 2 + 2},
		{"edges and nodes count once",
			`{ order(id: "1") { fulfillmentOrders(first: 5) { nodes { id } edges { cursor node { id } } } } }`, nil,
			`{"order":{"fulfillmentOrders":{"nodes":[{"id":"a"}],"edges":[{"cursor":"c","node":{"id":"a"}}]}}}`,
			1 + 2 + 5, 1 + 2 + 1},
		{"nested connections by what came back",
			`query Q($n: Int!) { order(id: "1") { fulfillmentOrders(first: $n) { nodes { id assignedLocation { location { id } } lineItems(first: 20) { nodes { id lineItem { id } } } } } } }`,
			map[string]any{"n": 4},
			`{"order":{"fulfillmentOrders":{"nodes":[
				{"id":"a","assignedLocation":{"location":{"id":"l"}},"lineItems":{"nodes":[{"id":"x","lineItem":{"id":"y"}},{"id":"z","lineItem":{"id":"w"}}]}},
				{"id":"b","assignedLocation":{"location":null},"lineItems":{"nodes":[]}}]}}}`,
			1 + 2 + 4*(1+2+2+20*2), 1 + 2 + (1 + 2 + 2 + 2*2) + (1 + 2 + 2)},
		{"aliases are looked up by response key",
			`{ a: order(id: "1") { id } b: order(id: "2") { f: fulfillmentOrders(first: 3) { nodes { id } } } }`, nil,
			`{"a":{"id":"1"},"b":{"f":{"nodes":[{"id":"x"}]}}}`, 1 + 1 + 2 + 3, 1 + 1 + 2 + 1},
		{"sized list that is not a connection",
			`{ order(id: "1") { fulfillments(first: 5) { id trackingInfo(first: 2) { number } } } }`, nil,
			`{"order":{"fulfillments":[{"id":"f","trackingInfo":[{"number":"1"}]}]}}`,
			1 + 5*(1+2*1), 1 + 1*(1+1*1)},
		{"unsized list counts its most expensive element once",
			`{ fulfillmentOrder(id: "1") { supportedActions { action } fulfillmentHolds { id } } }`, nil,
			`{"fulfillmentOrder":{"supportedActions":[{"action":"MOVE"},{"action":"HOLD"}],"fulfillmentHolds":[]}}`,
			1 + 1 + 1, 1 + 1 + 1},
		{"fragments that did not apply cost nothing",
			`query { order(id: "1") { ...F } } fragment F on Order { customer { id } ... on Order { shippingAddress { city } } }`, nil,
			`{"order":{"customer":{"id":"c"}}}`, 3, 2},
		{"null connection costs only itself",
			`{ order(id: "1") { lineItems(first: 50) { nodes { id } } } }`, nil,
			`{"order":{"lineItems":null}}`, 1 + 2 + 50, 1 + 2},
		{"null data", `{ order(id: "1") { id } }`, nil, `null`, 1, 0},
		{"mutation is charged in full",
			`mutation { a: fulfillmentCreate(fulfillment: {}) { fulfillment { id } } b: fulfillmentCreate(fulfillment: {}) { userErrors { message } } }`, nil,
			`{"a":{"fulfillment":null},"b":{"userErrors":[]}}`, 20, 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := parser.ParseQuery(&ast.Source{Input: tt.query})
			require.NoError(t, err)
			var data any
			require.NoError(t, json.Unmarshal([]byte(tt.data), &data))

			requested, err := Requested(doc, "", tt.vars)
			require.NoError(t, err)
			require.Equal(t, tt.requested, requested, "requested")

			got, err := Actual(doc, "", tt.vars, data)
			require.NoError(t, err)
			require.Equal(t, tt.want, got, "actual")
			require.LessOrEqual(t, got, requested)
		})
	}
}

func TestActualOrderedObjects(t *testing.T) {
	doc, err := parser.ParseQuery(&ast.Source{Input: `{ order(id: "1") { lineItems(first: 9) { nodes { id } } } }`})
	require.NoError(t, err)
	data := orderedObject{"order": orderedObject{"lineItems": orderedObject{"nodes": []any{orderedObject{"id": "1"}, orderedObject{"id": "2"}}}}}
	got, err := Actual(doc, "", nil, data)
	require.NoError(t, err)
	require.Equal(t, 1+2+2, got)
}

func TestActualErrors(t *testing.T) {
	doc, err := parser.ParseQuery(&ast.Source{Input: `query A { shop { id } } query B { shop { id } }`})
	require.NoError(t, err)
	_, err = Actual(doc, "", nil, nil)
	require.ErrorContains(t, err, "name one")
	_, err = Actual(doc, "C", nil, nil)
	require.ErrorContains(t, err, `no operation "C"`)
	got, err := Actual(doc, "B", nil, map[string]any{"shop": map[string]any{"id": "x"}})
	require.NoError(t, err)
	require.Equal(t, 1, got)
}

func FuzzActual(f *testing.F) {
	f.Add(`{ order(id: "1") { fulfillmentOrders(first: 10) { nodes { id } } } }`, `{"order":{"fulfillmentOrders":{"nodes":[{"id":"a"}]}}}`)
	f.Add(`{ a: x { ...F } } fragment F on X { y(first: 2) { z } }`, `{"a":{"y":[{"z":1},{"z":2},{"z":3}]}}`)
	f.Fuzz(func(t *testing.T, q, data string) {
		doc, err := parser.ParseQuery(&ast.Source{Input: q})
		if err != nil {
			return
		}
		var v any
		if json.Unmarshal([]byte(data), &v) != nil {
			return
		}
		n, err := Actual(doc, "", nil, v)
		if err == nil {
			require.GreaterOrEqual(t, n, 0)
		}
	})
}
