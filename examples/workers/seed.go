package main

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/shopctrl/tracksync/amazon"
	"github.com/shopctrl/tracksync/amazon/amazontest"
	"github.com/shopctrl/tracksync/shopify/shopifytest"
	"github.com/shopctrl/tracksync/tracking"
)

const germany = "A1PA6795UKMFR9"

// Rates of the fakes: a Shopify Plus shop's bucket, and Amazon usage plans
// raised as Amazon raises them for large sellers, so that a run of
// thousands of shipments takes seconds rather than the real defaults'
// minutes. The clients are told the same plans.
const (
	shopBucket, shopRestore = 10000, 500
	amazonRate, amazonBurst = 100, 20
)

// world is what the fleet runs against: the fakes, their stores and the
// host's view of the orders.
type world struct {
	shopify *shopifytest.Server
	amazon  *amazontest.Server
	shops   map[string]*shopifytest.Shop  // by domain
	sellers map[string]*amazontest.Seller // by store ("sellerID/marketplaceID")
	orders  []tracking.Order
	tokens  map[string]string             // Shopify access token by domain
	creds   map[string]amazon.Credentials // LWA credentials by seller id
	mapping json.RawMessage               // the mapping file of the workers
}

func (w *world) close() {
	w.shopify.Close()
	w.amazon.Close()
}

// newWorld starts the fakes and seeds them with shops, sellers and orders
// of two shipments each, spread round-robin over the stores. nonce makes
// the host's order and shipment ids new on every run.
func newWorld(cfg fleetConfig, nonce string) (*world, error) {
	w := &world{
		shopify: shopifytest.NewServer(shopifytest.WithBucket(shopBucket, shopRestore)),
		amazon: amazontest.NewServer(
			amazontest.WithUsagePlan(amazontest.OpConfirmShipment, amazonRate, amazonBurst),
			amazontest.WithUsagePlan(amazontest.OpGetOrder, amazonRate, amazonBurst)),
		shops: map[string]*shopifytest.Shop{}, sellers: map[string]*amazontest.Seller{},
		tokens: map[string]string{}, creds: map[string]amazon.Credentials{},
	}
	shopMap, sellerMap := map[string]any{}, map[string]any{}
	locations := map[string]string{} // the shop's one location, by domain
	var stores []string
	for i := range cfg.Shops {
		domain := fmt.Sprintf("shop-%d.myshopify.com", i+1)
		w.tokens[domain] = fmt.Sprintf("shpat_workers_example_%d", i+1)
		w.shops[domain] = w.shopify.AddShop(domain, w.tokens[domain])
		loc, err := w.shops[domain].AddLocationWithID("Main", int64(7001+i))
		if err != nil {
			w.close()
			return nil, err
		}
		locations[domain] = loc
		shopMap[domain] = map[string]any{"locations": map[string]any{"WH": 7001 + i}}
		stores = append(stores, domain)
	}
	for i := range cfg.Sellers {
		id := fmt.Sprintf("A%dWORKERSELLER", i+1)
		w.creds[id] = amazon.Credentials{ClientID: "amzn1.application-oa2-client.workers", ClientSecret: "workers-client-secret",
			RefreshToken: fmt.Sprintf("Atzr|workers-refresh-token-%d", i+1)}
		store := id + "/" + germany
		w.sellers[store] = w.amazon.AddSeller(id, amazontest.Credentials(w.creds[id]))
		sellerMap[id] = map[string]any{"carriers": map[string]any{"dhl-paket": map[string]string{"carrier": "dhl-paket", "shipping_method": "DHL Paket Standard"}}}
		stores = append(stores, store)
	}
	var err error
	if w.mapping, err = json.Marshal(map[string]any{"shopify": shopMap, "amazon": sellerMap}); err != nil {
		w.close()
		return nil, err
	}
	day := time.Now().UTC().Truncate(24 * time.Hour).Add(-24 * time.Hour) // Amazon refuses ship dates in the future
	for i := range cfg.Shipments / 2 {
		store := stores[i%len(stores)]
		id := fmt.Sprintf("%s-%05d", nonce, i)
		var o tracking.Order
		if shop := w.shops[store]; shop != nil {
			o = shopifyOrder(shop, locations[store], id, day)
		} else if o, err = amazonOrder(w.sellers[store], store, id, day); err != nil {
			w.close()
			return nil, err
		}
		w.orders = append(w.orders, o)
	}
	return w, nil
}

