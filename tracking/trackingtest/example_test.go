package trackingtest_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/trackingtest"
)

// A host application tests its use of the Syncer without any channel: the
// recording exporter stands in for Shopify, one shipment is scripted to
// fail, and the test inspects what reached "the channel".
func Example() {
	shopify := trackingtest.NewExporter(tracking.ChannelShopify)
	shopify.FailShipment("S2", errors.New("location AMS is not mapped"))

	syncer, err := tracking.NewSyncer(tracking.WithExporters(shopify))
	if err != nil {
		panic(err)
	}
	shipped := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	order := tracking.Order{
		ID: "1001", Channel: tracking.ChannelShopify, Store: "demo-shop.myshopify.com",
		ChannelOrderID: "gid://shopify/Order/1", Status: tracking.StatusFullyShipped,
		Lines: []tracking.Line{{ID: "L1", ChannelLineID: "gid://shopify/LineItem/1", Quantity: 2}},
		Shipments: []tracking.Shipment{
			{ID: "S1", Warehouse: "BER", Carrier: "dhl-paket", TrackingNumber: "00340434161094042557", ShippedAt: shipped,
				Items: []tracking.Item{{LineID: "L1", Quantity: 1}}},
			{ID: "S2", Warehouse: "AMS", Carrier: "postnl", TrackingNumber: "3SDEVC1234567", ShippedAt: shipped,
				Items: []tracking.Item{{LineID: "L1", Quantity: 1}}},
		},
	}
	results, _ := syncer.Sync(context.Background(), order)
	for _, s := range results[0].Results[0].Shipments {
		fmt.Println(s)
	}
	for _, p := range shopify.Pushes() {
		fmt.Println("held:", p.ShipmentID, p.TrackingNumber, p.RemoteID)
	}
	// Output:
	// S1: pushed shopify-1
	// S2: failed (location AMS is not mapped)
	// held: S1 00340434161094042557 shopify-1
}
