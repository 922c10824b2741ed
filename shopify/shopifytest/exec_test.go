package shopifytest_test

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestValidationErrors(t *testing.T) {
	tests := []struct {
		name     string
		query    string
		vars     map[string]any
		wantMsg  string
		wantCode string
		wantExt  map[string]any
	}{
		{"unknown field", `{ order(id: "1") { id trackingNumber } }`, nil,
			"Field 'trackingNumber' doesn't exist on type 'Order'", "undefinedField",
			map[string]any{"typeName": "Order", "fieldName": "trackingNumber"}},
		{"unknown argument", `{ order(id: "1", first: 2) { id } }`, nil,
			"Field 'order' doesn't accept argument 'first'", "argumentNotAccepted",
			map[string]any{"name": "order", "typeName": "Field", "argumentName": "first"}},
		{"missing argument", `{ order { id } }`, nil,
			"Field 'order' is missing required arguments: id", "missingRequiredArguments", nil},
		{"leaf with selection", `{ shop { name { x } } }`, nil, "", "selectionMismatch", nil},
		{"object without selection", `{ shop }`, nil, "", "selectionMismatch", nil},
		{"undefined variable", `query { order(id: $id) { id } }`, nil, "", "variableNotDefined", nil},
		{"unused variable", `query($x: Int) { shop { id } }`, nil, "", "variableNotUsed", nil},
		{"wrong literal type", `{ order(id: "1") { lineItems(first: "ten") { nodes { id } } } }`, nil, "", "argumentLiteralsIncompatible", nil},
		{"unknown type", `query($x: Nope) { order(id: $x) { id } }`, nil, "", "undefinedType", nil},
		{"unknown fragment", `{ shop { ...F } }`, nil, "", "undefinedFragment", nil},
		{"unknown input field", `mutation { fulfillmentCreate(fulfillment: {lineItemsByFulfillmentOrder: [], tracking: {}}) { userErrors { message } } }`, nil, "", "argumentLiteralsIncompatible", nil},
		{"subscription", `subscription { shop { id } }`, nil, "", "missingRootType", nil},
		{"variable of a wrong type", `query($id: ID!) { order(id: $id) { id } }`, map[string]any{"id": true},
			"Variable $id of type ID! was provided invalid value", "INVALID_VARIABLE", nil},
		{"missing required variable", `query($id: ID!) { order(id: $id) { id } }`, nil,
			"Variable $id of type ID! was provided invalid value", "INVALID_VARIABLE", nil},
		{"input object missing a field", `mutation($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { userErrors { message } } }`,
			map[string]any{"f": map[string]any{"notifyCustomer": true}},
			"Variable $f of type FulfillmentInput! was provided invalid value", "INVALID_VARIABLE", nil},
		{"input object with an unknown field", `mutation($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { userErrors { message } } }`,
			map[string]any{"f": map[string]any{"lineItemsByFulfillmentOrder": []any{}, "tracking": 1}},
			"Variable $f of type FulfillmentInput! was provided invalid value", "INVALID_VARIABLE", nil},
		{"string for a Boolean", `query($s: Boolean!) { shop { id @include(if: $s) } }`, map[string]any{"s": "yes"},
			"Variable $s of type Boolean! was provided invalid value", "INVALID_VARIABLE", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			r := f.c.do(tt.query, tt.vars)
			require.Equal(t, 200, r.Status)
			require.NotContains(t, r.Body, "data", "an invalid document is not executed")
			errs := r.errors()
			require.NotEmpty(t, errs, string(r.Raw))
			i := 0
			for i < len(errs)-1 && r.errorCodes()[i] != tt.wantCode {
				i++
			}
			require.Equal(t, tt.wantCode, r.errorCodes()[i], string(r.Raw))
			e := errs[i].(map[string]any)
			if tt.wantMsg != "" {
				require.Equal(t, tt.wantMsg, e["message"])
			}
			for k, v := range tt.wantExt {
				require.Equal(t, v, e["extensions"].(map[string]any)[k], k)
			}
			if tt.wantCode != "INVALID_VARIABLE" {
				require.NotEmpty(t, e["locations"], "validation errors point into the document")
			}
			// Not executed, not charged.
			require.Nil(t, r.cost()["actualQueryCost"])
			require.EqualValues(t, 2000, r.throttle()["currentlyAvailable"])
		})
	}
}

