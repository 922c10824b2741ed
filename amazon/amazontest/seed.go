package amazontest

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// This file is the write side of the Go API: sellers with their LWA
// credentials, and their orders.

// Order statuses, as Orders v0 names them (ordersV0.json Order.OrderStatus).
// A seed may use any of them; Unshipped, PartiallyShipped and Shipped then
// follow the quantities confirmed.
const (
	StatusPending          = "Pending"
	StatusUnshipped        = "Unshipped"
	StatusPartiallyShipped = "PartiallyShipped"
	StatusShipped          = "Shipped"
	StatusCanceled         = "Canceled"
)

// DefaultMarketplaceID is the marketplace of orders seeded without one:
// Amazon.com (ATVPDKIKX0DER).
const DefaultMarketplaceID = "ATVPDKIKX0DER"

// ErrInvalidSeed is wrapped by the errors AddOrder returns for a seed the
// fake cannot hold.
var ErrInvalidSeed = errors.New("amazontest: invalid order seed")

// Credentials are a seller's Login with Amazon credentials: the
// application's client identifier and secret, and the refresh token the
// seller's authorization produced. Several sellers may share one
// application (ClientID and ClientSecret); each has its own RefreshToken.
type Credentials struct {
	ClientID     string // the LWA client identifier (amzn1.application-oa2-client.…)
	ClientSecret string // the LWA client secret
	RefreshToken string // the seller's refresh token (Atzr|…)
}

// Seller is a selling partner: its credentials, orders, usage-plan
// buckets and feeds. Get one from Server.AddSeller.
type Seller struct {
	srv     *Server
	id      string
	creds   Credentials
	orders  map[string]*order
	buckets map[string]*bucket
}

// AddSeller registers a selling partner with its LWA credentials and
// returns it. Adding a seller ID again returns the same Seller with the
// new credentials (its old refresh token stops working). A refresh token
// belongs to one seller: registering it again moves it.
func (s *Server) AddSeller(sellerID string, creds Credentials) *Seller {
	s.mu.Lock()
	defer s.mu.Unlock()
	sl := s.sellers[sellerID]
	if sl == nil {
		sl = &Seller{srv: s, id: sellerID, orders: map[string]*order{}, buckets: map[string]*bucket{}}
		s.sellers[sellerID] = sl
	} else if s.refresh[sl.creds.RefreshToken] == sl {
		delete(s.refresh, sl.creds.RefreshToken)
	}
	sl.creds = creds
	if creds.RefreshToken != "" {
		s.refresh[creds.RefreshToken] = sl
	}
	return sl
}

// ID is the seller's identifier (its merchant token).
func (sl *Seller) ID() string { return sl.id }

// OrderSeed describes an order to add. Only Items is required.
type OrderSeed struct {
	// AmazonOrderID in Amazon's 3-7-7 form ("902-3159896-1390916"); ""
	// generates one.
	AmazonOrderID string
	// MarketplaceID defaults to DefaultMarketplaceID.
	MarketplaceID string
	// Status is one of the Status constants; "" is Unshipped. Pending and
	// Canceled orders stay so; the others follow the shipped quantities, so
	// a Shipped seed needs every item fully shipped (QuantityShipped 0 is
	// taken as all of it) and a PartiallyShipped seed some but not all.
	Status string
	// PurchaseDate defaults to an hour before the server's clock.
	PurchaseDate time.Time
	// Items are the order items, at least one.
	Items []ItemSeed
	// ShipPlus marks an order whose shipping Amazon confirms itself (the
	// Ship+ program): confirmShipment refuses it with 400, as Amazon
	// documents ("Confirm the shipment status", developer-docs.amazon.com/
	// sp-api/docs/confirm-the-shipment-status).
	ShipPlus bool
}

// ItemSeed describes an order item.
type ItemSeed struct {
	// OrderItemID is Amazon's order item identifier (14 digits); ""
	// generates one.
	OrderItemID string
	// SKU is the seller's SKU.
	SKU string
	// ASIN defaults to one made from the SKU.
	ASIN string
	// Title defaults to the SKU.
	Title string
	// Quantity ordered, at least 1.
	Quantity int
	// QuantityShipped counts units already shipped outside the API (as
	// from Seller Central): they count against Quantity but belong to no
	// package.
	QuantityShipped int
}

// orderIDPattern is the AmazonOrderID pattern of amzn-base.xsd.
var orderIDPattern = regexp.MustCompile(`^\w{3}-\w{7}-\w{7}$`)

// order is the fake's order. Its status is fixed for Pending and
// Canceled, else derived from the quantities shipped.
type order struct {
	id          string
	marketplace string
	fixed       string // StatusPending, StatusCanceled or ""
	purchase    time.Time
	lastUpdate  time.Time
	shipPlus    bool
	items       []*orderItem
	packages    []*shipmentPackage // in creation order
}

type orderItem struct {
	id, sku, asin, title string
	quantity             int
	shippedOutside       int
}

