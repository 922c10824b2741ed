package soak

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/amazon"
	"github.com/shopctrl/tracksync/amazon/amazontest"
	"github.com/shopctrl/tracksync/mapping"
	"github.com/shopctrl/tracksync/shopify"
	"github.com/shopctrl/tracksync/shopify/shopifytest"
	"github.com/shopctrl/tracksync/tracking"
)

// The soak's stores: 10 Shopify shops, of which the last eachShops get
// each package as it ships, and 10 Amazon sellers, of which the first
// feedSellers confirm through feeds.
const (
	numShops    = 10
	eachShops   = 3
	numSellers  = 10
	feedSellers = 3
	marketplace = "A1PA6795UKMFR9" // Amazon.de, in amazon.Europe
)

// warehouses are the host's warehouse codes; each shop has both as
// locations, and Shopify assigns every order to the first.
var warehouses = []string{"AMS", "BER"}

// lookAlikeShare is the share of orders with several packages whose last
// package has the first one's tracking number (issue 10, defect 3).
const lookAlikeShare = 0.08

// lateShare is the share of orders with several packages whose last
// package the host reports only after the first run: the first run sees
// the order partially shipped.
const lateShare = 0.15

// unshippedShare is the share of the orders of Amazon sellers and
// each-package shops that keep units nobody ships.
const unshippedShare = 0.3

// carriers are catalogue carriers both channels know without a mapping.
var carriers = []string{"ups", "dhl-paket", "postnl", "dpd"}

// storeKind is how a store's shipments are pushed: each kind has its own
// Syncers, since one Syncer has one exporter per channel.
type storeKind string

const (
	kindDirect storeKind = "direct" // shopify.Exporter (whole orders once fully shipped), amazon.Exporter
	kindEach   storeKind = "each"   // shopify.Exporter WithEachShipment
	kindFeed   storeKind = "feed"   // amazon.FeedExporter
)

// exporters returns a new worker's exporters by store kind, on clients of
// its own.
func (w *world) exporters(t *testing.T) map[storeKind][]tracking.Exporter {
	shops, sellers := w.shopifyShops(t), w.amazonSellers(t)
	sx, err := shopify.NewExporter(shops, w.mapping)
	require.NoError(t, err)
	each, err := shopify.NewExporter(shops, w.mapping, shopify.WithEachShipment())
	require.NoError(t, err)
	ax, err := amazon.NewExporter(sellers, w.mapping)
	require.NoError(t, err)
	fx, err := amazon.NewFeedExporter(ax, amazon.WithBatchSize(40), amazon.WithBatchWait(300*time.Millisecond),
		amazon.WithPolling(100*time.Millisecond, 400*time.Millisecond))
	require.NoError(t, err)
	return map[storeKind][]tracking.Exporter{kindDirect: {sx, ax}, kindEach: {each}, kindFeed: {fx}}
}

// expected is what the fakes must hold for one shipment.
type expected struct {
	channel        tracking.Channel
	store          string
	channelOrderID string
	trackingNumber string
	location       string         // Shopify: the location's global id
	items          map[string]int // channel line id → quantity
	feed           bool           // Amazon: confirmed through a feed
}

// world is everything the soak runs against: the fakes with their stores,
// the clients' fault injectors, the orders and what each shipment must
// become.
type world struct {
	shopSrv    *shopifytest.Server
	amzSrv     *amazontest.Server
	shops      map[string]*shopifytest.Shop  // by domain
	sellers    map[string]*amazontest.Seller // by seller id
	locations  map[string]map[string]string  // domain → warehouse → location id
	shopChaos  *chaos
	amzChaos   *chaos
	mapping    *mapping.Static
	shopTokens map[string]string
	amzCreds   map[string]amazon.Credentials
	orders     []tracking.Order
	expect     map[string]expected  // by shipment id
	kind       map[string]storeKind // how each store's shipments are pushed
	why        []reasons            // per round: why shipments were not pushed
	late       map[string]bool      // orders whose last package comes after the first run
	lookAlikes float64              // share of orders with a look-alike package
	stalls     bool                 // one worker's lease renewals stall now and then
}

