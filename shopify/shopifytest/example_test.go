package shopifytest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/shopctrl/tracksync/shopify/shopifytest"
)

// Seed a shop with an order, read its fulfillment orders with a plain
// net/http request, as any client would: dial the fake's address, name the
// shop in the Host header.
func Example() {
	srv := shopifytest.NewServer()
	defer srv.Close()
	shop := srv.AddShop("acme.myshopify.com", "shpat_example")
	shop.AddLocation("Warehouse")
	ref := shop.AddOrder(shopifytest.OrderSeed{
		Name:  "#1001",
		Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 2}},
	})

	body, _ := json.Marshal(map[string]any{
		"query": `query Order($id: ID!) {
  order(id: $id) {
    name
    displayFulfillmentStatus
    fulfillmentOrders(first: 5) { nodes { status assignedLocation { name } } }
  }
}`,
		"variables": map[string]any{"id": ref.ID},
	})
	req, _ := http.NewRequest("POST", srv.URL()+"/admin/api/2026-10/graphql.json", bytes.NewReader(body))
	req.Host = "acme.myshopify.com"
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Shopify-Access-Token", "shpat_example")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)

	fmt.Println(resp.Status, resp.Header.Get("X-Shopify-API-Version"))
	fmt.Println(string(out))
	// Output:
	// 200 OK 2026-10
	// {"data":{"order":{"name":"#1001","displayFulfillmentStatus":"UNFULFILLED","fulfillmentOrders":{"nodes":[{"status":"OPEN","assignedLocation":{"name":"Warehouse"}}]}}},"extensions":{"cost":{"requestedQueryCost":13,"actualQueryCost":5,"throttleStatus":{"maximumAvailable":2000.0,"currentlyAvailable":1995,"restoreRate":100.0}}}}
}

// An in-process fake answers through its Transport: no listener, so it
// runs inside a testing/synctest bubble, on the bubble's clock.
func ExampleNewInProcess() {
	srv := shopifytest.NewInProcess(shopifytest.WithBucket(1000, 50))
	shop := srv.AddShop("acme.myshopify.com", "shpat_example")
	ref := shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 1}}})

	body, _ := json.Marshal(map[string]any{
		"query":     `query($id: ID!) { order(id: $id) { lineItems(first: 5) { nodes { sku } } } }`,
		"variables": map[string]any{"id": ref.ID},
	})
	req, _ := http.NewRequest("POST", "https://acme.myshopify.com/admin/api/2026-10/graphql.json", bytes.NewReader(body))
	req.Header.Set("X-Shopify-Access-Token", "shpat_example")
	resp, err := srv.Client().Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	fmt.Println(string(out))
	// Output:
	// {"data":{"order":{"lineItems":{"nodes":[{"sku":"MUG"}]}}},"extensions":{"cost":{"requestedQueryCost":8,"actualQueryCost":4,"throttleStatus":{"maximumAvailable":1000.0,"currentlyAvailable":996,"restoreRate":50.0}}}}
}
