package shopify

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/shopctrl/tracksync/mapping"
	"github.com/shopctrl/tracksync/tracking"
)

// BenchmarkPayloadBuild measures what the exporter does per package before
// the network: resolve location and carrier, check the tracking number,
// allocate the items to fulfillment order line items, and encode the
// mutation's variables. One op is one package of an order of 20.
func BenchmarkPayloadBuild(b *testing.B) {
	const n = 20
	m, err := mapping.New(mapping.Config{Shopify: map[string]mapping.ShopifyStore{"demo.myshopify.com": {Locations: map[string]string{"AMS": "1"}}}})
	if err != nil {
		b.Fatal(err)
	}
	e := &Exporter{mapping: m, logger: slog.New(slog.DiscardHandler)}
	o := tracking.Order{ID: "1", Channel: Channel, Store: "demo.myshopify.com", ChannelOrderID: "1", Status: tracking.StatusFullyShipped}
	so := &Order{ID: "gid://shopify/Order/1"}
	fo := FulfillmentOrder{ID: "gid://shopify/FulfillmentOrder/1", Status: "OPEN", LocationID: "gid://shopify/Location/1", SupportedActions: []string{"CREATE_FULFILLMENT", "MOVE"}}
	for i := range n {
		line := fmt.Sprintf("L%d", i)
		o.Lines = append(o.Lines, tracking.Line{ID: line, ChannelLineID: fmt.Sprint(100 + i), Quantity: 1})
		o.Shipments = append(o.Shipments, tracking.Shipment{ID: fmt.Sprintf("S%d", i), Warehouse: "AMS", Carrier: "ups",
			TrackingNumber: "1Z999AA10123456784", ShippedAt: time.Unix(1, 0), Items: []tracking.Item{{LineID: line, Quantity: 1}}})
		fo.LineItems = append(fo.LineItems, FulfillmentOrderLineItem{ID: fmt.Sprintf("gid://shopify/FulfillmentOrderLineItem/%d", i),
			LineItemID: fmt.Sprintf("gid://shopify/LineItem/%d", 100+i), RemainingQuantity: 1, TotalQuantity: 1})
	}
	so.FulfillmentOrders = []FulfillmentOrder{fo}
	results := make([]tracking.ShipmentResult, n)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i += n {
		pushes := e.prepare(b.Context(), o, results)
		pl := planFulfillments(so, pushes, false)
		vars := make(map[string]any, len(pl.creates))
		for j, c := range pl.creates {
			vars[fmt.Sprint("fulfillment", j)] = c.input
		}
		if len(pl.creates) != n {
			b.Fatal("plan incomplete", describePlan(pl))
		}
		if _, err := json.Marshal(vars); err != nil {
			b.Fatal(err)
		}
	}
}
