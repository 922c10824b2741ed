package shopify

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// The read documents take their page sizes as variables, so that a read
// asks for what the order is expected to hold, not for a fixed worst case:
// requested cost is what the bucket must hold before the read is sent,
// however little it then uses. Lists page on only where an answer says
// there is more.
//
// Fields checked against the Admin schema (the 2025-10 dump, and the 2026
// docs listed at DefaultAPIVersion): QueryRoot.order,
// QueryRoot.fulfillmentOrder, QueryRoot.fulfillment,
// Order.fulfillmentOrders/displayFulfillmentStatus/cancelledAt,
// FulfillmentOrder.status/assignedLocation/supportedActions/
// fulfillmentHolds/lineItems/fulfillments (a connection: an order's
// fulfillments are reconciled through it, since Order.fulfillments is a
// plain list of at most 250), FulfillmentOrderLineItem.remainingQuantity/
// totalQuantity/lineItem, Fulfillment.status/trackingInfo/
// fulfillmentLineItems, FulfillmentLineItem.quantity/lineItem.
const (
	// foCore is what the client reads of a fulfillment order, also in a
	// move's answer.
	foCore = `
  id
  status
  assignedLocation { location { id } }
  supportedActions { action }
  fulfillmentHolds { reason reasonNotes }
  lineItems(first: $lines) {
    pageInfo { hasNextPage endCursor }
    nodes { ...TracksyncFOLine }
  }`
	foLineFragment = `fragment TracksyncFOLine on FulfillmentOrderLineItem { id remainingQuantity totalQuantity lineItem { id } }`

	foFields = `fragment TracksyncFO on FulfillmentOrder {` + foCore + `
  fulfillments(first: $fulfillments) {
    pageInfo { hasNextPage endCursor }
    nodes { ...TracksyncFulfillment }
  }
}
` + foLineFragment + "\n" + fulfillmentFragment
	fulfillmentFragment = `fragment TracksyncFulfillment on Fulfillment { id status trackingInfo(first: 1) { company number url } }`

	orderQuery = `query TracksyncOrder($id: ID!, $fos: Int!, $lines: Int!, $fulfillments: Int!) {
  order(id: $id) {
    id
    name
    cancelledAt
    displayFulfillmentStatus
    fulfillmentOrders(first: $fos) {
      pageInfo { hasNextPage endCursor }
      nodes { ...TracksyncFO }
    }
  }
}
` + foFields

	moreFOsQuery = `query TracksyncOrderFOs($id: ID!, $fos: Int!, $lines: Int!, $fulfillments: Int!, $after: String) {
  order(id: $id) {
    fulfillmentOrders(first: $fos, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { ...TracksyncFO }
    }
  }
}
` + foFields

	moreFOLinesQuery = `query TracksyncFOLines($id: ID!, $n: Int!, $after: String) {
  fulfillmentOrder(id: $id) {
    lineItems(first: $n, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { ...TracksyncFOLine }
    }
  }
}
` + foLineFragment

	moreFOFulfillmentsQuery = `query TracksyncFOFulfillments($id: ID!, $n: Int!, $after: String) {
  fulfillmentOrder(id: $id) {
    fulfillments(first: $n, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { ...TracksyncFulfillment }
    }
  }
}
` + fulfillmentFragment
)

// MaxPages bounds how many pages the client reads of any one list of an
// order (250 items each at most): 25,000 items, Shopify's own pagination
// limit (https://shopify.dev/docs/api/usage/limits#pagination-limits). A
// server that keeps answering hasNextPage cannot make a read go on
// forever: it fails with ErrPageLimit.
const MaxPages = 100

// maxPageSize is the largest first: Shopify accepts.
const maxPageSize = 250

// maxQueryCost is Shopify's limit on one query's requested cost
// (https://shopify.dev/docs/api/usage/limits#single-query-limit).
const maxQueryCost = 1000