func TestVariableErrorProblems(t *testing.T) {
	f := newFixture(t)
	r := f.c.do(`mutation($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { userErrors { message } } }`,
		map[string]any{"f": map[string]any{"lineItemsByFulfillmentOrder": []any{map[string]any{"fulfillmentOrderId": "x", "fulfillmentOrderLineItems": []any{map[string]any{"id": "y", "quantity": 1.5}}}}}})
	ext := r.errors()[0].(map[string]any)["extensions"].(map[string]any)
	problem := ext["problems"].([]any)[0].(map[string]any)
	require.Equal(t, []any{"lineItemsByFulfillmentOrder", 0.0, "fulfillmentOrderLineItems", 0.0, "quantity"}, problem["path"])
	require.NotEmpty(t, problem["explanation"])
}

func TestParseError(t *testing.T) {
	f := newFixture(t)
	r := f.c.do(`{ shop { id `, nil)
	require.Equal(t, 200, r.Status)
	e := r.errors()[0].(map[string]any)
	require.NotEmpty(t, e["message"])
	require.NotEmpty(t, e["locations"])
}

func TestOperationSelection(t *testing.T) {
	f := newFixture(t)
	doc := `query A { shop { name } } query B { shop { id } }`
	body := func(op any) []byte {
		return []byte(mustJSON(t, map[string]any{"query": doc, "operationName": op}))
	}
	r, err := f.c.raw("POST", body("B"))
	require.NoError(t, err)
	require.NotNil(t, r.data("shop", "id"))
	require.Nil(t, r.data("shop", "name"))

	r, err = f.c.raw("POST", body(nil))
	require.NoError(t, err)
	require.Equal(t, "An operation name is required", r.errors()[0].(map[string]any)["message"])

	r, err = f.c.raw("POST", body("C"))
	require.NoError(t, err)
	require.Equal(t, `No operation named "C"`, r.errors()[0].(map[string]any)["message"])
}

