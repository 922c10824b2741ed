package shopifytest

import (
	"fmt"
	"slices"
	"strings"
)

// Shop is a fake store, created by Server.AddShop. Its methods seed data
// and inspect it; all are safe for concurrent use with requests.
type Shop struct {
	srv      *Server
	id       string
	domain   string
	name     string
	token    string
	readOnly bool
	bucket   bucket

	locations []*location
	orders    []*order
	objects   map[string]any // global ID → model object
}

// ShopOption configures a shop in AddShop.
type ShopOption func(*shopConfig)

type shopConfig struct {
	size, rate float64
	readOnly   bool
	name       string
}

// ShopBucket gives the shop a cost bucket of size points restoring rate
// points per second, instead of the server's default (WithBucket).
func ShopBucket(size, restorePerSecond float64) ShopOption {
	return func(c *shopConfig) { c.size, c.rate = size, restorePerSecond }
}

// ReadOnly grants the app read scopes only: every mutation fails with
// ACCESS_DENIED, as on a shop that did not grant the
// write_*_fulfillment_orders scopes.
func ReadOnly() ShopOption {
	return func(c *shopConfig) { c.readOnly = true }
}

// ShopName sets Shop.name (default: the domain's first label).
func ShopName(name string) ShopOption {
	return func(c *shopConfig) { c.name = name }
}

