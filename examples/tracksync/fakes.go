package main

import (
	"cmp"
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/shopctrl/tracksync/amazon"
	"github.com/shopctrl/tracksync/amazon/amazontest"
	"github.com/shopctrl/tracksync/mapping"
	"github.com/shopctrl/tracksync/shopify"
	"github.com/shopctrl/tracksync/shopify/shopifytest"
	"github.com/shopctrl/tracksync/tracking"
)

// fakes are the embedded fake channels (shopify/shopifytest and
// amazon/amazontest) seeded from the input orders: what -fake runs
// against, and the simulated channels a dry run's requests are answered
// from. Each order is seeded as the channel would hold it before any
// push: a Shopify order whose fulfillment orders sit at the locations its
// packages left from (as the mapping names them), an Amazon order with its
// items unshipped. Their rate limits are fast: a demo or a simulation
// should not wait for them.
type fakes struct {
	shopify *shopifytest.Server
	amazon  *amazontest.Server
	ids     *gidMap

	mu        sync.Mutex
	shops     map[string]*shopifytest.Shop
	locations map[string]bool // "shop\x00gid"
	sellers   map[string]*amazontest.Seller
	regions   map[string]amazon.Region // seller → the region of its first marketplace seen
	seeded    map[string]bool          // "channel\x00store\x00channel order id"
}

func startFakes() *fakes {
	var plans []amazontest.Option
	for _, op := range []string{amazontest.OpConfirmShipment, amazontest.OpGetOrder, amazontest.OpGetOrderItems, amazontest.OpCreateFeedDocument,
		amazontest.OpCreateFeed, amazontest.OpGetFeed, amazontest.OpGetFeedDocument} {
		plans = append(plans, amazontest.WithUsagePlan(op, 1000, 1000))
	}
	return &fakes{
		shopify: shopifytest.NewServer(shopifytest.WithBucket(100000, 100000)),
		amazon:  amazontest.NewServer(append(plans, amazontest.WithFeedTiming(100*time.Millisecond, 100*time.Millisecond))...),
		ids:     newGIDMap(),
		shops:   map[string]*shopifytest.Shop{}, locations: map[string]bool{},
		sellers: map[string]*amazontest.Seller{}, regions: map[string]amazon.Region{}, seeded: map[string]bool{},
	}
}

func (f *fakes) close() {
	f.shopify.Close()
	f.amazon.Close()
}

// credentials are the fakes' credentials of every store seeded so far.
func (f *fakes) credentials() storeCredentials {
	f.mu.Lock()
	defer f.mu.Unlock()
	sc := storeCredentials{shopify: map[string]string{}, amazon: map[string]amazon.Seller{}}
	for domain := range f.shops {
		sc.shopify[domain] = fakeToken(domain)
	}
	for id := range f.sellers {
		c := fakeSellerCredentials(id)
		sc.amazon[id] = amazon.Seller{Credentials: amazon.Credentials(c), Region: f.regions[id]}
	}
	return sc
}

func fakeToken(shop string) string { return "shpat_fake_" + shop }

func fakeSellerCredentials(seller string) amazontest.Credentials {
	return amazontest.Credentials{ClientID: "amzn1.application-oa2-client.fake", ClientSecret: "fake-secret", RefreshToken: "Atzr|fake-" + seller}
}

// seed adds the orders the fakes do not hold yet. An order that cannot be
// seeded (it is invalid, or its ids are not the channel's) is left out
// and returned as a note: its push then fails as it would on the channel.
func (f *fakes) seed(ctx context.Context, m *mapping.Static, orders []tracking.Order) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var notes []string
	for _, o := range orders {
		key := string(o.Channel) + "\x00" + o.Store + "\x00" + o.ChannelOrderID
		if f.seeded[key] {
			continue
		}
		err := f.addStore(o)
		switch {
		case err != nil:
		case o.Validate() != nil:
			err = fmt.Errorf("the order is invalid")
		case o.Channel == tracking.ChannelShopify:
			err = f.seedShopify(ctx, m, o)
		case o.Channel == tracking.ChannelAmazon:
			err = f.seedAmazon(o)
		default:
			err = fmt.Errorf("unknown channel %q", o.Channel)
		}
		if err != nil {
			notes = append(notes, fmt.Sprintf("order %s is not in the fake channel: %v", o.ID, err))
			continue
		}
		f.seeded[key] = true
	}
	return notes
}

// addStore adds the order's shop or seller, so that even the orders that
// cannot be seeded reach a channel that knows their store.
func (f *fakes) addStore(o tracking.Order) error {
	switch o.Channel {
	case tracking.ChannelShopify:
		domain, err := shopify.NormalizeShop(o.Store)
		if err != nil {
			return err
		}
		if f.shops[domain] == nil {
			f.shops[domain] = f.shopify.AddShop(domain, fakeToken(domain))
		}
	case tracking.ChannelAmazon:
		sellerID, mkt, err := amazon.SplitStore(o.Store)
		if err != nil {
			return err
		}
		if f.sellers[sellerID] == nil {
			f.sellers[sellerID] = f.amazon.AddSeller(sellerID, fakeSellerCredentials(sellerID))
			f.regions[sellerID] = amazon.Europe
			if m, ok := amazon.LookupMarketplace(mkt); ok {
				f.regions[sellerID] = m.Region
			}
		}
	}
	return nil
}