// AddOrder adds an order to the seller and returns it as the fake holds
// it, generated identifiers filled in. It fails, wrapping ErrInvalidSeed,
// for a seed the fake cannot hold (no items, a quantity below 1, an
// unknown status, an identifier taken).
func (sl *Seller) AddOrder(seed OrderSeed) (Order, error) {
	s := sl.srv
	now := s.clock()
	s.mu.Lock()
	defer s.mu.Unlock()
	o := &order{
		id:          seed.AmazonOrderID,
		marketplace: seed.MarketplaceID,
		purchase:    seed.PurchaseDate.UTC(),
		shipPlus:    seed.ShipPlus,
	}
	if o.id == "" {
		o.id = s.newOrderID()
	}
	if !orderIDPattern.MatchString(o.id) {
		return Order{}, fmt.Errorf("%w: AmazonOrderID %q is not in the 3-7-7 form", ErrInvalidSeed, o.id)
	}
	if _, taken := sl.orders[o.id]; taken {
		return Order{}, fmt.Errorf("%w: order %s exists", ErrInvalidSeed, o.id)
	}
	if o.marketplace == "" {
		o.marketplace = DefaultMarketplaceID
	}
	if seed.PurchaseDate.IsZero() {
		o.purchase = now.Add(-time.Hour).UTC().Truncate(time.Second)
	}
	o.lastUpdate = o.purchase
	if len(seed.Items) == 0 {
		return Order{}, fmt.Errorf("%w: order %s has no items", ErrInvalidSeed, o.id)
	}
	ids := map[string]bool{}
	for i, it := range seed.Items {
		item := &orderItem{id: it.OrderItemID, sku: it.SKU, asin: it.ASIN, title: it.Title, quantity: it.Quantity, shippedOutside: it.QuantityShipped}
		if item.id == "" {
			item.id = s.newOrderItemID()
		}
		if ids[item.id] {
			return Order{}, fmt.Errorf("%w: order %s lists item %s twice", ErrInvalidSeed, o.id, item.id)
		}
		ids[item.id] = true
		if item.quantity < 1 {
			return Order{}, fmt.Errorf("%w: item %d of order %s has quantity %d", ErrInvalidSeed, i, o.id, item.quantity)
		}
		if item.shippedOutside < 0 || item.shippedOutside > item.quantity {
			return Order{}, fmt.Errorf("%w: item %d of order %s has %d of %d shipped", ErrInvalidSeed, i, o.id, item.shippedOutside, item.quantity)
		}
		if item.asin == "" {
			item.asin = fakeASIN(item.sku, item.id)
		}
		if item.title == "" {
			item.title = item.sku
		}
		o.items = append(o.items, item)
	}
	if err := o.applySeedStatus(seed.Status); err != nil {
		return Order{}, err
	}
	sl.orders[o.id] = o
	return o.snapshot(), nil
}

// applySeedStatus checks a seed's status against its quantities, filling
// a Shipped seed's quantities in.
func (o *order) applySeedStatus(status string) error {
	shipped := 0
	for _, it := range o.items {
		shipped += it.shippedOutside
	}
	switch status {
	case "", StatusUnshipped:
		if shipped > 0 {
			return fmt.Errorf("%w: order %s is Unshipped but has shipped units", ErrInvalidSeed, o.id)
		}
	case StatusPending, StatusCanceled:
		if shipped > 0 {
			return fmt.Errorf("%w: order %s is %s but has shipped units", ErrInvalidSeed, o.id, status)
		}
		o.fixed = status
	case StatusShipped:
		for _, it := range o.items {
			if it.shippedOutside == 0 {
				it.shippedOutside = it.quantity
			}
		}
		if o.status() != StatusShipped {
			return fmt.Errorf("%w: order %s is Shipped but not every unit is", ErrInvalidSeed, o.id)
		}
	case StatusPartiallyShipped:
		if o.status() != StatusPartiallyShipped {
			return fmt.Errorf("%w: order %s is PartiallyShipped but its QuantityShipped say otherwise", ErrInvalidSeed, o.id)
		}
	default:
		return fmt.Errorf("%w: order %s has unknown status %q", ErrInvalidSeed, o.id, status)
	}
	return nil
}

// status is the order's OrderStatus: fixed, or from the quantities.
func (o *order) status() string {
	if o.fixed != "" {
		return o.fixed
	}
	ordered, shipped := 0, 0
	for _, it := range o.items {
		ordered += it.quantity
		shipped += o.shipped(it.id)
	}
	switch {
	case shipped == 0:
		return StatusUnshipped
	case shipped >= ordered:
		return StatusShipped
	}
	return StatusPartiallyShipped
}

// shipped is how many units of an item are shipped: outside the API plus
// in every package.
func (o *order) shipped(itemID string) int {
	n := 0
	for _, it := range o.items {
		if it.id == itemID {
			n = it.shippedOutside
		}
	}
	for _, p := range o.packages {
		for _, pi := range p.items {
			if pi.orderItemID == itemID {
				n += pi.quantity
			}
		}
	}
	return n
}

func (o *order) item(id string) *orderItem {
	for _, it := range o.items {
		if it.id == id {
			return it
		}
	}
	return nil
}

func (o *order) pkg(ref string) *shipmentPackage {
	for _, p := range o.packages {
		if p.ref == ref {
			return p
		}
	}
	return nil
}

// newOrderID generates an AmazonOrderID in the 3-7-7 form. The caller
// holds mu.
func (s *Server) newOrderID() string {
	n := strconv.FormatInt(s.nextID(), 10)
	n = strings.Repeat("0", max(0, 14-len(n))) + n
	n = n[len(n)-14:]
	return "902-" + n[:7] + "-" + n[7:]
}

// newOrderItemID generates a 14-digit order item identifier, the form of
// AmazonOrderItemCode in amzn-base.xsd. The caller holds mu.
func (s *Server) newOrderItemID() string {
	n := strconv.FormatInt(s.nextID(), 10)
	return strings.Repeat("0", max(0, 14-len(n))) + n
}

// fakeASIN makes a stable 10-character ASIN-like identifier.
func fakeASIN(sku, itemID string) string {
	h := uint32(2166136261)
	for _, b := range []byte(sku + "/" + itemID) {
		h = (h ^ uint32(b)) * 16777619
	}
	return fmt.Sprintf("B0%08X", h)
}