// shopifyOrder seeds an order of two lines at the shop's location, shipped
// in two packages.
func shopifyOrder(shop *shopifytest.Shop, location, id string, day time.Time) tracking.Order {
	ref := shop.AddOrder(shopifytest.OrderSeed{
		Lines:             []shopifytest.LineSeed{{SKU: "MUG", Quantity: 1}, {SKU: "TEE", Quantity: 1}},
		FulfillmentOrders: []shopifytest.FOSeed{{Location: location}},
	})
	return hostOrder(id, "shopify", shop.Domain(), ref.ID, ref.LineItemIDs, "postnl", day)
}

// amazonOrder seeds an order of two items, shipped in two packages.
func amazonOrder(seller *amazontest.Seller, store, id string, day time.Time) (tracking.Order, error) {
	ao, err := seller.AddOrder(amazontest.OrderSeed{MarketplaceID: germany, PurchaseDate: day.Add(-24 * time.Hour),
		Items: []amazontest.ItemSeed{{SKU: "KETTLE", Quantity: 1}, {SKU: "FILTER", Quantity: 1}}})
	if err != nil {
		return tracking.Order{}, err
	}
	return hostOrder(id, "amazon", store, ao.AmazonOrderID, []string{ao.Items[0].OrderItemID, ao.Items[1].OrderItemID}, "dhl-paket", day), nil
}

// hostOrder is the order as the host's order system hands it over: two
// lines, each shipped in its own package with its own tracking number.
func hostOrder(id string, channel tracking.Channel, store, channelOrderID string, lineIDs []string, carrier string, day time.Time) tracking.Order {
	o := tracking.Order{ID: id, Channel: channel, Store: store, ChannelOrderID: channelOrderID, Status: tracking.StatusFullyShipped}
	for i, lineID := range lineIDs {
		line := fmt.Sprintf("%s-L%d", id, i+1)
		o.Lines = append(o.Lines, tracking.Line{ID: line, ChannelLineID: lineID, SKU: fmt.Sprintf("SKU-%d", i+1), Quantity: 1})
		o.Shipments = append(o.Shipments, tracking.Shipment{
			ID: fmt.Sprintf("%s-S%d", id, i+1), Warehouse: "WH", Carrier: carrier,
			TrackingNumber: fmt.Sprintf("TN%s%d", id, i+1), ShippedAt: day.Add(time.Duration(9+i) * time.Hour),
			Items: []tracking.Item{{LineID: line, Quantity: 1}},
		})
	}
	return o
}

// injectFaults makes the fakes fail now and then, per store: server
// errors, a slow answer, and connections dropped before and after a write
// was applied (the ambiguous write the exporters reconcile).
func (w *world) injectFaults() {
	for domain := range w.shops {
		for _, f := range []shopifytest.Fault{
			{Shop: domain, Operation: "fulfillmentCreate", Status: 503, Times: 2},
			{Shop: domain, Operation: "fulfillmentCreate", DropAfterCommit: true, Times: 2},
			{Shop: domain, Operation: "fulfillmentCreate", DropBeforeCommit: true, Times: 2},
			{Shop: domain, Status: 502, Times: 2},
			{Shop: domain, Delay: 300 * time.Millisecond, Times: 3},
		} {
			w.shopify.InjectFault(f)
		}
	}
	for _, seller := range w.sellers {
		for _, f := range []amazontest.Fault{
			{Seller: seller.ID(), Operation: amazontest.OpConfirmShipment, Status: 500, Times: 2},
			{Seller: seller.ID(), Operation: amazontest.OpConfirmShipment, DropAfterCommit: true, Times: 2},
			{Seller: seller.ID(), Operation: amazontest.OpConfirmShipment, DropBeforeCommit: true, Times: 2},
			{Seller: seller.ID(), Operation: amazontest.OpGetOrder, Status: 503, Times: 2},
			{Seller: seller.ID(), Delay: 300 * time.Millisecond, Times: 3},
		} {
			w.amazon.InjectFault(f)
		}
	}
}