// OrderSize is how many of each list of an order one read asks for. The
// Exporter sizes its reads from the host's order: the warehouses its
// packages left from (a fulfillment order each, usually), the lines each
// of them shipped and the packages. A read asks for no more than fits the
// shop's bucket and Shopify's single-query limit, and pages on where the
// answer says there is more. Zero fields take the defaults of Order: 5
// fulfillment orders, 10 line items and 10 fulfillments.
type OrderSize struct {
	FulfillmentOrders int // per page of the order's fulfillment orders
	LineItems         int // line items per fulfillment order
	Fulfillments      int // fulfillments per fulfillment order
	// ExpectLineItems and ExpectFulfillments are how many the order is
	// expected to have in all (0: unknown). When a fulfillment order has
	// more than its first page, the second page asks for what is still
	// expected, later pages for as much as fits.
	ExpectLineItems, ExpectFulfillments int
}

// defaultOrderSize is what Order asks for.
var defaultOrderSize = OrderSize{FulfillmentOrders: 5, LineItems: 10, Fulfillments: 10}

func (s OrderSize) withDefaults() OrderSize {
	d := defaultOrderSize
	if s.FulfillmentOrders > 0 {
		d.FulfillmentOrders = s.FulfillmentOrders
	}
	if s.LineItems > 0 {
		d.LineItems = s.LineItems
	}
	if s.Fulfillments > 0 {
		d.Fulfillments = s.Fulfillments
	}
	d.FulfillmentOrders = min(d.FulfillmentOrders, maxPageSize)
	d.LineItems = min(d.LineItems, maxPageSize)
	d.Fulfillments = min(d.Fulfillments, maxPageSize)
	return d
}

func (s OrderSize) vars(gid string) map[string]any {
	return map[string]any{"id": gid, "fos": s.FulfillmentOrders, "lines": s.LineItems, "fulfillments": s.Fulfillments}
}

// Order is the fulfillment state of a Shopify order.
type Order struct {
	ID        string
	Name      string
	Cancelled bool
	// DisplayFulfillmentStatus is Shopify's OrderDisplayFulfillmentStatus,
	// passed on as is. Treat it as an open set: as of API 2026-10 an order
	// with nothing left to fulfill (cancelled or refunded before anything
	// shipped) is FULFILLMENT_NOT_REQUIRED, where 2025-10 said UNFULFILLED
	// (https://shopify.dev/changelog/orderdisplayfulfillmentstatus-now-returns-fulfillmentnotrequired).
	DisplayFulfillmentStatus string
	FulfillmentOrders        []FulfillmentOrder
	// Fulfillments are the order's fulfillments, read through its
	// fulfillment orders (each once, in the order first seen).
	Fulfillments []Fulfillment
}

// FulfillmentOrder is a group of line items Shopify expects to be fulfilled
// from one location.
type FulfillmentOrder struct {
	ID               string
	Status           string // OPEN, IN_PROGRESS, ON_HOLD, SCHEDULED, CLOSED, CANCELLED, INCOMPLETE
	LocationID       string // the assigned location
	SupportedActions []string
	Holds            []Hold
	LineItems        []FulfillmentOrderLineItem
}

// Supports reports whether the fulfillment order allows action (such as
// "CREATE_FULFILLMENT" or "MOVE") now.
func (f FulfillmentOrder) Supports(action string) bool {
	for _, a := range f.SupportedActions {
		if a == action {
			return true
		}
	}
	return false
}

// Hold is why a fulfillment order is on hold.
type Hold struct {
	Reason string
	Notes  string
}

// FulfillmentOrderLineItem is a line item's share of a fulfillment order.
type FulfillmentOrderLineItem struct {
	ID                string
	LineItemID        string // the order's LineItem
	RemainingQuantity int
	TotalQuantity     int
}

// Fulfillment is a fulfillment of the order, with its tracking. A read
// asks for its first tracking number only: the one tracksync gives every
// fulfillment it creates.
type Fulfillment struct {
	ID       string
	Status   string // SUCCESS, CANCELLED, ...
	Tracking []TrackingInfo
}

// TrackingInfo is one tracking number of a fulfillment.
type TrackingInfo struct {
	Company string `json:"company,omitempty"`
	Number  string `json:"number,omitempty"`
	URL     string `json:"url,omitempty"`
}