func TestExecution(t *testing.T) {
	f := newFixture(t)
	vars := map[string]any{"id": f.ref.ID, "fo": f.ref.FulfillmentOrderIDs[0], "yes": true, "no": false}
	tests := []struct {
		name  string
		query string
		want  string // JSON of data
	}{
		{"aliases and __typename",
			`query($id: ID!) { o: order(id: $id) { __typename n: name } s: shop { __typename } }`,
			`{"o":{"__typename":"Order","n":"#1001"},"s":{"__typename":"Shop"}}`},
		{"fragments and inline fragments, merged in order",
			`query($id: ID!) { order(id: $id) { ...A ... on Order { name } ... on Node { id } } } fragment A on Order { name displayFulfillmentStatus }`,
			`{"order":{"name":"#1001","displayFulfillmentStatus":"UNFULFILLED","id":"` + f.ref.ID + `"}}`},
		{"same field twice merges sub-selections",
			`query($fo: ID!) { fulfillmentOrder(id: $fo) { assignedLocation { name } assignedLocation { location { isActive } } } }`,
			`{"fulfillmentOrder":{"assignedLocation":{"name":"Warehouse","location":{"isActive":true}}}}`},
		{"skip and include",
			`query($id: ID!, $yes: Boolean!, $no: Boolean!) { order(id: $id) { name @include(if: $yes) id @include(if: $no) closed @skip(if: $yes) cancelledAt @skip(if: false) } }`,
			`{"order":{"name":"#1001","cancelledAt":null}}`},
		{"unknown ids are null", `{ order(id: "gid://shopify/Order/1") { id } fulfillment(id: "nope") { id } fulfillmentOrder(id: "") { id } location(id: "gid://shopify/Location/1") { id } }`,
			`{"order":null,"fulfillment":null,"fulfillmentOrder":null,"location":null}`},
		{"primary location", `{ location { name isActive } }`, `{"location":{"name":"Warehouse","isActive":true}}`},
		{"enum and nullable leaves",
			`query($fo: ID!) { fulfillmentOrder(id: $fo) { status requestStatus orderId supportedActions { action externalUrl } lineItems(first: 1) { nodes { sku lineItem { sku quantity currentQuantity unfulfilledQuantity } } } } }`,
			`{"fulfillmentOrder":{"status":"OPEN","requestStatus":"UNSUBMITTED","orderId":"` + f.ref.ID + `","supportedActions":[{"action":"CREATE_FULFILLMENT","externalUrl":null},{"action":"MOVE","externalUrl":null},{"action":"HOLD","externalUrl":null},{"action":"SPLIT","externalUrl":null}],"lineItems":{"nodes":[{"sku":"MUG","lineItem":{"sku":"MUG","quantity":3,"currentQuantity":3,"unfulfilledQuantity":3}}]}}}`},
		{"back references", `query($fo: ID!) { fulfillmentOrder(id: $fo) { order { name fulfillmentOrders(first: 1) { nodes { order { name } } } } } }`,
			`{"fulfillmentOrder":{"order":{"name":"#1001","fulfillmentOrders":{"nodes":[{"order":{"name":"#1001"}}]}}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.c.do(tt.query, vars)
			require.Empty(t, r.errors(), string(r.Raw))
			require.JSONEq(t, tt.want, mustJSON(t, r.Body["data"]))
		})
	}
}

func TestResponseKeepsSelectionOrder(t *testing.T) {
	f := newFixture(t)
	r := f.c.do(`{ shop { name id myshopifyDomain } }`, nil)
	require.Regexp(t, `^\{"data":\{"shop":\{"name":.*,"id":.*,"myshopifyDomain":.*\}\},"extensions":\{"cost":\{"requestedQueryCost":1,"actualQueryCost":1,"throttleStatus":\{"maximumAvailable":2000\.0,"currentlyAvailable":1999,"restoreRate":100\.0\}\}\}\}$`, string(r.Raw))
}

func TestFieldErrorsHavePathsAndNullPropagates(t *testing.T) {
	f := newFixture(t)
	// lineItems is non-null (LineItemConnection!): its error nulls the
	// nearest nullable parent, the order; the sibling root field survives.
	r := f.c.do(`query($id: ID!) { order(id: $id) { name lineItems(first: 251) { nodes { id } } } shop { name } }`, map[string]any{"id": f.ref.ID})
	require.Equal(t, 200, r.Status)
	require.Nil(t, r.data("order"))
	require.Equal(t, "acme", r.data("shop", "name"))
	e := r.errors()[0].(map[string]any)
	require.Equal(t, []any{"order", "lineItems"}, e["path"])
	require.Equal(t, "first cannot exceed 250. To query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/api/usage/bulk-operations/queries for usage details.\n", e["message"])
	require.Equal(t, []any{map[string]any{"line": 1.0, "column": 41.0}}, e["locations"])

	// Inside a list the path carries the index.
	r = f.c.do(`query($id: ID!) { order(id: $id) { fulfillmentOrders(first: 1) { nodes { lineItems { nodes { id } } } } } }`, map[string]any{"id": f.ref.ID})
	e = r.errors()[0].(map[string]any)
	require.Equal(t, "you must provide one of first or last", e["message"])
	require.Equal(t, []any{"order", "fulfillmentOrders", "nodes", 0.0, "lineItems"}, e["path"])

	// Introspection is not served.
	r = f.c.do(`{ __schema { queryType { name } } }`, nil)
	require.Contains(t, r.Body, "data")
	require.Nil(t, r.Body["data"])
	require.NotEmpty(t, r.errors())
}