// seedShopify adds a Shopify order with its lines, and fulfillment orders
// at the mapped locations of its packages: each package's units at the
// location it left from, the units not shipped yet at the first one.
func (f *fakes) seedShopify(ctx context.Context, m *mapping.Static, o tracking.Order) (err error) {
	domain, err := shopify.NormalizeShop(o.Store)
	if err != nil {
		return err
	}
	orderGID, err := shopify.GID("Order", o.ChannelOrderID)
	if err != nil {
		return err
	}
	lineGIDs := make([]string, len(o.Lines))
	for i, l := range o.Lines {
		if lineGIDs[i], err = shopify.GID("LineItem", l.ChannelLineID); err != nil {
			return err
		}
	}
	shop := f.shops[domain]
	// Units per location and line, in order of first appearance.
	var locs []string
	units := map[string][]int{}
	lineIndex := map[string]int{}
	for i, l := range o.Lines {
		lineIndex[l.ID] = i
	}
	for _, s := range o.Shipments {
		loc, err := m.ShopifyLocation(ctx, o.Store, s.Warehouse)
		if err != nil {
			continue // the exporter reports the missing mapping
		}
		if err := f.addLocation(shop, domain, s.Warehouse, loc); err != nil {
			return err
		}
		if units[loc] == nil {
			locs = append(locs, loc)
			units[loc] = make([]int, len(o.Lines))
		}
		for _, it := range s.Items {
			units[loc][lineIndex[it.LineID]] += it.Quantity
		}
	}
	seed := shopifytest.OrderSeed{}
	for _, l := range o.Lines {
		seed.Lines = append(seed.Lines, shopifytest.LineSeed{SKU: cmp.Or(l.SKU, l.ID), Quantity: l.Quantity})
	}
	for k, loc := range locs {
		fo := shopifytest.FOSeed{Location: loc}
		for i, l := range o.Lines {
			n := units[loc][i]
			if k == 0 { // the units not shipped yet wait at the first location
				n += l.Quantity - o.ShippedQuantity(l.ID)
			}
			if n > 0 {
				fo.Lines = append(fo.Lines, shopifytest.FOLineSeed{Line: i, Quantity: n})
			}
		}
		if len(fo.Lines) > 0 {
			seed.FulfillmentOrders = append(seed.FulfillmentOrders, fo)
		}
	}
	defer func() { // AddOrder panics on a seed no real order matches; Validate should have caught it
		if p := recover(); p != nil {
			err = fmt.Errorf("%v", p)
		}
	}()
	ref := shop.AddOrder(seed)
	f.ids.pair(orderGID, ref.ID)
	for i, id := range ref.LineItemIDs {
		f.ids.pair(lineGIDs[i], id)
	}
	return nil
}

// addLocation adds a mapped location to the fake shop under its real id.
func (f *fakes) addLocation(shop *shopifytest.Shop, domain, warehouse, gid string) error {
	key := domain + "\x00" + gid
	if f.locations[key] {
		return nil
	}
	n, err := strconv.ParseInt(gid[strings.LastIndexByte(gid, '/')+1:], 10, 64)
	if err != nil {
		return fmt.Errorf("location %s: %w", gid, err)
	}
	if _, err := shop.AddLocationWithID(warehouse, n); err != nil {
		return err
	}
	f.locations[key] = true
	return nil
}

// seedAmazon adds an unshipped Amazon order with the input's ids, bought
// a day before its first package left (Amazon refuses ship dates before
// the purchase).
func (f *fakes) seedAmazon(o tracking.Order) error {
	sellerID, mkt, err := amazon.SplitStore(o.Store)
	if err != nil {
		return err
	}
	seller := f.sellers[sellerID]
	first := time.Now().Add(-24 * time.Hour)
	for _, s := range o.Shipments {
		if !s.ShippedAt.IsZero() && s.ShippedAt.Before(first) {
			first = s.ShippedAt
		}
	}
	seed := amazontest.OrderSeed{AmazonOrderID: o.ChannelOrderID, MarketplaceID: mkt, PurchaseDate: first.Add(-24 * time.Hour).UTC().Truncate(time.Second)}
	for _, l := range o.Lines {
		seed.Items = append(seed.Items, amazontest.ItemSeed{OrderItemID: l.ChannelLineID, SKU: cmp.Or(l.SKU, l.ID), Quantity: l.Quantity})
	}
	_, err = seller.AddOrder(seed)
	return err
}
