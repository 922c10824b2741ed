package amazon_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/shopctrl/tracksync/amazon"
	"github.com/shopctrl/tracksync/amazon/amazontest"
	"github.com/shopctrl/tracksync/mapping"
	"github.com/shopctrl/tracksync/tracking"
)

// Confirm two packages of an Amazon order against the fake SP-API: they
// reach Amazon in order of dispatch, each under a stable package reference.
func ExampleExporter() {
	srv := amazontest.NewServer()
	defer srv.Close()
	creds := amazon.Credentials{ClientID: "amzn1.application-oa2-client.example", ClientSecret: "secret", RefreshToken: "Atzr|example"}
	seller := srv.AddSeller("A2SELLER", amazontest.Credentials(creds))
	ao, _ := seller.AddOrder(amazontest.OrderSeed{MarketplaceID: "A1PA6795UKMFR9",
		PurchaseDate: time.Now().Add(-24 * time.Hour),
		Items:        []amazontest.ItemSeed{{SKU: "KETTLE", Quantity: 1}, {SKU: "FILTER", Quantity: 3}}})

	sellers, _ := amazon.NewSellerClients(map[string]amazon.Seller{"A2SELLER": {Credentials: creds, Region: amazon.Europe}},
		amazon.WithTestEndpoints(srv.URL(), srv.LWAEndpoint()))
	m, _ := mapping.Load(strings.NewReader(`{}`)) // catalogue defaults: ups → "UPS", dhl-paket → "DHL-Paket"
	exporter, _ := amazon.NewExporter(sellers, m)

	shipped := time.Now().Add(-2 * time.Hour).Truncate(time.Second)
	order := tracking.Order{ID: "SC-1043", Channel: amazon.Channel, Store: "A2SELLER/A1PA6795UKMFR9",
		ChannelOrderID: ao.AmazonOrderID, Status: tracking.StatusFullyShipped,
		Lines: []tracking.Line{{ID: "1", ChannelLineID: ao.Items[0].OrderItemID, Quantity: 1}, {ID: "2", ChannelLineID: ao.Items[1].OrderItemID, Quantity: 3}},
		Shipments: []tracking.Shipment{
			{ID: "P2", Warehouse: "AMS", Carrier: "ups", TrackingNumber: "1Z999AA10123456784", ShippedAt: shipped.Add(time.Hour), Items: []tracking.Item{{LineID: "2", Quantity: 3}}},
			{ID: "P1", Warehouse: "BER", Carrier: "dhl-paket", TrackingNumber: "00340434161094042557", ShippedAt: shipped, Items: []tracking.Item{{LineID: "1", Quantity: 1}}},
		}}
	res, _ := exporter.Export(context.Background(), order)
	for _, s := range res.Shipments {
		fmt.Println(s.ShipmentID, s.State)
	}
	for _, p := range seller.Packages(ao.AmazonOrderID) {
		fmt.Println(p.CarrierCode, p.TrackingNumber, p.PackageReferenceID == amazon.PackageReferenceID("P1"))
	}
	// Output:
	// P2 pushed
	// P1 pushed
	// DHL-Paket 00340434161094042557 true
	// UPS 1Z999AA10123456784 false
}

// Confirm packages of several orders in one feed against the fake SP-API.
// The Syncer's ledger keeps a note of the feed with every package, so a
// rerun after a crash reads the feed's report instead of sending again.
func ExampleFeedExporter() {
	srv := amazontest.NewServer(amazontest.WithFeedTiming(time.Millisecond, time.Millisecond))
	defer srv.Close()
	creds := amazon.Credentials{ClientID: "amzn1.application-oa2-client.example", ClientSecret: "secret", RefreshToken: "Atzr|example"}
	seller := srv.AddSeller("A2SELLER", amazontest.Credentials(creds))
	sellers, _ := amazon.NewSellerClients(map[string]amazon.Seller{"A2SELLER": {Credentials: creds, Region: amazon.Europe}},
		amazon.WithTestEndpoints(srv.URL(), srv.LWAEndpoint()))
	m, _ := mapping.Load(strings.NewReader(`{}`))
	exporter, _ := amazon.NewExporter(sellers, m)
	feeds, _ := amazon.NewFeedExporter(exporter, amazon.WithBatchSize(2), amazon.WithBatchWait(time.Second), amazon.WithPolling(5*time.Millisecond, 50*time.Millisecond))

	var orders []tracking.Order
	for i, number := range []string{"1Z999AA10123456784", "1Z999AA10123456795"} {
		ao, _ := seller.AddOrder(amazontest.OrderSeed{MarketplaceID: "A1PA6795UKMFR9", PurchaseDate: time.Now().Add(-24 * time.Hour),
			Items: []amazontest.ItemSeed{{SKU: "KETTLE", Quantity: 1}}})
		orders = append(orders, tracking.Order{ID: fmt.Sprint("SC-", i), Channel: amazon.Channel, Store: "A2SELLER/A1PA6795UKMFR9",
			ChannelOrderID: ao.AmazonOrderID, Status: tracking.StatusFullyShipped,
			Lines: []tracking.Line{{ID: "1", ChannelLineID: ao.Items[0].OrderItemID, Quantity: 1}},
			Shipments: []tracking.Shipment{{ID: fmt.Sprint("P-", i), Warehouse: "AMS", Carrier: "ups", TrackingNumber: number,
				ShippedAt: time.Now().Add(-time.Hour), Items: []tracking.Item{{LineID: "1", Quantity: 1}}}}})
	}
	syncer, _ := tracking.NewSyncer(tracking.WithExporters(feeds), tracking.WithLedger(tracking.NewMemoryLedger()), tracking.WithConcurrency(2))
	results, _ := syncer.Sync(context.Background(), orders...)
	for _, r := range results {
		s := r.Results[0].Shipments[0]
		fmt.Println(s.ShipmentID, s.State, strings.HasPrefix(s.RemoteID, "feed:"))
	}
	fmt.Println("feeds:", srv.Count(amazontest.OpCreateFeed))
	// Output:
	// P-0 pushed true
	// P-1 pushed true
	// feeds: 1
}