// Wire shapes of the read documents.
type (
	pageInfo struct {
		HasNextPage bool   `json:"hasNextPage"`
		EndCursor   string `json:"endCursor"`
	}
	wireFOLine struct {
		ID                string `json:"id"`
		RemainingQuantity int    `json:"remainingQuantity"`
		TotalQuantity     int    `json:"totalQuantity"`
		LineItem          struct {
			ID string `json:"id"`
		} `json:"lineItem"`
	}
	wireFOLines struct {
		PageInfo pageInfo     `json:"pageInfo"`
		Nodes    []wireFOLine `json:"nodes"`
	}
	wireFulfillment struct {
		ID           string         `json:"id"`
		Status       string         `json:"status"`
		TrackingInfo []TrackingInfo `json:"trackingInfo"`
	}
	wireFulfillments struct {
		PageInfo pageInfo          `json:"pageInfo"`
		Nodes    []wireFulfillment `json:"nodes"`
	}
	wireFO struct {
		ID               string `json:"id"`
		Status           string `json:"status"`
		AssignedLocation struct {
			Location *struct {
				ID string `json:"id"`
			} `json:"location"`
		} `json:"assignedLocation"`
		SupportedActions []struct {
			Action string `json:"action"`
		} `json:"supportedActions"`
		FulfillmentHolds []struct {
			Reason      string `json:"reason"`
			ReasonNotes string `json:"reasonNotes"`
		} `json:"fulfillmentHolds"`
		LineItems    wireFOLines      `json:"lineItems"`
		Fulfillments wireFulfillments `json:"fulfillments"`
	}
	wireFOs struct {
		PageInfo pageInfo `json:"pageInfo"`
		Nodes    []wireFO `json:"nodes"`
	}
)

func (w wireFOLines) lines() []FulfillmentOrderLineItem {
	out := make([]FulfillmentOrderLineItem, len(w.Nodes))
	for i, n := range w.Nodes {
		out[i] = n.line()
	}
	return out
}

func (n wireFOLine) line() FulfillmentOrderLineItem {
	return FulfillmentOrderLineItem{ID: n.ID, LineItemID: n.LineItem.ID, RemainingQuantity: n.RemainingQuantity, TotalQuantity: n.TotalQuantity}
}

func (w wireFO) fulfillmentOrder() FulfillmentOrder {
	fo := FulfillmentOrder{ID: w.ID, Status: w.Status, LineItems: w.LineItems.lines()}
	if w.AssignedLocation.Location != nil {
		fo.LocationID = w.AssignedLocation.Location.ID
	}
	for _, a := range w.SupportedActions {
		fo.SupportedActions = append(fo.SupportedActions, a.Action)
	}
	for _, h := range w.FulfillmentHolds {
		fo.Holds = append(fo.Holds, Hold{Reason: h.Reason, Notes: h.ReasonNotes})
	}
	return fo
}

func (w wireFulfillment) fulfillment() Fulfillment {
	return Fulfillment{ID: w.ID, Status: w.Status, Tracking: w.TrackingInfo}
}

// Order reads the fulfillment state of an order, OrderSize's defaults at
// a time: its fulfillment orders with their line items, and its
// fulfillments with tracking. id is "gid://shopify/Order/<n>" or the
// number. A missing order is ErrNotFound.
func (c *Client) Order(ctx context.Context, id string) (*Order, *Response, error) {
	return c.ReadOrder(ctx, id, OrderSize{})
}

// ReadOrder is Order with the first read sized by size (see OrderSize).
func (c *Client) ReadOrder(ctx context.Context, id string, size OrderSize) (*Order, *Response, error) {
	gid, err := GID("Order", id)
	if err != nil {
		return nil, nil, err
	}
	r := &orderRead{c: c, gid: gid, order: &Order{}, seen: map[string]bool{}, size: size.withDefaults()}
	resp, err := r.read(ctx, r.size)
	if err != nil {
		return nil, resp, err
	}
	return r.order, resp, nil
}

// orderRead is one read of an order, first page and follow-ups.
type orderRead struct {
	c     *Client
	gid   string
	order *Order
	seen  map[string]bool // fulfillment ids already listed
	size  OrderSize
	resp  *Response
}