// AddShop creates a shop answering to domain (name.myshopify.com) for
// requests carrying token as X-Shopify-Access-Token. Adding a domain again
// replaces that shop. Domains are compared case-insensitively, as hosts
// are.
func (s *Server) AddShop(domain, token string, opts ...ShopOption) *Shop {
	domain = strings.ToLower(domain)
	cfg := shopConfig{size: s.bucketSize, rate: s.bucketRate, name: strings.SplitN(domain, ".", 2)[0]}
	for _, o := range opts {
		o(&cfg)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sh := &Shop{
		srv:      s,
		id:       s.newID("Shop"),
		domain:   domain,
		name:     cfg.name,
		token:    token,
		readOnly: cfg.readOnly,
		bucket:   newBucket(cfg.size, cfg.rate, s.clock()),
		objects:  map[string]any{},
	}
	s.shops[domain] = sh
	return sh
}

// Domain is the shop's myshopify.com domain.
func (sh *Shop) Domain() string { return sh.domain }

// add registers a model object under its global ID. The caller holds mu.
func (sh *Shop) add(id string, obj any) { sh.objects[id] = obj }

// AddLocation adds an active location and returns its global ID. The
// first location is the shop's primary one (QueryRoot.location without an
// id) and the default for seeded fulfillment orders.
func (sh *Shop) AddLocation(name string) string {
	sh.srv.mu.Lock()
	defer sh.srv.mu.Unlock()
	return sh.addLocation(name).id
}

// AddLocationWithID adds an active location with a chosen numeric id, so
// that a test or demo can use a mapping configuration written for real
// location ids. Later ids the server assigns are all larger than id.
func (sh *Shop) AddLocationWithID(name string, id int64) (string, error) {
	sh.srv.mu.Lock()
	defer sh.srv.mu.Unlock()
	gidStr := gid("Location", id)
	if id <= 0 {
		return "", fmt.Errorf("shopifytest: location id %d: want a positive number", id)
	}
	if _, taken := sh.objects[gidStr]; taken {
		return "", fmt.Errorf("shopifytest: location %s exists", gidStr)
	}
	sh.srv.seq = max(sh.srv.seq, id)
	l := &location{id: gidStr, name: name, active: true}
	sh.locations = append(sh.locations, l)
	sh.add(l.id, l)
	return l.id, nil
}

func (sh *Shop) addLocation(name string) *location {
	l := &location{id: sh.srv.newID("Location"), name: name, active: true}
	sh.locations = append(sh.locations, l)
	sh.add(l.id, l)
	return l
}

// DeactivateLocation marks a location inactive: fulfillment orders can no
// longer be moved to it.
func (sh *Shop) DeactivateLocation(id string) error {
	sh.srv.mu.Lock()
	defer sh.srv.mu.Unlock()
	l, ok := sh.objects[id].(*location)
	if !ok {
		return fmt.Errorf("shopifytest: no location %s", id)
	}
	l.active = false
	return nil
}

// OrderSeed describes an order to create with AddOrder.
type OrderSeed struct {
	// Name is the order's name, like "#1001"; default "#<n>".
	Name string
	// Lines are the order's line items.
	Lines []LineSeed
	// FulfillmentOrders split the lines between locations. Empty means one
	// OPEN fulfillment order at the shop's first location holding every
	// line in full.
	FulfillmentOrders []FOSeed
}

// LineSeed is one line item of an OrderSeed.
type LineSeed struct {
	SKU      string
	Quantity int
	// Name is the line item's title; default the SKU.
	Name string
}

// FOSeed is one fulfillment order of an OrderSeed.
type FOSeed struct {
	// Location is a location's global ID (from AddLocation) or name; a
	// name not seen before adds the location. "" is the first location.
	Location string
	// Lines are the order lines it holds; empty means every line in full.
	Lines []FOLineSeed
	// Status is a FulfillmentOrderStatus; default OPEN. CLOSED and
	// CANCELLED fulfillment orders have nothing remaining, and their units
	// do not count against the lines' quantities (they stand for
	// fulfillment orders whose items went elsewhere, not for shipments:
	// fulfil through the API to seed those).
	Status string
	// Hold, if set, puts the fulfillment order ON_HOLD with this reason: a
	// FulfillmentHoldReason such as "AWAITING_PAYMENT", or any other text,
	// which becomes reason OTHER with the text as its notes.
	Hold string
}

// FOLineSeed is a quantity of one order line in a fulfillment order.
type FOLineSeed struct {
	Line     int // index into OrderSeed.Lines
	Quantity int
}

// OrderRef is the global IDs AddOrder created.
type OrderRef struct {
	ID                  string
	LineItemIDs         []string   // in OrderSeed.Lines order
	FulfillmentOrderIDs []string   // in OrderSeed.FulfillmentOrders order
	FOLineItemIDs       [][]string // per fulfillment order, in its Lines order
}

// AddOrder creates an order with its line items and fulfillment orders.
// Like httptest.NewRequest, it panics on a seed that cannot describe a
// real order (a quantity below 1, a line index out of range, an unknown
// status, more units in fulfillment orders than the line has): that is a
// bug in the test, not an input the fake should answer.
func (sh *Shop) AddOrder(seed OrderSeed) OrderRef {
	sh.srv.mu.Lock()
	defer sh.srv.mu.Unlock()
	o := &order{id: sh.srv.newID("Order"), name: seed.Name, shop: sh}
	if o.name == "" {
		o.name = fmt.Sprintf("#%d", 1001+len(sh.orders))
	}
	ref := OrderRef{ID: o.id}
	for i, ls := range seed.Lines {
		if ls.Quantity < 1 {
			panic(fmt.Sprintf("shopifytest: AddOrder: line %d has quantity %d", i, ls.Quantity))
		}
		name := ls.Name
		if name == "" {
			name = ls.SKU
		}
		l := &lineItem{id: sh.srv.newID("LineItem"), sku: ls.SKU, name: name, quantity: ls.Quantity, order: o}
		o.lines = append(o.lines, l)
		sh.add(l.id, l)
		ref.LineItemIDs = append(ref.LineItemIDs, l.id)
	}
	fos := seed.FulfillmentOrders
	if len(fos) == 0 {
		fos = []FOSeed{{}}
	}
	assigned := make([]int, len(o.lines))
	for i, fs := range fos {
		fo := sh.seedFO(o, fs, assigned, i)
		o.fos = append(o.fos, fo)
		ref.FulfillmentOrderIDs = append(ref.FulfillmentOrderIDs, fo.id)
		var ids []string
		for _, l := range fo.lines {
			ids = append(ids, l.id)
		}
		ref.FOLineItemIDs = append(ref.FOLineItemIDs, ids)
	}
	sh.orders = append(sh.orders, o)
	sh.add(o.id, o)
	return ref
}

func (sh *Shop) seedFO(o *order, fs FOSeed, assigned []int, n int) *fulfillmentOrder {
	fo := &fulfillmentOrder{id: sh.srv.newID("FulfillmentOrder"), order: o, location: sh.seedLocation(fs.Location), status: fs.Status}
	if fo.status == "" {
		fo.status = statusOpen
	}
	if !slices.Contains(foStatuses, fo.status) {
		panic(fmt.Sprintf("shopifytest: AddOrder: fulfillment order %d has unknown status %q", n, fs.Status))
	}
	lines := fs.Lines
	if len(lines) == 0 {
		for i, l := range o.lines {
			lines = append(lines, FOLineSeed{Line: i, Quantity: l.quantity})
		}
	}
	for _, ls := range lines {
		if ls.Line < 0 || ls.Line >= len(o.lines) || ls.Quantity < 1 {
			panic(fmt.Sprintf("shopifytest: AddOrder: fulfillment order %d: bad line %+v", n, ls))
		}
		finished := fo.status == statusClosed || fo.status == statusCancelled
		if !finished {
			assigned[ls.Line] += ls.Quantity
		}
		if assigned[ls.Line] > o.lines[ls.Line].quantity {
			panic(fmt.Sprintf("shopifytest: AddOrder: line %d is assigned %d units but has %d", ls.Line, assigned[ls.Line], o.lines[ls.Line].quantity))
		}
		l := &foLine{id: sh.srv.newID("FulfillmentOrderLineItem"), line: o.lines[ls.Line], total: ls.Quantity, remaining: ls.Quantity}
		if finished {
			l.remaining = 0
		}
		fo.lines = append(fo.lines, l)
		sh.add(l.id, l)
	}
	hold := fs.Hold
	if hold == "" && fo.status == statusOnHold {
		hold = holdReasonOther // Shopify has no hold without a reason
	}
	if hold != "" {
		switch fo.status {
		case statusOpen, statusOnHold:
			fo.heldFrom = statusOpen
		case statusInProgress:
			fo.heldFrom = statusInProgress
		default:
			panic(fmt.Sprintf("shopifytest: AddOrder: fulfillment order %d: cannot hold a %s fulfillment order", n, fo.status))
		}
		fo.status = statusOnHold
		fo.holds = append(fo.holds, sh.newHold(hold))
	}
	sh.add(fo.id, fo)
	return fo
}

// seedLocation finds a location by ID or name, adding a named one not seen
// before; "" is the first location, added if the shop has none.
func (sh *Shop) seedLocation(ref string) *location {
	if ref == "" {
		if len(sh.locations) == 0 {
			return sh.addLocation("Shop location")
		}
		return sh.locations[0]
	}
	if l, ok := sh.objects[ref].(*location); ok {
		return l
	}
	for _, l := range sh.locations {
		if l.name == ref {
			return l
		}
	}
	return sh.addLocation(ref)
}

func (sh *Shop) newHold(reason string) *fulfillmentHold {
	h := &fulfillmentHold{id: sh.srv.newID("FulfillmentHold"), reason: reason}
	if !slices.Contains(holdReasons, reason) {
		h.reason, h.notes = holdReasonOther, reason
	}
	sh.add(h.id, h)
	return h
}

// Hold puts an open or in-progress fulfillment order ON_HOLD, as the
// merchant (or fulfillmentOrderHold) would; reason is as in FOSeed.Hold.
// A held fulfillment order supports only RELEASE_HOLD.
func (sh *Shop) Hold(foID, reason string) error {
	sh.srv.mu.Lock()
	defer sh.srv.mu.Unlock()
	fo, ok := sh.objects[foID].(*fulfillmentOrder)
	if !ok {
		return fmt.Errorf("shopifytest: no fulfillment order %s", foID)
	}
	switch fo.status {
	case statusOpen, statusInProgress:
		fo.heldFrom = fo.status
		fo.status = statusOnHold
	case statusOnHold: // another hold on a held FO
	default:
		return fmt.Errorf("shopifytest: cannot hold fulfillment order %s: it is %s", foID, fo.status)
	}
	fo.holds = append(fo.holds, sh.newHold(reason))
	return nil
}

// Release releases every hold on a fulfillment order, which returns to the
// status it had before (OPEN or IN_PROGRESS).
func (sh *Shop) Release(foID string) error {
	sh.srv.mu.Lock()
	defer sh.srv.mu.Unlock()
	fo, ok := sh.objects[foID].(*fulfillmentOrder)
	if !ok {
		return fmt.Errorf("shopifytest: no fulfillment order %s", foID)
	}
	if fo.status != statusOnHold {
		return fmt.Errorf("shopifytest: fulfillment order %s is not on hold: it is %s", foID, fo.status)
	}
	fo.status = fo.heldFrom
	if fo.status == "" {
		fo.status = statusOpen
	}
	fo.holds = nil
	fo.settle()
	return nil
}
