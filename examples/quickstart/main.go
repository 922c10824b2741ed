// Command quickstart runs tracksync's main job end to end on one machine:
// it hands a few realistic orders to a tracking.Syncer, prints what happened
// to every shipment, then runs again over the same durable ledger to show
// that a repeat pushes nothing twice.
//
// The channel exporters are, for now, in-memory recording exporters
// (tracking/trackingtest); the Shopify and Amazon exporters replace them
// against the embedded fake servers as they land.
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

	"github.com/shopctrl/tracksync/mapping"
	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/trackingtest"
)

// mappingJSON is the sample mapping: which Shopify location each warehouse
// is, and the carrier settings that differ from the carrier catalogue's.
//
//go:embed mapping.json
var mappingJSON []byte

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
	ledgerPath := filepath.Join(dir, "ledger.jsonl")
	orders := demoOrders()

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

	for run := 1; run <= 2; run++ {
		// Each run opens the ledger afresh, as a new process would: what the
		// first run pushed is replayed from disk.
		ledger, err := tracking.OpenFileLedger(ledgerPath)
		if err != nil {
			return err
		}
		shopify := trackingtest.NewExporter(tracking.ChannelShopify)
		amazon := trackingtest.NewExporter(tracking.ChannelAmazon, trackingtest.WithSerializeStore())
		syncer, err := tracking.NewSyncer(
			tracking.WithExporters(shopify, amazon),
			tracking.WithLedger(ledger),
			tracking.WithConcurrency(4),
		)
		if err != nil {
			ledger.Close()
			return err
		}
		results, err := syncer.Sync(ctx, orders...)
		if cerr := ledger.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "\n== run %d: %d exporter calls ==\n", run, len(shopify.Calls())+len(amazon.Calls()))
		printResults(out, orders, results)
	}
	return nil
}

// printResults writes one row per shipment and exporter.
func printResults(out io.Writer, orders []tracking.Order, results []tracking.OrderResult) {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ORDER\tCHANNEL\tSHIPMENT\tFROM\tCARRIER\tTRACKING\tSTATE\tREMOTE ID / REASON")
	for i, r := range results {
		for _, res := range r.Results {
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

// printChannelView shows what each channel would receive for each
// shipment, as the mapping resolves it.
func printChannelView(ctx context.Context, out io.Writer, m mapping.Resolver, orders []tracking.Order) {
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

// demoOrders are what an order-management system hands over: a Shopify
// order shipped in three packages from two warehouses, an Amazon order with
// two packages, and an order with a data error that is reported on its own.
func demoOrders() []tracking.Order {
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	return []tracking.Order{
		{
			ID: "SC-1042", Channel: tracking.ChannelShopify, Store: "demo-shop.myshopify.com",
			ChannelOrderID: "gid://shopify/Order/5551042", Status: tracking.StatusFullyShipped,
			Lines: []tracking.Line{
				{ID: "1042-1", ChannelLineID: "gid://shopify/LineItem/90001", SKU: "MUG-RED", Quantity: 2},
				{ID: "1042-2", ChannelLineID: "gid://shopify/LineItem/90002", SKU: "TEE-M-BLK", Quantity: 1},
				{ID: "1042-3", ChannelLineID: "gid://shopify/LineItem/90003", SKU: "POSTER-A2", Quantity: 1},
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
			ID: "SC-1043", Channel: tracking.ChannelAmazon, Store: "A2EXAMPLESELLER/A1PA6795UKMFR9",
			ChannelOrderID: "028-1234567-1234567", Status: tracking.StatusFullyShipped,
			Lines: []tracking.Line{
				{ID: "1043-1", ChannelLineID: "12345678901234", SKU: "KETTLE-1L", Quantity: 1},
				{ID: "1043-2", ChannelLineID: "12345678901235", SKU: "FILTER-3P", Quantity: 3},
			},
			Shipments: []tracking.Shipment{
				{ID: "SHP-7010", Warehouse: "BER", Carrier: "dhl-paket", Service: "standard", TrackingNumber: "00340434161094042564", ShippedAt: day.Add(8 * time.Hour),
					Items: []tracking.Item{{LineID: "1043-1", Quantity: 1}}},
				{ID: "SHP-7011", Warehouse: "AMS", Carrier: "ups", Service: "express", TrackingNumber: "1Z999AA10123456784", ShippedAt: day.Add(11 * time.Hour),
					Items: []tracking.Item{{LineID: "1043-2", Quantity: 3}}},
			},
			Customer: tracking.Customer{Email: "max@example.de", Name: "Max Mustermann", Locale: "de-DE"},
		},
		{
			// Shipped more mugs than were ordered: the Syncer reports it and
			// goes on with the other orders.
			ID: "SC-1044", Channel: tracking.ChannelShopify, Store: "demo-shop.myshopify.com",
			ChannelOrderID: "gid://shopify/Order/5551044", Status: tracking.StatusFullyShipped,
			Lines: []tracking.Line{{ID: "1044-1", ChannelLineID: "gid://shopify/LineItem/90011", SKU: "MUG-RED", Quantity: 1}},
			Shipments: []tracking.Shipment{
				{ID: "SHP-7020", Warehouse: "AMS", Carrier: "postnl", TrackingNumber: "3SDEVC1111111", ShippedAt: day.Add(9 * time.Hour),
					Items: []tracking.Item{{LineID: "1044-1", Quantity: 2}}},
			},
		},
	}
}
