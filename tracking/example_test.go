package tracking_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/trackingtest"
)

// A Syncer with a durable ledger: the second run finds both shipments in
// the ledger and calls no exporter.
func ExampleSyncer() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	ledger, err := tracking.OpenFileLedger(filepath.Join(dir, "ledger.jsonl"))
	if err != nil {
		panic(err)
	}
	defer ledger.Close()

	shopify := trackingtest.NewExporter(tracking.ChannelShopify) // shopify.NewExporter(...) in production
	syncer, err := tracking.NewSyncer(
		tracking.WithExporters(shopify),
		tracking.WithLedger(ledger),
		tracking.WithConcurrency(8),
	)
	if err != nil {
		panic(err)
	}
	order := exampleOrder()
	for run := 1; run <= 2; run++ {
		results, err := syncer.Sync(context.Background(), order)
		if err != nil {
			panic(err)
		}
		for _, s := range results[0].Results[0].Shipments {
			fmt.Println(run, s.ShipmentID, s.State, s.RemoteID)
		}
	}
	fmt.Println("exporter calls:", len(shopify.Calls()))
	// Output:
	// 1 S1 pushed shopify-1
	// 1 S2 pushed shopify-2
	// 2 S1 already_pushed shopify-1
	// 2 S2 already_pushed shopify-2
	// exporter calls: 1
}

// Stream reports each order as soon as it is done, for progress output in
// long runs.
func ExampleSyncer_Stream() {
	syncer, err := tracking.NewSyncer(tracking.WithExporters(trackingtest.NewExporter(tracking.ChannelShopify)))
	if err != nil {
		panic(err)
	}
	orders := []tracking.Order{exampleOrder()}
	done := 0
	for i, r := range syncer.Stream(context.Background(), orders) {
		done++
		fmt.Printf("%d/%d order %s: %v\n", done, len(orders), orders[i].ID, r.Counts())
	}
	// Output:
	// 1/1 order 1001: map[pushed:2]
}

// Validate reports every problem of an order at once.
func ExampleOrder_Validate() {
	o := exampleOrder()
	o.Store = ""
	o.Shipments[1].Items[0].Quantity = 5
	err := o.Validate()
	fmt.Println(errors.Is(err, tracking.ErrInvalidOrder))
	fmt.Println(err)
	// Output:
	// true
	// tracking: order "1001": store: is empty; set the channel account (Shopify shop domain, Amazon "sellerID/marketplaceID")
	// tracking: order "1001": lines[0].quantity: shipments hold 6 units of line "L1"; 2 ordered
}

func exampleOrder() tracking.Order {
	shipped := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	return tracking.Order{
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
}
