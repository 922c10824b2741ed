// Command quickstart runs tracksync's main job end to end on one machine.
//
// It starts the embedded fake Shopify Admin API (shopify/shopifytest) with a
// shop that has two warehouses, seeds a few orders, and hands the host's
// view of them to a tracking.Syncer: the Shopify order shipped in three
// packages from Amsterdam and Berlin becomes three fulfillments (the Berlin
// package's items are moved to Berlin first), an order with a data error is
// reported on its own, and an Amazon order shipped in three packages from
// two warehouses is confirmed on the embedded fake SP-API
// (amazon/amazontest), package by package in order of dispatch. It prints
// what happened to every shipment and what the channels now hold, then
// runs twice more: over the same durable ledger (nothing is sent) and with
// the ledger lost (the exporters read the orders back and still create
// nothing twice).
//
//	go run ./examples/quickstart
package main

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/shopctrl/tracksync/amazon"
	"github.com/shopctrl/tracksync/amazon/amazontest"
	"github.com/shopctrl/tracksync/mapping"
	"github.com/shopctrl/tracksync/shopify"
	"github.com/shopctrl/tracksync/shopify/shopifytest"
	"github.com/shopctrl/tracksync/tracking"
)

// mappingJSON is the sample mapping: which Shopify location each warehouse
// is, and the carrier settings that differ from the carrier catalogue's.
//
//go:embed mapping.json
var mappingJSON []byte

const (
	shopDomain = "demo-shop.myshopify.com"
	shopToken  = "shpat_quickstart_demo_token"
	sellerID   = "A2EXAMPLESELLER"
	germany    = "A1PA6795UKMFR9"
)

// amazonCreds are the fake seller's LWA credentials.
var amazonCreds = amazon.Credentials{ClientID: "amzn1.application-oa2-client.quickstart", ClientSecret: "quickstart-client-secret", RefreshToken: "Atzr|quickstart-refresh-token"}

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, out io.Writer) error {
	dir, err := os.MkdirTemp("", "tracksync-quickstart-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	fake, shop, err := startShopify()
	if err != nil {
		return err
	}
	defer fake.Close()
	sp := amazontest.NewServer()
	defer sp.Close()
	seller := sp.AddSeller(sellerID, amazontest.Credentials(amazonCreds))
	orders, err := demoOrders(shop, seller)
	if err != nil {
		return err
	}

	// Check the mapping against the orders first: every gap at once.
	m, err := mapping.Load(bytes.NewReader(mappingJSON))
	if err != nil {
		return err
	}
	if err := mapping.Validate(ctx, m, orders...); err != nil {
		return fmt.Errorf("the sample mapping misses something: %w", err)
	}
	fmt.Fprintln(out, "mapping: every warehouse and carrier of the orders is mapped")
	printChannelView(ctx, out, m, orders)
	mail, err := startEmails(dir, m)
	if err != nil {
		return err
	}
	defer mail.Close()

	shops, err := shopify.NewShopClients(map[string]string{shopDomain: shopToken}, shopify.WithBaseURL(fake.URL()))
	if err != nil {
		return err
	}
	sellers, err := amazon.NewSellerClients(map[string]amazon.Seller{sellerID: {Credentials: amazonCreds, Region: amazon.Europe}},
		amazon.WithTestEndpoints(sp.URL(), sp.LWAEndpoint()))
	if err != nil {
		return err
	}
	runs := []struct {
		title  string
		ledger string
	}{
		{"run 1: push", "ledger.jsonl"},
		{"run 2: again, same ledger (a restarted process)", "ledger.jsonl"},
		{"run 3: again, ledger lost (the exporters reconcile with the channels)", "fresh-ledger.jsonl"},
	}
	for _, r := range runs {
		before, spBefore := len(fake.Requests()), len(sp.Requests())
		results, err := syncOnce(ctx, filepath.Join(dir, r.ledger), shops, sellers, m, orders, mail.notifier)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "\n== %s: %d Shopify requests, %d SP-API requests ==\n", r.title, len(fake.Requests())-before, len(sp.Requests())-spBefore)
		printResults(out, orders, results)
		mail.print(out)
		if r.ledger == "ledger.jsonl" && before == 0 {
			printFulfillments(out, shop, orders)
			printPackages(out, seller, orders[1])
		}
	}
	fmt.Fprintf(out, "\nShopify holds %d fulfillments for order %s and Amazon %d packages for order %s: one per package, whatever was repeated.\n",
		len(shop.Fulfillments(orders[0].ChannelOrderID)), orders[0].ChannelOrderID,
		len(seller.Packages(orders[1].ChannelOrderID)), orders[1].ChannelOrderID)
	return nil
}