func newWorld(t *testing.T, seed uint64, shipments int, faultRate float64, scenarios map[string]bool) *world {
	w := &world{
		shops: map[string]*shopifytest.Shop{}, sellers: map[string]*amazontest.Seller{},
		locations: map[string]map[string]string{}, shopTokens: map[string]string{}, amzCreds: map[string]amazon.Credentials{},
		expect: map[string]expected{}, kind: map[string]storeKind{}, late: map[string]bool{},
	}
	// Buckets sized for a soak of thousands of shipments in minutes, not
	// hours; two shops keep Shopify's Standard bucket so that pacing and
	// THROTTLED happen for real.
	w.shopSrv = shopifytest.NewServer(shopifytest.WithBucket(20000, 2000))
	t.Cleanup(w.shopSrv.Close)
	w.amzSrv = amazontest.NewServer(
		amazontest.WithTokenTTL(70*time.Second), // the client renews a minute early: a new token every ~10 s
		amazontest.WithUsagePlan(amazontest.OpGetOrder, 20, 40),
		amazontest.WithUsagePlan(amazontest.OpConfirmShipment, 20, 40),
		amazontest.WithUsagePlan(amazontest.OpCreateFeedDocument, 10, 20),
		amazontest.WithUsagePlan(amazontest.OpCreateFeed, 10, 20),
		amazontest.WithUsagePlan(amazontest.OpGetFeed, 20, 40),
		// Amazon's getFeeds allows one call per 45 s (burst 10) per
		// seller; the soak's workers restart every round and would starve
		// on it (see the report of issue 10's soak).
		amazontest.WithUsagePlan(amazontest.OpGetFeeds, 1, 10),
		amazontest.WithUsagePlan(amazontest.OpGetFeedDocument, 10, 20),
		amazontest.WithFeedTiming(100*time.Millisecond, 100*time.Millisecond),
	)
	t.Cleanup(w.amzSrv.Close)

	cfg := mapping.Config{Shopify: map[string]mapping.ShopifyStore{}}
	for i := range numShops {
		domain := fmt.Sprintf("soak-%02d.myshopify.com", i)
		var opts []shopifytest.ShopOption
		if i < 2 {
			opts = append(opts, shopifytest.ShopBucket(shopifytest.DefaultBucketSize, shopifytest.DefaultRestoreRate))
		}
		token := fmt.Sprintf("shpat_soak%02d000000000000000000000000", i)
		shop := w.shopSrv.AddShop(domain, token, opts...)
		w.shops[domain], w.shopTokens[domain] = shop, token
		if i >= numShops-eachShops {
			w.kind[domain] = kindEach
		}
		w.locations[domain] = map[string]string{}
		locs := map[string]string{}
		for _, wh := range warehouses {
			id := shop.AddLocation(wh)
			w.locations[domain][wh], locs[wh] = id, id
		}
		cfg.Shopify[domain] = mapping.ShopifyStore{Locations: locs}
	}
	for i := range numSellers {
		id := fmt.Sprintf("A%02dSOAKSELLER", i)
		creds := amazon.Credentials{
			ClientID:     "amzn1.application-oa2-client.soak",
			ClientSecret: "amzn1.oa2-cs.v1.soak-client-secret",
			RefreshToken: fmt.Sprintf("Atzr|IwEBIsoak-refresh-%02d", i),
		}
		w.sellers[id], w.amzCreds[id] = w.amzSrv.AddSeller(id, amazontest.Credentials(creds)), creds
		if i < feedSellers && scenarios["feeds"] {
			w.kind[id+"/"+marketplace] = kindFeed
		}
	}
	m, err := mapping.New(cfg)
	require.NoError(t, err)
	w.mapping = m

	w.shopChaos = newChaos(seed^1, faultRate, w.injectShopify)
	w.amzChaos = newChaos(seed^2, faultRate, w.injectAmazon)
	if scenarios["look-alikes"] {
		w.lookAlikes = lookAlikeShare
	}
	w.stalls = scenarios["stalls"]
	w.seedOrders(t, rand.New(rand.NewPCG(seed, 0x0de5)), shipments)
	return w
}

// faultSpec is what a fault kind asks of a fake; both fakes' Fault types
// have these fields.
type faultSpec struct {
	status                int
	body                  string
	dropBefore, dropAfter bool
	delay                 time.Duration
}

