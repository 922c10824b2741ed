package shopify_test

import (
	"context"
	"fmt"
	"time"

	"github.com/shopctrl/tracksync/mapping"
	"github.com/shopctrl/tracksync/shopify"
	"github.com/shopctrl/tracksync/shopify/shopifytest"
	"github.com/shopctrl/tracksync/tracking"
)

// Push a fully shipped order in two packages, from two warehouses, to a
// fake shop: the Berlin package's items are moved to Berlin first, then
// each package becomes a fulfillment with its tracking.
func ExampleExporter() {
	srv := shopifytest.NewServer()
	defer srv.Close()
	shop := srv.AddShop("demo.myshopify.com", "shpat_example")
	ams, ber := shop.AddLocation("Amsterdam"), shop.AddLocation("Berlin")
	ref := shop.AddOrder(shopifytest.OrderSeed{Name: "#1001",
		Lines:             []shopifytest.LineSeed{{SKU: "MUG", Quantity: 1}, {SKU: "TEE", Quantity: 1}},
		FulfillmentOrders: []shopifytest.FOSeed{{Location: ams}}})

	m, _ := mapping.New(mapping.Config{Shopify: map[string]mapping.ShopifyStore{
		"demo.myshopify.com": {Locations: map[string]string{"AMS": ams, "BER": ber}},
	}})
	shops, _ := shopify.NewShopClients(map[string]string{"demo.myshopify.com": "shpat_example"}, shopify.WithBaseURL(srv.URL()))
	exporter, _ := shopify.NewExporter(shops, m)

	at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	order := tracking.Order{ID: "SC-1001", Channel: shopify.Channel, Store: "demo.myshopify.com",
		ChannelOrderID: ref.ID, Status: tracking.StatusFullyShipped,
		Lines: []tracking.Line{{ID: "1", ChannelLineID: ref.LineItemIDs[0], Quantity: 1}, {ID: "2", ChannelLineID: ref.LineItemIDs[1], Quantity: 1}},
		Shipments: []tracking.Shipment{
			{ID: "P1", Warehouse: "AMS", Carrier: "postnl", TrackingNumber: "3SDEVC1234567", ShippedAt: at, Items: []tracking.Item{{LineID: "1", Quantity: 1}}},
			{ID: "P2", Warehouse: "BER", Carrier: "dhl-paket", TrackingNumber: "00340434161094042557", ShippedAt: at, Items: []tracking.Item{{LineID: "2", Quantity: 1}}},
		}}
	res, err := exporter.Export(context.Background(), order)
	if err != nil {
		panic(err)
	}
	for _, s := range res.Shipments {
		fmt.Println(s.ShipmentID, s.State)
	}
	for _, f := range shop.Fulfillments(ref.ID) {
		where := "Amsterdam"
		if f.LocationID == ber {
			where = "Berlin"
		}
		fmt.Println(f.Name, where, f.Tracking[0].Company, f.Tracking[0].Number)
	}
	// Output:
	// P1 pushed
	// P2 pushed
	// #1001.1 Amsterdam PostNL 3SDEVC1234567
	// #1001.2 Berlin DHL 00340434161094042557
}

// Read an order as the Exporter does: sized to what the host expects (one
// fulfillment order with two line items, no fulfillments yet), so the
// bucket needs no more than the read can use.
func ExampleClient_ReadOrder() {
	srv := shopifytest.NewServer()
	defer srv.Close()
	shop := srv.AddShop("demo.myshopify.com", "shpat_example")
	shop.AddLocation("Amsterdam")
	ref := shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 2}, {SKU: "TEE", Quantity: 1}}})

	client, _ := shopify.NewClient("demo", "shpat_example", shopify.WithBaseURL(srv.URL()))
	o, resp, err := client.ReadOrder(context.Background(), ref.ID, shopify.OrderSize{FulfillmentOrders: 1, LineItems: 2, Fulfillments: 1})
	if err != nil {
		panic(err)
	}
	fmt.Println(len(o.FulfillmentOrders), "fulfillment order,", len(o.FulfillmentOrders[0].LineItems), "line items,", len(o.Fulfillments), "fulfillments")
	fmt.Printf("requested %.0f points, used %.0f\n", resp.Cost.RequestedQueryCost, *resp.Cost.ActualQueryCost)
	// Output:
	// 1 fulfillment order, 2 line items, 0 fulfillments
	// requested 18 points, used 16
}
