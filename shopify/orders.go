package shopify

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// The read documents are sized so that each one's requested cost stays
// far under Shopify's single-query limit of 1000 and under small buckets:
// by gqlcost's rules the first page of an order costs about 180 points.
// Larger orders page on.
//
// Fields checked against the Admin schema (2025-10): QueryRoot.order,
// Order.fulfillmentOrders/fulfillments/displayFulfillmentStatus/cancelledAt,
// FulfillmentOrder.status/assignedLocation/supportedActions/
// fulfillmentHolds/lineItems, FulfillmentOrderLineItem.remainingQuantity/
// totalQuantity/lineItem, Fulfillment.status/trackingInfo.
const (
	foFields = `fragment TracksyncFO on FulfillmentOrder {
  id
  status
  assignedLocation { location { id } }
  supportedActions { action }
  fulfillmentHolds { reason reasonNotes }
  lineItems(first: 10) {
    pageInfo { hasNextPage endCursor }
    nodes { id remainingQuantity totalQuantity lineItem { id } }
  }
}`

	orderQuery = `query TracksyncOrder($id: ID!) {
  order(id: $id) {
    id
    name
    cancelledAt
    displayFulfillmentStatus
    fulfillmentOrders(first: 5) {
      pageInfo { hasNextPage endCursor }
      nodes { ...TracksyncFO }
    }
    fulfillments(first: 10) { id status trackingInfo(first: 3) { company number url } }
  }
}
` + foFields

	moreFOsQuery = `query TracksyncOrderFOs($id: ID!, $after: String) {
  order(id: $id) {
    fulfillmentOrders(first: 5, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { ...TracksyncFO }
    }
  }
}
` + foFields

	moreFOLinesQuery = `query TracksyncFOLines($id: ID!, $after: String) {
  fulfillmentOrder(id: $id) {
    lineItems(first: 50, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { id remainingQuantity totalQuantity lineItem { id } }
    }
  }
}`

	allFulfillmentsQuery = `query TracksyncFulfillments($id: ID!) {
  order(id: $id) {
    fulfillments(first: 240) { id status trackingInfo(first: 3) { company number url } }
  }
}`
)

// firstFulfillments is the size of the first read's fulfillments list; an
// order with that many is read again in full. Order.fulfillments is a
// plain list (no cursor), so "in full" is the most one query may ask for:
// 240 fulfillments with three tracking numbers each cost 961 points, under
// Shopify's single-query limit of 1000.
const (
	firstFulfillments = 10
	allFulfillments   = 240
)

// Order is the fulfillment state of a Shopify order.
type Order struct {
	ID                       string
	Name                     string
	Cancelled                bool
	DisplayFulfillmentStatus string
	FulfillmentOrders        []FulfillmentOrder
	Fulfillments             []Fulfillment
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

// Fulfillment is a fulfillment of the order, with its tracking.
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
	wireFOLines struct {
		PageInfo pageInfo `json:"pageInfo"`
		Nodes    []struct {
			ID                string `json:"id"`
			RemainingQuantity int    `json:"remainingQuantity"`
			TotalQuantity     int    `json:"totalQuantity"`
			LineItem          struct {
				ID string `json:"id"`
			} `json:"lineItem"`
		} `json:"nodes"`
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
		LineItems wireFOLines `json:"lineItems"`
	}
	wireFOs struct {
		PageInfo pageInfo `json:"pageInfo"`
		Nodes    []wireFO `json:"nodes"`
	}
	wireFulfillment struct {
		ID           string         `json:"id"`
		Status       string         `json:"status"`
		TrackingInfo []TrackingInfo `json:"trackingInfo"`
	}
)