// syncOnce runs the orders through a new Syncer over the ledger at path, as
// a new process would: what earlier runs committed is replayed from disk.
func syncOnce(ctx context.Context, path string, shops shopify.Shops, sellers amazon.Sellers, m *mapping.Static, orders []tracking.Order, more ...tracking.Exporter) ([]tracking.OrderResult, error) {
	ledger, err := tracking.OpenFileLedger(path)
	if err != nil {
		return nil, err
	}
	defer ledger.Close()
	shopifyExporter, err := shopify.NewExporter(shops, m)
	if err != nil {
		return nil, err
	}
	amazonExporter, err := amazon.NewExporter(sellers, m)
	if err != nil {
		return nil, err
	}
	syncer, err := tracking.NewSyncer(
		tracking.WithExporters(append([]tracking.Exporter{shopifyExporter, amazonExporter}, more...)...),
		tracking.WithLedger(ledger),
		tracking.WithConcurrency(4),
	)
	if err != nil {
		return nil, err
	}
	return syncer.Sync(ctx, orders...)
}

// startShopify starts the fake Admin API with the demo shop: Amsterdam and
// Berlin under the location ids the sample mapping names.
func startShopify() (*shopifytest.Server, *shopifytest.Shop, error) {
	fake := shopifytest.NewServer()
	shop := fake.AddShop(shopDomain, shopToken, shopifytest.ShopName("Demo Shop"))
	for id, name := range map[int64]string{6884: "Amsterdam", 6885: "Berlin"} {
		if _, err := shop.AddLocationWithID(name, id); err != nil {
			fake.Close()
			return nil, nil, err
		}
	}
	return fake, shop, nil
}

// printResults writes one row per shipment and exporter.
func printResults(out io.Writer, orders []tracking.Order, results []tracking.OrderResult) {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ORDER\tCHANNEL\tSHIPMENT\tFROM\tCARRIER\tTRACKING\tSTATE\tREMOTE ID / REASON")
	for i, r := range results {
		for _, res := range r.Results {
			if res.Channel == tracking.AllChannels {
				continue // the notifier: its emails are shown on their own
			}
			for _, sr := range res.Shipments {
				sh, _ := orders[i].Shipment(sr.ShipmentID)
				detail := sr.RemoteID
				if sr.Reason != "" {
					detail = sr.Reason
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
					r.OrderID, r.Channel, sr.ShipmentID, sh.Warehouse, sh.Carrier, dash(sh.TrackingNumber), sr.State, detail)
			}
		}
	}
	tw.Flush()
}

// printFulfillments shows the Shopify order as the fake now holds it.
func printFulfillments(out io.Writer, shop *shopifytest.Shop, orders []tracking.Order) {
	locations := map[string]string{"gid://shopify/Location/6884": "Amsterdam", "gid://shopify/Location/6885": "Berlin"}
	o := orders[0]
	fmt.Fprintf(out, "\nShopify order %s (%s) now holds:\n", o.ChannelOrderID, shop.DisplayFulfillmentStatus(o.ChannelOrderID))
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FULFILLMENT\tLOCATION\tCOMPANY\tNUMBER\tITEMS\tURL")
	for _, f := range shop.Fulfillments(o.ChannelOrderID) {
		items := 0
		for _, l := range f.Lines {
			items += l.Quantity
		}
		t := f.Tracking[0]
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", f.Name, locations[f.LocationID], t.Company, t.Number, items, t.URL)
	}
	tw.Flush()
}

