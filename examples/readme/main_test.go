package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/amazon"
	"github.com/shopctrl/tracksync/amazon/amazontest"
	"github.com/shopctrl/tracksync/shopify"
	"github.com/shopctrl/tracksync/shopify/shopifytest"
	"github.com/shopctrl/tracksync/tracking"
)

var lwa = amazon.Credentials{ClientID: "amzn1.application-oa2-client.readme", ClientSecret: "readme-secret", RefreshToken: "Atzr|readme"}

// testSetup starts the fake channels with one order each and returns the
// example's configuration pointed at them.
func testSetup(t *testing.T) (config, []tracking.Order, *shopifytest.Shop, *amazontest.Seller) {
	shopFake := shopifytest.NewServer()
	t.Cleanup(shopFake.Close)
	shop := shopFake.AddShop("demo-shop.myshopify.com", "shpat_readme")
	_, err := shop.AddLocationWithID("Amsterdam", 6884)
	require.NoError(t, err)
	spFake := amazontest.NewServer()
	t.Cleanup(spFake.Close)
	seller := spFake.AddSeller("A2EXAMPLESELLER", amazontest.Credentials(lwa))

	day := time.Now().UTC().Truncate(24 * time.Hour).Add(-24 * time.Hour)
	so := shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 1}}})
	ao, err := seller.AddOrder(amazontest.OrderSeed{MarketplaceID: "A1PA6795UKMFR9", PurchaseDate: day.Add(-24 * time.Hour),
		Items: []amazontest.ItemSeed{{SKU: "KETTLE", Quantity: 1}}})
	require.NoError(t, err)
	orders := []tracking.Order{
		{ID: "SC-1", Channel: tracking.ChannelShopify, Store: "demo-shop.myshopify.com", ChannelOrderID: so.ID, Status: tracking.StatusFullyShipped,
			Lines: []tracking.Line{{ID: "1", ChannelLineID: so.LineItemIDs[0], SKU: "MUG", Quantity: 1}},
			Shipments: []tracking.Shipment{{ID: "P1", Warehouse: "AMS", Carrier: "postnl", TrackingNumber: "3SDEVC1234567", ShippedAt: day,
				Items: []tracking.Item{{LineID: "1", Quantity: 1}}}}},
		{ID: "SC-2", Channel: tracking.ChannelAmazon, Store: "A2EXAMPLESELLER/A1PA6795UKMFR9", ChannelOrderID: ao.AmazonOrderID, Status: tracking.StatusFullyShipped,
			Lines: []tracking.Line{{ID: "1", ChannelLineID: ao.Items[0].OrderItemID, SKU: "KETTLE", Quantity: 1}},
			Shipments: []tracking.Shipment{{ID: "P2", Warehouse: "BER", Carrier: "dhl-paket", TrackingNumber: "00340434161094042564", ShippedAt: day,
				Items: []tracking.Item{{LineID: "1", Quantity: 1}}}}},
	}
	cfg := config{
		mappingFile:    "../quickstart/mapping.json",
		ledgerFile:     filepath.Join(t.TempDir(), "tracksync.jsonl"),
		shopifyToken:   "shpat_readme",
		amazon:         lwa,
		shopifyOptions: []shopify.Option{shopify.WithBaseURL(shopFake.URL())},
		amazonOptions:  []amazon.Option{amazon.WithTestEndpoints(spFake.URL(), spFake.LWAEndpoint())},
	}
	return cfg, orders, shop, seller
}

func TestExampleRunsAgainstTheFakes(t *testing.T) {
	cfg, orders, shop, seller := testSetup(t)
	results, err := syncShipments(t.Context(), cfg, orders)
	require.NoError(t, err)
	require.Len(t, results, 2)
	for _, r := range results {
		require.Equal(t, map[tracking.State]int{tracking.Pushed: 1}, r.Counts(), "%+v", r)
	}
	require.Len(t, shop.Fulfillments(orders[0].ChannelOrderID), 1)
	require.Len(t, seller.Packages(orders[1].ChannelOrderID), 1)

	// A restart over the same ledger pushes nothing again.
	results, err = syncShipments(t.Context(), cfg, orders)
	require.NoError(t, err)
	for _, r := range results {
		require.Equal(t, map[tracking.State]int{tracking.AlreadyPushed: 1}, r.Counts())
	}
}

// The README's first version deferred ledger.Close before checking the
// error, which panicked when the ledger's directory was missing.
func TestMissingLedgerDirectoryIsAnError(t *testing.T) {
	cfg, orders, _, _ := testSetup(t)
	cfg.ledgerFile = filepath.Join(t.TempDir(), "no-such-dir", "tracksync.jsonl")
	_, err := syncShipments(t.Context(), cfg, orders)
	require.ErrorIs(t, err, os.ErrNotExist)
}

func TestMissingMappingIsReported(t *testing.T) {
	cfg, orders, _, _ := testSetup(t)
	orders[0].Shipments[0].Warehouse = "PAR"
	_, err := syncShipments(t.Context(), cfg, orders)
	require.ErrorContains(t, err, `"PAR"`)
}
