package shopifytest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/shopctrl/tracksync/shopify/shopifytest"
)

// FuzzGraphQLRequest posts arbitrary bodies: the server must answer every
// one with valid JSON, never a 500 (which is what a recovered panic
// becomes), and keep serving.
func FuzzGraphQLRequest(f *testing.F) {
	seeds := []string{
		`{"query":"{ shop { id name } }"}`,
		`{"query":"query($id: ID!) { order(id: $id) { fulfillmentOrders(first: 5) { nodes { id lineItems(first: 5) { nodes { id } } } } } }","variables":{"id":"gid://shopify/Order/1"}}`,
		`{"query":"mutation($f: FulfillmentInput!) { a: fulfillmentCreate(fulfillment: $f) { fulfillment { id } userErrors { field message } } }","variables":{"f":{"lineItemsByFulfillmentOrder":[{"fulfillmentOrderId":"gid://shopify/FulfillmentOrder/1","fulfillmentOrderLineItems":[{"id":"x","quantity":1}]}]}}}`,
		`{"query":"mutation { fulfillmentOrderMove(id: \"1\", newLocationId: \"2\", fulfillmentOrderLineItems: {id: \"3\", quantity: 99999999999}) { userErrors { message } } }"}`,
		`{"query":"mutation($t: FulfillmentTrackingInput!) { fulfillmentTrackingInfoUpdate(fulfillmentId: 5, trackingInfoInput: $t) { userErrors { message } } }","variables":{"t":{"numbers":"1","urls":[1]}}}`,
		`{"query":"query A { ...F } fragment F on QueryRoot { ...F }"}`,
		`{"query":"{ order(id: 1e99) { lineItems(first: -2147483649, after: \"!!\") { edges { cursor } } } }"}`,
		`{"query":"query($n: Int) { order(id: \"1\") { lineItems(first: $n) { nodes { id } } } }","variables":{"n":1e300}}`,
		`{"query":"{ __schema { types { name } } __typename }"}`,
		`{"query":"{ shop { id @skip(if: $x) } }","variables":{"x":{}}}`,
		`{"query": 5}`,
		`{"query":"{","operationName":7}`,
		`null`,
		``,
		`[]`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	srv := shopifytest.NewServer()
	f.Cleanup(srv.Close)
	shop := srv.AddShop(testDomain, testToken)
	shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "A", Quantity: 3}}})
	hc := &http.Client{Timeout: 10 * time.Second}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := http.NewRequest("POST", srv.URL()+"/admin/api/2026-10/graphql.json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Host = testDomain
		req.Header.Set("X-Shopify-Access-Token", testToken)
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode >= 500 {
			t.Fatalf("status %d for %q: %s", resp.StatusCode, body, out)
		}
		if !json.Valid(out) {
			t.Fatalf("invalid JSON for %q: %s", body, out)
		}
	})
}
