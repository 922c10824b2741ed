package shopifytest

import (
	"slices"
	"time"
)

// This file is the read side of the Go API: snapshots of what the fake
// holds and what it was asked, for assertions. Every snapshot is a copy;
// changing it changes nothing in the fake.

// Fulfillment is a snapshot of a fulfillment.
type Fulfillment struct {
	ID                  string
	Name                string // "#1001.1"
	Status              string // FulfillmentStatus: SUCCESS
	OrderID             string
	LocationID          string
	FulfillmentOrderIDs []string
	Tracking            []Tracking
	Lines               []FulfillmentLine
	NotifyCustomer      bool
	CreatedAt           time.Time
}

// Tracking is one tracking entry of a fulfillment.
type Tracking struct {
	Company, Number, URL string
}

// FulfillmentLine is a quantity of one line item in a fulfillment.
type FulfillmentLine struct {
	ID         string
	LineItemID string
	SKU        string
	Quantity   int
}

// FulfillmentOrder is a snapshot of a fulfillment order.
type FulfillmentOrder struct {
	ID               string
	OrderID          string
	LocationID       string
	Status           string   // FulfillmentOrderStatus
	SupportedActions []string // FulfillmentOrderAction values
	HoldReasons      []string
	Lines            []FulfillmentOrderLine
}

// FulfillmentOrderLine is one line item of a fulfillment order.
type FulfillmentOrderLine struct {
	ID         string
	LineItemID string
	SKU        string
	Total      int // totalQuantity
	Remaining  int // remainingQuantity
}

// Request is what the Server recorded about one HTTP request.
type Request struct {
	Time    time.Time
	Shop    string // the Host's domain
	Version string // the API version that served it ("" if the path was wrong)
	// OperationName is the executed operation's name, "" if anonymous.
	OperationName string
	// OperationType is "query" or "mutation"; "" if the document was not
	// valid.
	OperationType string
	// Fields are the operation's top-level field names, one per response
	// key: two aliased fulfillmentCreate are two entries.
	Fields []string
	// RequestedCost and ActualCost are extensions.cost's figures; ActualCost
	// is 0 when nothing was executed.
	RequestedCost int
	ActualCost    int
	// Throttled is set when the request was refused with THROTTLED.
	Throttled bool
	// Status is the HTTP status answered, 0 when the connection was dropped.
	Status int
	// Fault is set when an injected fault acted on the request.
	Fault bool
	// Executed is set when the operation ran (its writes, if any, applied),
	// even if the answer was then dropped.
	Executed bool
}

// Fulfillments returns the fulfillments of an order, oldest first (nil for
// an unknown order).
func (sh *Shop) Fulfillments(orderID string) []Fulfillment {
	sh.srv.mu.Lock()
	defer sh.srv.mu.Unlock()
	o, ok := sh.objects[orderID].(*order)
	if !ok {
		return nil
	}
	out := make([]Fulfillment, 0, len(o.fulfillments))
	for _, f := range o.fulfillments {
		s := Fulfillment{ID: f.id, Name: f.name, Status: f.status, OrderID: o.id, NotifyCustomer: f.notifyCustomer, CreatedAt: f.createdAt}
		if f.location != nil {
			s.LocationID = f.location.id
		}
		for _, fo := range f.fos {
			s.FulfillmentOrderIDs = append(s.FulfillmentOrderIDs, fo.id)
		}
		for _, t := range f.tracking {
			s.Tracking = append(s.Tracking, Tracking{Company: t.company, Number: t.number, URL: t.url})
		}
		for _, l := range f.lines {
			s.Lines = append(s.Lines, FulfillmentLine{ID: l.id, LineItemID: l.line.id, SKU: l.line.sku, Quantity: l.quantity})
		}
		out = append(out, s)
	}
	return out
}

// FulfillmentOrders returns the fulfillment orders of an order, in the
// order Shopify lists them (nil for an unknown order).
func (sh *Shop) FulfillmentOrders(orderID string) []FulfillmentOrder {
	sh.srv.mu.Lock()
	defer sh.srv.mu.Unlock()
	o, ok := sh.objects[orderID].(*order)
	if !ok {
		return nil
	}
	out := make([]FulfillmentOrder, 0, len(o.fos))
	for _, fo := range o.fos {
		s := FulfillmentOrder{ID: fo.id, OrderID: o.id, LocationID: fo.location.id, Status: fo.status, SupportedActions: slices.Clone(fo.supportedActions())}
		for _, h := range fo.holds {
			s.HoldReasons = append(s.HoldReasons, h.reason)
		}
		for _, l := range fo.visibleLines() {
			s.Lines = append(s.Lines, FulfillmentOrderLine{ID: l.id, LineItemID: l.line.id, SKU: l.line.sku, Total: l.total, Remaining: l.remaining})
		}
		out = append(out, s)
	}
	return out
}

// DisplayFulfillmentStatus returns an order's displayFulfillmentStatus
// ("" for an unknown order).
func (sh *Shop) DisplayFulfillmentStatus(orderID string) string {
	sh.srv.mu.Lock()
	defer sh.srv.mu.Unlock()
	o, ok := sh.objects[orderID].(*order)
	if !ok {
		return ""
	}
	return o.displayFulfillmentStatus()
}

// Bucket returns the shop's cost bucket now: the points available, the
// bucket's size and its restore rate in points per second.
func (sh *Shop) Bucket() (available, max, rate float64) {
	sh.srv.mu.Lock()
	defer sh.srv.mu.Unlock()
	sh.bucket.refill(sh.srv.clock())
	return sh.bucket.available, sh.bucket.size, sh.bucket.rate
}

// Requests returns every request the server answered (or dropped), in
// arrival order of their completion.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.Clone(s.requests)
	for i := range out {
		out[i].Fields = slices.Clone(out[i].Fields)
	}
	return out
}

// Throttled returns how many requests were refused with THROTTLED.
func (s *Server) Throttled() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.throttled
}