// printPackages shows the Amazon order as the fake SP-API now holds it, in
// the order the packages were confirmed.
func printPackages(out io.Writer, seller *amazontest.Seller, o tracking.Order) {
	fmt.Fprintf(out, "\nAmazon order %s now holds, in order of confirmation:\n", o.ChannelOrderID)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PACKAGE REF\tCARRIER\tMETHOD\tNUMBER\tSHIPPED")
	for _, p := range seller.Packages(o.ChannelOrderID) {
		name := p.CarrierCode
		if p.CarrierName != "" {
			name += " / " + p.CarrierName
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.PackageReferenceID, name, dash(p.ShippingMethod), p.TrackingNumber, p.ShipDate.Format(time.RFC3339))
	}
	tw.Flush()
}

// printChannelView shows what each channel would receive for each
// shipment, as the mapping resolves it.
func printChannelView(ctx context.Context, out io.Writer, m *mapping.Static, orders []tracking.Order) {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\nSHIPMENT\tCHANNEL\tLOCATION\tCARRIER AS SENT\tSERVICE\tTRACKING URL")
	for _, o := range orders {
		for _, s := range o.Shipments {
			switch o.Channel {
			case tracking.ChannelShopify:
				loc, _ := m.ShopifyLocation(ctx, o.Store, s.Warehouse)
				t, _ := m.ShopifyCarrier(ctx, o.Store, s)
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", s.ID, o.Channel, loc, t.Company, dash(s.Service), t.URL)
			case tracking.ChannelAmazon:
				t, _ := m.AmazonCarrier(ctx, o.Store, s)
				name := t.CarrierCode
				if t.CarrierName != "" {
					name += " / " + t.CarrierName
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", s.ID, o.Channel, "-", name, dash(t.ShippingMethod), t.URL)
			}
		}
	}
	tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// demoOrders seeds the orders in the fake channels and returns what an
// order-management system hands over: the Shopify order shipped in three
// packages from two warehouses, an Amazon order in three packages from two
// warehouses, and a Shopify order with a data error that is reported on its
// own.
func demoOrders(shop *shopifytest.Shop, seller *amazontest.Seller) ([]tracking.Order, error) {
	day := time.Now().UTC().Truncate(24 * time.Hour).Add(-24 * time.Hour) // yesterday: Amazon refuses ship dates in the future
	ao, err := seller.AddOrder(amazontest.OrderSeed{AmazonOrderID: "028-1234567-1234567", MarketplaceID: germany, PurchaseDate: day.Add(-24 * time.Hour),
		Items: []amazontest.ItemSeed{{OrderItemID: "12345678901234", SKU: "KETTLE-1L", Quantity: 1}, {OrderItemID: "12345678901235", SKU: "FILTER-3P", Quantity: 3}}})
	if err != nil {
		return nil, err
	}
	// Shopify assigned every line to Amsterdam; one package left Berlin.
	o1042 := shop.AddOrder(shopifytest.OrderSeed{Name: "#1042",
		Lines:             []shopifytest.LineSeed{{SKU: "MUG-RED", Quantity: 2}, {SKU: "TEE-M-BLK", Quantity: 1}, {SKU: "POSTER-A2", Quantity: 1}},
		FulfillmentOrders: []shopifytest.FOSeed{{Location: "gid://shopify/Location/6884"}}})
	o1044 := shop.AddOrder(shopifytest.OrderSeed{Name: "#1044", Lines: []shopifytest.LineSeed{{SKU: "MUG-RED", Quantity: 1}}})
	return []tracking.Order{
		{
			ID: "SC-1042", Channel: tracking.ChannelShopify, Store: shopDomain,
			ChannelOrderID: o1042.ID, Status: tracking.StatusFullyShipped,
			Lines: []tracking.Line{
				{ID: "1042-1", ChannelLineID: o1042.LineItemIDs[0], SKU: "MUG-RED", Quantity: 2},
				{ID: "1042-2", ChannelLineID: o1042.LineItemIDs[1], SKU: "TEE-M-BLK", Quantity: 1},
				{ID: "1042-3", ChannelLineID: o1042.LineItemIDs[2], SKU: "POSTER-A2", Quantity: 1},
			},
			Shipments: []tracking.Shipment{
				{ID: "SHP-7001", Warehouse: "AMS", Carrier: "postnl", TrackingNumber: "3SDEVC1234567", ShippedAt: day.Add(9 * time.Hour),
					Items: []tracking.Item{{LineID: "1042-1", Quantity: 1}, {LineID: "1042-2", Quantity: 1}}},
				{ID: "SHP-7002", Warehouse: "AMS", Carrier: "postnl", Service: "evening", TrackingNumber: "3SDEVC7654321", ShippedAt: day.Add(10 * time.Hour),
					Items: []tracking.Item{{LineID: "1042-1", Quantity: 1}}},
				{ID: "SHP-7003", Warehouse: "BER", Carrier: "dhl-paket", TrackingNumber: "00340434161094042557", ShippedAt: day.Add(14 * time.Hour),
					Items: []tracking.Item{{LineID: "1042-3", Quantity: 1}}},
			},
			Customer: tracking.Customer{Email: "anna@example.com", Name: "Anna de Vries", Locale: "nl-NL"},
		},
		{
			ID: "SC-1043", Channel: tracking.ChannelAmazon, Store: sellerID + "/" + germany,
			ChannelOrderID: ao.AmazonOrderID, Status: tracking.StatusFullyShipped,
			Lines: []tracking.Line{
				{ID: "1043-1", ChannelLineID: ao.Items[0].OrderItemID, SKU: "KETTLE-1L", Quantity: 1},
				{ID: "1043-2", ChannelLineID: ao.Items[1].OrderItemID, SKU: "FILTER-3P", Quantity: 3},
			},
			// Listed as the host stores them; Amazon gets them in order of dispatch.
			Shipments: []tracking.Shipment{
				{ID: "SHP-7011", Warehouse: "AMS", Carrier: "ups", Service: "express", TrackingNumber: "1Z999AA10123456784", ShippedAt: day.Add(11 * time.Hour),
					Items: []tracking.Item{{LineID: "1043-2", Quantity: 2}}},
				{ID: "SHP-7010", Warehouse: "BER", Carrier: "dhl-paket", Service: "standard", TrackingNumber: "00340434161094042564", ShippedAt: day.Add(8 * time.Hour),
					Items: []tracking.Item{{LineID: "1043-1", Quantity: 1}}},
				{ID: "SHP-7012", Warehouse: "AMS", Carrier: "bike", TrackingNumber: "FK-20261124-7", ShippedAt: day.Add(15 * time.Hour),
					Items: []tracking.Item{{LineID: "1043-2", Quantity: 1}}},
			},
			Customer: tracking.Customer{Email: "max@example.de", Name: "Max Mustermann", Locale: "de-DE"},
		},
		{
			// Shipped more mugs than were ordered: the Syncer reports it and
			// goes on with the other orders.
			ID: "SC-1044", Channel: tracking.ChannelShopify, Store: shopDomain,
			ChannelOrderID: o1044.ID, Status: tracking.StatusFullyShipped,
			Lines: []tracking.Line{{ID: "1044-1", ChannelLineID: o1044.LineItemIDs[0], SKU: "MUG-RED", Quantity: 1}},
			Shipments: []tracking.Shipment{
				{ID: "SHP-7020", Warehouse: "AMS", Carrier: "postnl", TrackingNumber: "3SDEVC1111111", ShippedAt: day.Add(9 * time.Hour),
					Items: []tracking.Item{{LineID: "1044-1", Quantity: 2}}},
			},
		},
	}, nil
}