// specOf is the fake-side fault of kind k; serverError is the status a
// server error uses. It reports false for kinds the fakes do not make.
func specOf(k faultKind, serverError int) (faultSpec, bool) {
	switch k {
	case faultServerError:
		return faultSpec{status: serverError}, true
	case faultThrottle:
		return faultSpec{status: http.StatusTooManyRequests}, true
	case faultDropBefore:
		return faultSpec{dropBefore: true}, true
	case faultDropAfter:
		return faultSpec{dropAfter: true}, true
	case faultSlow:
		return faultSpec{delay: slowDelay}, true
	case faultTimeout:
		return faultSpec{delay: timeoutDelay}, true
	case faultTokenExpired:
		return faultSpec{status: http.StatusForbidden,
			body: `{"errors":[{"code":"Unauthorized","message":"Access to requested resource is denied.","details":"The access token you provided has expired."}]}`}, true
	}
	return faultSpec{}, false
}

// injectShopify queues a fault of kind k for req's shop in the fake.
// Shopify's offline tokens do not expire, so there is no token fault.
func (w *world) injectShopify(req *http.Request, k faultKind) bool {
	f, ok := specOf(k, http.StatusServiceUnavailable)
	if !ok || k == faultTokenExpired {
		return false
	}
	w.shopSrv.InjectFault(shopifytest.Fault{Shop: req.Host, Status: f.status, Body: f.body,
		DropBeforeCommit: f.dropBefore, DropAfterCommit: f.dropAfter, Delay: f.delay})
	return true
}

// injectAmazon queues a fault of kind k for req's operation in the fake.
// An expired token concerns SP-API calls only.
func (w *world) injectAmazon(req *http.Request, k faultKind) bool {
	op := amazonOperation(req)
	f, ok := specOf(k, http.StatusInternalServerError)
	if !ok || k == faultTokenExpired && (op == amazontest.OpLWAToken || strings.HasPrefix(req.URL.Path, "/documents/")) {
		return false
	}
	w.amzSrv.InjectFault(amazontest.Fault{Operation: op, Status: f.status, Body: f.body,
		DropBeforeCommit: f.dropBefore, DropAfterCommit: f.dropAfter, Delay: f.delay})
	return true
}

// amazonOperation names req's operation as the fake's faults do.
func amazonOperation(req *http.Request) string {
	p := req.URL.Path
	switch {
	case p == "/auth/o2/token":
		return amazontest.OpLWAToken
	case strings.HasPrefix(p, "/documents/") && req.Method == http.MethodPut:
		return amazontest.OpUploadFeedDocument
	case strings.HasPrefix(p, "/documents/"):
		return amazontest.OpDownloadFeedDocument
	case strings.HasSuffix(p, "/shipmentConfirmation"):
		return amazontest.OpConfirmShipment
	case strings.HasPrefix(p, "/orders/2026-01-01/orders/"):
		return amazontest.OpGetOrder
	case p == "/feeds/2021-06-30/documents":
		return amazontest.OpCreateFeedDocument
	case strings.HasPrefix(p, "/feeds/2021-06-30/documents/"):
		return amazontest.OpGetFeedDocument
	case p == "/feeds/2021-06-30/feeds":
		return amazontest.OpCreateFeed
	case strings.HasPrefix(p, "/feeds/2021-06-30/feeds/"):
		return amazontest.OpGetFeed
	}
	return ""
}

// seedOrders creates orders holding n shipments in all, spread over the
// stores, in the fakes and as the host reports them: fully shipped, one
// to three packages each, lines split between packages now and then, from
// either warehouse, with several carriers.
func (w *world) seedOrders(t *testing.T, rng *rand.Rand, n int) {
	domains := sortedKeys(w.shops)
	sellerIDs := sortedKeys(w.sellers)
	stores := len(domains) + len(sellerIDs)
	now := time.Now().UTC()
	for seq := 0; n > 0; seq++ {
		k := min(n, 1+rng.IntN(3))
		n -= k
		store := seq % stores
		plan := planOrder(rng, k)
		// Orders whose stores push packages one by one may have units
		// still to ship: then a package pushed twice would be taken
		// twice instead of refused, so a duplicate shows.
		if (store >= len(domains) || w.kind[domains[store]] == kindEach) && rng.Float64() < unshippedShare {
			plan.ordered[rng.IntN(len(plan.ordered))] += 1 + rng.IntN(2)
		}
		if store < len(domains) {
			w.seedShopifyOrder(seq, domains[store], plan, rng)
		} else {
			w.seedAmazonOrder(t, seq, sellerIDs[store-len(domains)], plan, rng, now)
		}
	}
}

