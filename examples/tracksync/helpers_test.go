package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/amazon/amazontest"
	"github.com/shopctrl/tracksync/shopify/shopifytest"
	"github.com/shopctrl/tracksync/tracking"
)

const (
	testShop     = "demo-shop.myshopify.com"
	testSeller   = "A2EXAMPLESELLER"
	testMarket   = "A1PA6795UKMFR9"
	shopToken    = "shpat_SECRET-shopify-token-7f3a"
	lwaSecret    = "SECRET-client-secret-91c2"
	lwaRefresh   = "Atzr|SECRET-refresh-token-55d0"
	lwaClientID  = "amzn1.application-oa2-client.tracksynctest"
	mappingFile  = "testdata/mapping.json"
	locAmsterdam = 6884
	locBerlin    = 6885
)

// secrets are the credentials no output may show.
var secrets = []string{shopToken, lwaSecret, lwaRefresh, "SECRET-"}

// channels are fake Shopify and Amazon servers with fast rate limits, as a
// test starts them and points the command at them with -shopify-url and
// -amazon-url.
type channels struct {
	shopify *shopifytest.Server
	amazon  *amazontest.Server
	shop    *shopifytest.Shop
	seller  *amazontest.Seller
	day     time.Time
	n       int
}

func newChannels(t testing.TB) *channels {
	t.Helper()
	var plans []amazontest.Option
	for _, op := range []string{amazontest.OpConfirmShipment, amazontest.OpGetOrder, amazontest.OpGetOrderItems} {
		plans = append(plans, amazontest.WithUsagePlan(op, 10000, 10000))
	}
	c := &channels{
		shopify: shopifytest.NewServer(shopifytest.WithBucket(1e7, 1e7)),
		amazon:  amazontest.NewServer(plans...),
		day:     time.Now().UTC().Truncate(24 * time.Hour).Add(-24 * time.Hour),
	}
	t.Cleanup(c.shopify.Close)
	t.Cleanup(c.amazon.Close)
	c.shop = c.shopify.AddShop(testShop, shopToken)
	for id, name := range map[int64]string{locAmsterdam: "Amsterdam", locBerlin: "Berlin"} {
		_, err := c.shop.AddLocationWithID(name, id)
		require.NoError(t, err)
	}
	c.seller = c.amazon.AddSeller(testSeller, amazontest.Credentials{ClientID: lwaClientID, ClientSecret: lwaSecret, RefreshToken: lwaRefresh})
	return c
}

// shopifyOrder seeds an order with two lines, all at Amsterdam, shipped in
// two packages: one from Amsterdam, one from Berlin.
func (c *channels) shopifyOrder(t testing.TB) tracking.Order {
	c.n++
	ref := c.shop.AddOrder(shopifytest.OrderSeed{
		Lines:             []shopifytest.LineSeed{{SKU: "MUG", Quantity: 2}, {SKU: "TEE", Quantity: 1}},
		FulfillmentOrders: []shopifytest.FOSeed{{Location: fmt.Sprintf("gid://shopify/Location/%d", locAmsterdam)}},
	})
	id := fmt.Sprintf("SO-%d", c.n)
	return tracking.Order{
		ID: id, Channel: tracking.ChannelShopify, Store: testShop, ChannelOrderID: ref.ID, Status: tracking.StatusFullyShipped,
		Lines: []tracking.Line{{ID: "l1", ChannelLineID: ref.LineItemIDs[0], SKU: "MUG", Quantity: 2}, {ID: "l2", ChannelLineID: ref.LineItemIDs[1], SKU: "TEE", Quantity: 1}},
		Shipments: []tracking.Shipment{
			{ID: id + "-A", Warehouse: "AMS", Carrier: "postnl", TrackingNumber: fmt.Sprintf("3SDEVC%07d", c.n), ShippedAt: c.day.Add(9 * time.Hour),
				Items: []tracking.Item{{LineID: "l1", Quantity: 2}}},
			{ID: id + "-B", Warehouse: "BER", Carrier: "dhl-paket", TrackingNumber: fmt.Sprintf("JJD%018d", c.n), ShippedAt: c.day.Add(10 * time.Hour),
				Items: []tracking.Item{{LineID: "l2", Quantity: 1}}},
		},
	}
}