func (w wireFOLines) lines() []FulfillmentOrderLineItem {
	out := make([]FulfillmentOrderLineItem, len(w.Nodes))
	for i, n := range w.Nodes {
		out[i] = FulfillmentOrderLineItem{ID: n.ID, LineItemID: n.LineItem.ID, RemainingQuantity: n.RemainingQuantity, TotalQuantity: n.TotalQuantity}
	}
	return out
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

func fulfillments(ws []wireFulfillment) []Fulfillment {
	out := make([]Fulfillment, len(ws))
	for i, w := range ws {
		out[i] = Fulfillment{ID: w.ID, Status: w.Status, Tracking: w.TrackingInfo}
	}
	return out
}

// Order reads the fulfillment state of an order: its fulfillment orders
// with their line items, and its fulfillments with tracking. id is
// "gid://shopify/Order/<n>" or the number. A missing order is ErrNotFound.
func (c *Client) Order(ctx context.Context, id string) (*Order, *Response, error) {
	gid, err := GID("Order", id)
	if err != nil {
		return nil, nil, err
	}
	var first struct {
		Order *struct {
			ID                       string            `json:"id"`
			Name                     string            `json:"name"`
			CancelledAt              *string           `json:"cancelledAt"`
			DisplayFulfillmentStatus string            `json:"displayFulfillmentStatus"`
			FulfillmentOrders        wireFOs           `json:"fulfillmentOrders"`
			Fulfillments             []wireFulfillment `json:"fulfillments"`
		} `json:"order"`
	}
	resp, err := c.query(ctx, orderQuery, map[string]any{"id": gid}, &first)
	if err != nil {
		return nil, resp, err
	}
	if first.Order == nil {
		return nil, resp, fmt.Errorf("%w: order %s on %s", ErrNotFound, gid, c.shop)
	}
	w := first.Order
	o := &Order{ID: w.ID, Name: w.Name, Cancelled: w.CancelledAt != nil, DisplayFulfillmentStatus: w.DisplayFulfillmentStatus,
		Fulfillments: fulfillments(w.Fulfillments)}
	fos := w.FulfillmentOrders
	for {
		for _, n := range fos.Nodes {
			fo := n.fulfillmentOrder()
			if n.LineItems.PageInfo.HasNextPage {
				more, r, err := c.moreFOLines(ctx, fo.ID, n.LineItems.PageInfo.EndCursor)
				if err != nil {
					return nil, r, err
				}
				fo.LineItems = append(fo.LineItems, more...)
			}
			o.FulfillmentOrders = append(o.FulfillmentOrders, fo)
		}
		if !fos.PageInfo.HasNextPage {
			break
		}
		var next struct {
			Order *struct {
				FulfillmentOrders wireFOs `json:"fulfillmentOrders"`
			} `json:"order"`
		}
		if resp, err = c.query(ctx, moreFOsQuery, map[string]any{"id": gid, "after": fos.PageInfo.EndCursor}, &next); err != nil {
			return nil, resp, err
		}
		if next.Order == nil {
			return nil, resp, fmt.Errorf("%w: order %s on %s", ErrNotFound, gid, c.shop)
		}
		fos = next.Order.FulfillmentOrders
	}
	if len(w.Fulfillments) >= firstFulfillments {
		var all struct {
			Order *struct {
				Fulfillments []wireFulfillment `json:"fulfillments"`
			} `json:"order"`
		}
		if resp, err = c.query(ctx, allFulfillmentsQuery, map[string]any{"id": gid}, &all); err != nil {
			return nil, resp, err
		}
		if all.Order != nil {
			o.Fulfillments = fulfillments(all.Order.Fulfillments)
		}
		if len(o.Fulfillments) >= allFulfillments {
			c.logger.WarnContext(ctx, "order has more fulfillments than one query can read; reconciliation sees the first ones only",
				"shop", c.shop, "order", gid, "read", len(o.Fulfillments))
		}
	}
	return o, resp, nil
}

func (c *Client) moreFOLines(ctx context.Context, foID, after string) ([]FulfillmentOrderLineItem, *Response, error) {
	var out []FulfillmentOrderLineItem
	for {
		var page struct {
			FulfillmentOrder *struct {
				LineItems wireFOLines `json:"lineItems"`
			} `json:"fulfillmentOrder"`
		}
		resp, err := c.query(ctx, moreFOLinesQuery, map[string]any{"id": foID, "after": after}, &page)
		if err != nil {
			return nil, resp, err
		}
		if page.FulfillmentOrder == nil {
			return nil, resp, fmt.Errorf("%w: fulfillment order %s", ErrNotFound, foID)
		}
		out = append(out, page.FulfillmentOrder.LineItems.lines()...)
		if !page.FulfillmentOrder.LineItems.PageInfo.HasNextPage {
			return out, resp, nil
		}
		after = page.FulfillmentOrder.LineItems.PageInfo.EndCursor
	}
}

// query runs one of the client's own read documents.
func (c *Client) query(ctx context.Context, doc string, vars map[string]any, out any) (*Response, error) {
	cost, err := c.costs.estimate(doc, vars)
	if err != nil {
		return nil, fmt.Errorf("shopify: %w", err)
	}
	return c.do(ctx, operation{query: doc, vars: vars, cost: cost, safe: true, learn: true}, out)
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