// orderPlan is an order's lines (quantities shipped and ordered) and
// packages (line index → quantity).
type orderPlan struct {
	lines    []int // shipped
	ordered  []int // at least shipped
	packages []map[int]int
}

// planOrder makes k packages; each gets one or two lines of its own, and
// with two or more packages the first two share a line now and then.
func planOrder(rng *rand.Rand, k int) orderPlan {
	var p orderPlan
	for range k {
		pkg := map[int]int{}
		for range 1 + rng.IntN(2) {
			q := 1 + rng.IntN(3)
			pkg[len(p.lines)] = q
			p.lines = append(p.lines, q)
		}
		p.packages = append(p.packages, pkg)
	}
	if k >= 2 && rng.IntN(3) == 0 {
		a, b := 1+rng.IntN(2), 1+rng.IntN(2)
		p.packages[0][len(p.lines)] = a
		p.packages[1][len(p.lines)] = b
		p.lines = append(p.lines, a+b)
	}
	p.ordered = slices.Clone(p.lines)
	return p
}

func (w *world) hostOrder(seq int, channel tracking.Channel, store, channelOrderID string, plan orderPlan, lineIDs []string, rng *rand.Rand, shipped time.Time) tracking.Order {
	o := tracking.Order{ID: fmt.Sprintf("SOAK-%05d", seq), Channel: channel, Store: store, ChannelOrderID: channelOrderID, Status: tracking.StatusFullyShipped}
	if !slices.Equal(plan.lines, plan.ordered) {
		o.Status = tracking.StatusPartiallyShipped
	}
	for i, q := range plan.ordered {
		o.Lines = append(o.Lines, tracking.Line{ID: fmt.Sprintf("%d-%d", seq, i), ChannelLineID: lineIDs[i], SKU: fmt.Sprintf("SKU-%d", i), Quantity: q})
	}
	lookAlike := len(plan.packages) >= 2 && rng.Float64() < w.lookAlikes
	if len(plan.packages) >= 2 && (rng.Float64() < lateShare || lookAlike && rng.IntN(4) > 0) {
		w.late[o.ID] = true
	}
	for j, pkg := range plan.packages {
		sh := tracking.Shipment{
			ID:             fmt.Sprintf("SHP-%05d-%d", seq, j),
			Warehouse:      warehouses[rng.IntN(len(warehouses))],
			Carrier:        carriers[rng.IntN(len(carriers))],
			TrackingNumber: fmt.Sprintf("SOAK%06d%02dX", seq, j),
			ShippedAt:      shipped.Add(time.Duration(rng.IntN(600)) * time.Minute),
		}
		if j > 0 && j == len(plan.packages)-1 && lookAlike {
			// A look-alike: the last package under the first one's
			// carrier and tracking number (a multi-piece shipment), most
			// often reported late, after the first was pushed.
			sh.Carrier, sh.TrackingNumber = o.Shipments[0].Carrier, o.Shipments[0].TrackingNumber
		}
		items := map[string]int{}
		for _, line := range sortedKeys(pkg) {
			sh.Items = append(sh.Items, tracking.Item{LineID: o.Lines[line].ID, Quantity: pkg[line]})
			items[lineIDs[line]] = pkg[line]
		}
		o.Shipments = append(o.Shipments, sh)
		w.expect[sh.ID] = expected{channel: channel, store: store, channelOrderID: channelOrderID, trackingNumber: sh.TrackingNumber, items: items}
	}
	w.orders = append(w.orders, o)
	return o
}

func (w *world) seedShopifyOrder(seq int, domain string, plan orderPlan, rng *rand.Rand) {
	seed := shopifytest.OrderSeed{Name: fmt.Sprintf("#S%d", seq)}
	for i, q := range plan.ordered {
		seed.Lines = append(seed.Lines, shopifytest.LineSeed{SKU: fmt.Sprintf("SKU-%d", i), Quantity: q})
	}
	ref := w.shops[domain].AddOrder(seed)
	o := w.hostOrder(seq, tracking.ChannelShopify, domain, ref.ID, plan, ref.LineItemIDs, rng, time.Now().UTC().Add(-24*time.Hour))
	for _, sh := range o.Shipments {
		e := w.expect[sh.ID]
		e.location = w.locations[domain][sh.Warehouse]
		w.expect[sh.ID] = e
	}
}