// amazonOrder seeds an order with one item of two units, shipped in two
// packages.
func (c *channels) amazonOrder(t testing.TB) tracking.Order {
	t.Helper()
	c.n++
	ao, err := c.seller.AddOrder(amazontest.OrderSeed{MarketplaceID: testMarket, PurchaseDate: c.day.Add(-24 * time.Hour),
		Items: []amazontest.ItemSeed{{SKU: "KETTLE", Quantity: 2}}})
	require.NoError(t, err)
	id := fmt.Sprintf("AO-%d", c.n)
	return tracking.Order{
		ID: id, Channel: tracking.ChannelAmazon, Store: testSeller + "/" + testMarket, ChannelOrderID: ao.AmazonOrderID, Status: tracking.StatusFullyShipped,
		Lines: []tracking.Line{{ID: "k", ChannelLineID: ao.Items[0].OrderItemID, SKU: "KETTLE", Quantity: 2}},
		Shipments: []tracking.Shipment{
			{ID: id + "-1", Warehouse: "AMS", Carrier: "ups", Service: "express", TrackingNumber: fmt.Sprintf("1Z999AA1%010d", c.n), ShippedAt: c.day.Add(8 * time.Hour),
				Items: []tracking.Item{{LineID: "k", Quantity: 1}}},
			{ID: id + "-2", Warehouse: "BER", Carrier: "dhl-paket", Service: "standard", TrackingNumber: fmt.Sprintf("JJD%018d", c.n), ShippedAt: c.day.Add(11 * time.Hour),
				Items: []tracking.Item{{LineID: "k", Quantity: 1}}},
		},
	}
}

// pushed counts what the fakes hold for the orders: fulfillments on
// Shopify, packages on Amazon.
func (c *channels) pushed(orders []tracking.Order) int {
	n := 0
	for _, o := range orders {
		switch o.Channel {
		case tracking.ChannelShopify:
			n += len(c.shop.Fulfillments(o.ChannelOrderID))
		case tracking.ChannelAmazon:
			n += len(c.seller.Packages(o.ChannelOrderID))
		}
	}
	return n
}

// requests counts the requests both fakes received.
func (c *channels) requests() int {
	return len(c.shopify.Requests()) + len(c.amazon.Requests())
}

// args are the flags that point the command at the fakes, with the test
// credentials file and a ledger file in dir.
func (c *channels) args(t testing.TB, dir string, extra ...string) []string {
	t.Helper()
	return c.argsWithLedger(t, dir, append([]string{"-ledger", filepath.Join(dir, "ledger.jsonl")}, extra...)...)
}

// argsWithLedger are args without the ledger: extra names it, or the
// command picks its default.
func (c *channels) argsWithLedger(t testing.TB, dir string, extra ...string) []string {
	t.Helper()
	creds := filepath.Join(dir, "credentials.json")
	if _, err := os.Stat(creds); err != nil {
		writeCredentials(t, creds)
	}
	return append([]string{"-mapping", mappingFile, "-credentials", creds,
		"-shopify-url", c.shopify.URL(), "-amazon-url", c.amazon.URL()}, extra...)
}

func writeCredentials(t testing.TB, path string) {
	t.Helper()
	data, err := json.Marshal(map[string]any{
		"shopify": map[string]any{testShop: map[string]string{"access_token": shopToken}},
		"amazon":  map[string]any{testSeller: map[string]string{"client_id": lwaClientID, "client_secret": lwaSecret, "refresh_token": lwaRefresh}},
	})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, data, 0o600))
}

// writeOrders writes orders as JSON lines.
func writeOrders(t testing.TB, path string, orders []tracking.Order) {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for _, o := range orders {
		require.NoError(t, enc.Encode(o))
	}
	require.NoError(t, os.WriteFile(path, b.Bytes(), 0o600))
}

// result is one run of the command.
type result struct {
	code           int
	stdout, stderr string
}

func runCmd(ctx context.Context, stdin string, args ...string) result {
	var out, errOut syncBuffer
	code := run(ctx, args, strings.NewReader(stdin), &out, &errOut)
	return result{code, out.String(), errOut.String()}
}

// syncBuffer is a bytes.Buffer safe for the progress and log writers'
// goroutines; onWrite, when set, sees every write.
type syncBuffer struct {
	mu      sync.Mutex
	b       bytes.Buffer
	onWrite func(string)
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.onWrite != nil {
		s.onWrite(string(p))
	}
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// requireNoSecret fails when any output shows a credential.
func requireNoSecret(t testing.TB, r result) {
	t.Helper()
	for _, s := range secrets {
		require.NotContains(t, r.stdout, s)
		require.NotContains(t, r.stderr, s)
	}
}