func (r *orderRead) read(ctx context.Context, size OrderSize) (*Response, error) {
	size, err := r.c.fit(orderQuery, size)
	if err != nil {
		return nil, err
	}
	var first struct {
		Order *struct {
			ID                       string  `json:"id"`
			Name                     string  `json:"name"`
			CancelledAt              *string `json:"cancelledAt"`
			DisplayFulfillmentStatus string  `json:"displayFulfillmentStatus"`
			FulfillmentOrders        wireFOs `json:"fulfillmentOrders"`
		} `json:"order"`
	}
	if err := r.query(ctx, orderQuery, size.vars(r.gid), &first); err != nil {
		return r.resp, err
	}
	if first.Order == nil {
		return r.resp, fmt.Errorf("%w: order %s on %s", ErrNotFound, r.gid, r.c.shop)
	}
	w := first.Order
	r.order.ID, r.order.Name, r.order.Cancelled, r.order.DisplayFulfillmentStatus = w.ID, w.Name, w.CancelledAt != nil, w.DisplayFulfillmentStatus
	if err := r.fulfillmentOrders(ctx, w.FulfillmentOrders.Nodes); err != nil {
		return r.resp, err
	}
	err = pages(w.FulfillmentOrders.PageInfo, "fulfillment orders of "+r.gid, func(after string) (pageInfo, error) {
		var next struct {
			Order *struct {
				FulfillmentOrders wireFOs `json:"fulfillmentOrders"`
			} `json:"order"`
		}
		vars := size.vars(r.gid)
		vars["after"] = after
		if err := r.query(ctx, moreFOsQuery, vars, &next); err != nil {
			return pageInfo{}, err
		}
		if next.Order == nil {
			return pageInfo{}, fmt.Errorf("%w: order %s on %s", ErrNotFound, r.gid, r.c.shop)
		}
		return next.Order.FulfillmentOrders.PageInfo, r.fulfillmentOrders(ctx, next.Order.FulfillmentOrders.Nodes)
	})
	return r.resp, err
}