func (w *world) seedAmazonOrder(t *testing.T, seq int, sellerID string, plan orderPlan, rng *rand.Rand, now time.Time) {
	seed := amazontest.OrderSeed{MarketplaceID: marketplace, PurchaseDate: now.Add(-72 * time.Hour)}
	for i, q := range plan.ordered {
		seed.Items = append(seed.Items, amazontest.ItemSeed{SKU: fmt.Sprintf("SKU-%d", i), Quantity: q})
	}
	ao, err := w.sellers[sellerID].AddOrder(seed)
	require.NoError(t, err)
	ids := make([]string, len(ao.Items))
	for i, it := range ao.Items {
		ids[i] = it.OrderItemID
	}
	store := sellerID + "/" + marketplace
	o := w.hostOrder(seq, tracking.ChannelAmazon, store, ao.AmazonOrderID, plan, ids, rng, now.Add(-48*time.Hour))
	for _, sh := range o.Shipments {
		e := w.expect[sh.ID]
		e.feed = w.kind[store] == kindFeed
		w.expect[sh.ID] = e
	}
}

// slowShop is the shop whose every request takes slowStoreLatency longer:
// its exports outlast the lease, which the Syncer must keep renewing.
const (
	slowShop         = "soak-09.myshopify.com"
	slowStoreLatency = 400 * time.Millisecond
)

// shopsBy gives the slow shop its own client family, on the slow
// transport, and every other shop the normal one.
type shopsBy struct {
	normal, slow *shopify.ShopClients
}

func (s shopsBy) Client(ctx context.Context, shop string) (*shopify.Client, error) {
	if shop == slowShop {
		return s.slow.Client(ctx, shop)
	}
	return s.normal.Client(ctx, shop)
}

// shopifyShops returns the Shops of one worker's clients: every request
// through the Shopify chaos transport, to the fake.
func (w *world) shopifyShops(t *testing.T) shopify.Shops {
	family := func(tr *chaos) *shopify.ShopClients {
		shops, err := shopify.NewShopClients(w.shopTokens, shopify.WithBaseURL(w.shopSrv.URL()), shopify.WithHTTPClient(tr.client()))
		require.NoError(t, err)
		return shops
	}
	return shopsBy{normal: family(w.shopChaos), slow: family(w.shopChaos.slowed(slowStoreLatency))}
}

// amazonSellers returns the Sellers of one worker's clients, paced at the
// fake's usage plans.
func (w *world) amazonSellers(t *testing.T) *amazon.SellerClients {
	sellers := map[string]amazon.Seller{}
	for id, c := range w.amzCreds {
		sellers[id] = amazon.Seller{Credentials: c, Region: amazon.Europe}
	}
	sc, err := amazon.NewSellerClients(sellers,
		amazon.WithBaseURL(w.amzSrv.URL()), amazon.WithLWAEndpoint(w.amzSrv.URL()+"/auth/o2/token"),
		amazon.WithHTTPClient(w.amzChaos.client()),
		amazon.WithUsagePlan("getOrder", 20, 40), amazon.WithUsagePlan("confirmShipment", 20, 40),
		amazon.WithUsagePlan("createFeedDocument", 10, 20), amazon.WithUsagePlan("createFeed", 10, 20),
		amazon.WithUsagePlan("getFeed", 20, 40), amazon.WithUsagePlan("getFeedDocument", 10, 20),
		amazon.WithUsagePlan("getFeeds", 1, 10))
	require.NoError(t, err)
	return sc
}

func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	return slices.Sorted(maps.Keys(m))
}

// firstView is the orders as the host reports them in the first run: a
// late order partially shipped, without its last package.
func (w *world) firstView() []tracking.Order {
	out := make([]tracking.Order, len(w.orders))
	for i, o := range w.orders {
		if w.late[o.ID] {
			o.Shipments = o.Shipments[:len(o.Shipments)-1]
			o.Status = tracking.StatusPartiallyShipped
		}
		out[i] = o
	}
	return out
}
