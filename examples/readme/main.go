// Command readme is the "Use" example of the README, as a program that
// compiles and runs: README.md shows this file, and readme_test.go checks
// that the two are the same and runs the example against the fake channels.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"

	"github.com/shopctrl/tracksync/amazon"
	"github.com/shopctrl/tracksync/mapping"
	"github.com/shopctrl/tracksync/shopify"
	"github.com/shopctrl/tracksync/tracking"
)

func main() {
	var orders []tracking.Order // your order-management system's orders, here as JSON on stdin
	if err := json.NewDecoder(os.Stdin).Decode(&orders); err != nil {
		slog.Error("reading orders", "error", err)
		os.Exit(2)
	}
	cfg := config{
		mappingFile:  "mapping.json",
		ledgerFile:   "/var/lib/myapp/tracksync.jsonl",
		shopifyToken: os.Getenv("SHOPIFY_TOKEN"),
		amazon: amazon.Credentials{ClientID: os.Getenv("LWA_CLIENT_ID"),
			ClientSecret: os.Getenv("LWA_CLIENT_SECRET"), RefreshToken: os.Getenv("LWA_REFRESH_TOKEN")},
	}
	results, err := syncShipments(context.Background(), cfg, orders)
	for _, r := range results {
		for _, res := range r.Results {
			for _, s := range res.Shipments {
				// s.State: pushed, already_pushed, waiting, failed; s.Reason says what to do.
				fmt.Printf("%s %s %s: %s %s\n", r.OrderID, res.Exporter, s.ShipmentID, s.State, s.Reason)
			}
		}
	}
	if err != nil {
		slog.Error("sync", "error", err)
		os.Exit(1)
	}
}

// config is what the host brings. The options stay empty in production;
// tests point the clients at the fake channels with them.
type config struct {
	mappingFile, ledgerFile string
	shopifyToken            string
	amazon                  amazon.Credentials
	shopifyOptions          []shopify.Option
	amazonOptions           []amazon.Option
}

func syncShipments(ctx context.Context, cfg config, orders []tracking.Order) ([]tracking.OrderResult, error) {
	m, err := mapping.LoadFile(cfg.mappingFile) // warehouse → location, carrier → channel carrier, per store
	if err != nil {
		return nil, err
	}
	if err := mapping.Validate(ctx, m, orders...); err != nil {
		return nil, err // every missing mapping at once, each with the JSON to add
	}
	shops, err := shopify.NewShopClients(map[string]string{"demo-shop.myshopify.com": cfg.shopifyToken}, cfg.shopifyOptions...)
	if err != nil {
		return nil, err
	}
	sellers, err := amazon.NewSellerClients(map[string]amazon.Seller{
		"A2EXAMPLESELLER": {Credentials: cfg.amazon, Region: amazon.Europe},
	}, cfg.amazonOptions...)
	if err != nil {
		return nil, err
	}
	shopifyExporter, err := shopify.NewExporter(shops, m)
	if err != nil {
		return nil, err
	}
	amazonExporter, err := amazon.NewExporter(sellers, m)
	if err != nil {
		return nil, err
	}

	ledger, err := tracking.OpenFileLedger(cfg.ledgerFile) // what was pushed, across restarts
	if err != nil {
		return nil, err // e.g. its directory does not exist
	}
	defer ledger.Close()

	syncer, err := tracking.NewSyncer(
		tracking.WithExporters(shopifyExporter, amazonExporter),
		tracking.WithLedger(ledger),
		tracking.WithConcurrency(8),
		tracking.WithLogger(slog.Default()), // reaches the exporters and their clients too
	)
	if err != nil {
		return nil, err
	}
	return syncer.Sync(ctx, orders...) // one OrderResult per order, in input order
}