// fulfillmentOrders adds a page of fulfillment orders, reading the rest of
// their line items and fulfillments where a page says there is more.
func (r *orderRead) fulfillmentOrders(ctx context.Context, nodes []wireFO) error {
	for _, n := range nodes {
		fo := n.fulfillmentOrder()
		want := r.size.ExpectLineItems - len(fo.LineItems)
		err := pages(n.LineItems.PageInfo, "line items of "+fo.ID, func(after string) (pageInfo, error) {
			var page struct {
				FulfillmentOrder *struct {
					LineItems wireFOLines `json:"lineItems"`
				} `json:"fulfillmentOrder"`
			}
			if err := r.followUp(ctx, moreFOLinesQuery, fo.ID, after, &want, &page); err != nil {
				return pageInfo{}, err
			}
			if page.FulfillmentOrder == nil {
				return pageInfo{}, fmt.Errorf("%w: fulfillment order %s", ErrNotFound, fo.ID)
			}
			fo.LineItems = append(fo.LineItems, page.FulfillmentOrder.LineItems.lines()...)
			return page.FulfillmentOrder.LineItems.PageInfo, nil
		})
		if err != nil {
			return err
		}
		r.order.FulfillmentOrders = append(r.order.FulfillmentOrders, fo)
		r.addFulfillments(n.Fulfillments.Nodes)
		want = r.size.ExpectFulfillments - len(n.Fulfillments.Nodes)
		err = pages(n.Fulfillments.PageInfo, "fulfillments of "+fo.ID, func(after string) (pageInfo, error) {
			var page struct {
				FulfillmentOrder *struct {
					Fulfillments wireFulfillments `json:"fulfillments"`
				} `json:"fulfillmentOrder"`
			}
			if err := r.followUp(ctx, moreFOFulfillmentsQuery, fo.ID, after, &want, &page); err != nil {
				return pageInfo{}, err
			}
			if page.FulfillmentOrder == nil {
				return pageInfo{}, fmt.Errorf("%w: fulfillment order %s", ErrNotFound, fo.ID)
			}
			r.addFulfillments(page.FulfillmentOrder.Fulfillments.Nodes)
			return page.FulfillmentOrder.Fulfillments.PageInfo, nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// addFulfillments lists fulfillments not seen yet: one that took items of
// several fulfillment orders appears under each of them.
func (r *orderRead) addFulfillments(ws []wireFulfillment) {
	for _, w := range ws {
		if !r.seen[w.ID] {
			r.seen[w.ID] = true
			r.order.Fulfillments = append(r.order.Fulfillments, w.fulfillment())
		}
	}
}

// followUp reads the next page of one fulfillment order's list: *want
// items if more than 0 are still expected (then no longer), else as many
// as one query may ask for.
func (r *orderRead) followUp(ctx context.Context, doc, foID, after string, want *int, out any) error {
	n, err := r.c.fitPage(doc, map[string]any{"id": foID, "after": after}, *want)
	if err != nil {
		return err
	}
	*want = 0
	return r.query(ctx, doc, map[string]any{"id": foID, "n": n, "after": after}, out)
}

func (r *orderRead) query(ctx context.Context, doc string, vars map[string]any, out any) error {
	resp, err := r.c.query(ctx, doc, vars, out)
	if resp != nil {
		r.resp = resp
	}
	return err
}

// pages calls next for every page after the first, while the last page
// says there is more, at most MaxPages pages in all. what names the list
// for errors.
func pages(first pageInfo, what string, next func(after string) (pageInfo, error)) error {
	pi := first
	for n := 1; pi.HasNextPage; n++ {
		switch {
		case n >= MaxPages:
			return permanent(fmt.Errorf("%w: %s: read %d pages and Shopify still reports more; an order beyond %d items per list is not supported", ErrPageLimit, what, n, MaxPages*maxPageSize))
		case pi.EndCursor == "":
			return permanent(fmt.Errorf("shopify: %s: the answer says there is a next page but gives no cursor to it", what))
		}
		after := pi.EndCursor
		var err error
		if pi, err = next(after); err != nil {
			return err
		}
		if pi.HasNextPage && pi.EndCursor == after {
			return permanent(fmt.Errorf("shopify: %s: the next page's cursor did not move (%q); reading on would never end", what, after))
		}
	}
	return nil
}

// budget is the most one read may request: Shopify's single-query limit,
// and no more than the shop's bucket holds (a read that can never fit
// would wait forever).
func (c *Client) budget() float64 {
	st, ok := c.Throttle()
	if !ok {
		return maxQueryCost
	}
	return min(maxQueryCost, st.MaximumAvailable)
}

// fit shrinks a read's sizes, the largest first, until its requested cost
// fits the budget.
func (c *Client) fit(doc string, size OrderSize) (OrderSize, error) {
	budget := c.budget()
	for {
		cost, _, err := c.costs.estimate(doc, size.vars(""))
		if err != nil {
			return size, err
		}
		if cost <= budget {
			return size, nil
		}
		biggest := &size.FulfillmentOrders
		for _, p := range []*int{&size.LineItems, &size.Fulfillments} {
			if *p > *biggest {
				biggest = p
			}
		}
		if *biggest == 1 {
			return size, fmt.Errorf("%w: the smallest read of an order costs %.0f points, more than the %.0f the shop's bucket allows", ErrMaxCost, cost, budget)
		}
		*biggest = (*biggest + 1) / 2
	}
}

// fitPage is the largest page of a one-list document that fits the budget:
// up to want items when want > 0, else up to 250.
func (c *Client) fitPage(doc string, vars map[string]any, want int) (int, error) {
	budget := c.budget()
	n := maxPageSize
	if want > 0 {
		n = min(want, maxPageSize)
	}
	for ; ; n /= 2 {
		vars["n"] = n
		cost, _, err := c.costs.estimate(doc, vars)
		if err != nil {
			return 0, err
		}
		if cost <= budget || n == 1 {
			return n, nil
		}
	}
}

// query runs one of the client's own read documents, reserving the cost
// Shopify reported for it before (or the estimate, the first time).
func (c *Client) query(ctx context.Context, doc string, vars map[string]any, out any) (*Response, error) {
	cost, key, err := c.costs.estimate(doc, vars)
	if err != nil {
		return nil, err
	}
	return c.do(ctx, operation{query: doc, vars: vars, cost: cost, safe: true, costKey: key}, out)
}

// GID returns the global id "gid://shopify/<kind>/<n>" of id, which may be
// that global id or the number alone.
func GID(kind, id string) (string, error) {
	prefix := "gid://shopify/" + kind + "/"
	n := strings.TrimPrefix(strings.TrimSpace(id), prefix)
	v, err := strconv.ParseUint(n, 10, 64)
	if err != nil || v == 0 || n[0] == '+' {
		return "", fmt.Errorf("shopify: %q is not a %s id; want %q<n> or the number", id, kind, prefix)
	}
	return prefix + strconv.FormatUint(v, 10), nil
}
