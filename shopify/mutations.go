package shopify

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"sync"
)

// FulfillmentInput is the Admin API's FulfillmentInput (fulfillmentCreate,
// API 2024-10 and later; fulfillmentCreateV2 is deprecated):
// https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/fulfillmentCreate
type FulfillmentInput struct {
	LineItemsByFulfillmentOrder []FulfillmentOrderLineItems `json:"lineItemsByFulfillmentOrder"`
	NotifyCustomer              bool                        `json:"notifyCustomer"`
	TrackingInfo                *TrackingInfo               `json:"trackingInfo,omitempty"`
}

// FulfillmentOrderLineItems is the Admin API's
// FulfillmentOrderLineItemsInput: the quantities taken from one
// fulfillment order (all of its remaining items when LineItems is empty).
type FulfillmentOrderLineItems struct {
	FulfillmentOrderID string             `json:"fulfillmentOrderId"`
	LineItems          []LineItemQuantity `json:"fulfillmentOrderLineItems,omitempty"`
}

// LineItemQuantity is the Admin API's FulfillmentOrderLineItemInput.
type LineItemQuantity struct {
	ID       string `json:"id"` // a FulfillmentOrderLineItem id
	Quantity int    `json:"quantity"`
}

// FulfillmentResult is the outcome of one FulfillmentInput of a batch.
type FulfillmentResult struct {
	FulfillmentID string
	Err           error // *UserErrors when Shopify refused the input
}

// Move is one fulfillmentOrderMove: line items of a fulfillment order to
// another location (all remaining items when LineItems is empty).
// https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/fulfillmentOrderMove
type Move struct {
	FulfillmentOrderID string
	LocationID         string
	LineItems          []LineItemQuantity
}

// MoveResult is the outcome of one Move of a batch: the fulfillment order
// that now holds the moved items at the new location and, from the same
// answer, the state of both fulfillment orders after the move, so that the
// caller can plan on without reading the order again.
type MoveResult struct {
	MovedFulfillmentOrderID string
	// Moved and Original are the fulfillment orders as the move left them
	// (the same one when the whole fulfillment order moved); nil when
	// Shopify did not return them in full (more line items than the
	// answer listed), and then only a read tells.
	Moved, Original *FulfillmentOrder
	Err             error
}

// batch is an aliased mutation: n copies of one mutation field in one
// request, so that several writes cost one round trip (each still costs
// its 10 points).
type batch struct {
	name      string    // operation name
	field     string    // mutation field
	args      []argDecl // per copy; variables are named <arg><i>
	shared    []argDecl // once per request, used by the selection
	selection string
	fragments string
	safe      bool     // repeating it sets the same value again (no second object)
	docs      sync.Map // n → document
}

type argDecl struct{ name, typ string }

var (
	createBatch = &batch{name: "TracksyncFulfill", field: "fulfillmentCreate",
		args:      []argDecl{{"fulfillment", "FulfillmentInput!"}},
		selection: "fulfillment { id status } userErrors { field message }"}
	moveBatch = &batch{name: "TracksyncMove", field: "fulfillmentOrderMove",
		args:      []argDecl{{"id", "ID!"}, {"newLocationId", "ID!"}, {"fulfillmentOrderLineItems", "[FulfillmentOrderLineItemInput!]"}},
		shared:    []argDecl{{"lines", "Int!"}},
		selection: "movedFulfillmentOrder { ...TracksyncMovedFO } originalFulfillmentOrder { ...TracksyncMovedFO } userErrors { field message }",
		fragments: "fragment TracksyncMovedFO on FulfillmentOrder {" + foCore + "\n}\n" + foLineFragment}
	trackingBatch = &batch{name: "TracksyncTracking", field: "fulfillmentTrackingInfoUpdate",
		args:      []argDecl{{"fulfillmentId", "ID!"}, {"trackingInfoInput", "FulfillmentTrackingInput!"}, {"notifyCustomer", "Boolean"}},
		selection: "fulfillment { id } userErrors { field message }", safe: true}
)

// document returns the mutation for n copies, built once per n.
func (b *batch) document(n int) string {
	if d, ok := b.docs.Load(n); ok {
		return d.(string)
	}
	var s strings.Builder
	s.WriteString("mutation " + b.name + "(")
	for j, a := range b.shared {
		if j > 0 {
			s.WriteString(", ")
		}
		s.WriteString("$" + a.name + ": " + a.typ)
	}
	for i := range n {
		for j, a := range b.args {
			if i+j+len(b.shared) > 0 {
				s.WriteString(", ")
			}
			s.WriteString("$" + a.name + strconv.Itoa(i) + ": " + a.typ)
		}
	}
	s.WriteString(") {\n")
	for i := range n {
		s.WriteString("  m" + strconv.Itoa(i) + ": " + b.field + "(")
		for j, a := range b.args {
			if j > 0 {
				s.WriteString(", ")
			}
			s.WriteString(a.name + ": $" + a.name + strconv.Itoa(i))
		}
		s.WriteString(") { " + b.selection + " }\n")
	}
	s.WriteString("}")
	if b.fragments != "" {
		s.WriteString("\n" + b.fragments)
	}
	d, _ := b.docs.LoadOrStore(n, s.String())
	return d.(string)
}

// payload is what every batched mutation field returns.
type payload struct {
	Fulfillment              *object     `json:"fulfillment"`
	MovedFulfillmentOrder    *wireFO     `json:"movedFulfillmentOrder"`
	OriginalFulfillmentOrder *wireFO     `json:"originalFulfillmentOrder"`
	UserErrors               []UserError `json:"userErrors"`
}

type object struct {
	ID string `json:"id"`
}

// outcome is the id of the object a mutation returned, or why there is
// none: its userErrors, or an answer that says nothing — no object, or
// one without an id — which may have been applied (ErrOutcomeUnknown).
func (p payload) outcome(mutation, id string, returned bool) (string, error) {
	switch {
	case len(p.UserErrors) > 0:
		return "", &UserErrors{Mutation: mutation, Errors: p.UserErrors}
	case !returned || id == "":
		return "", fmt.Errorf("%w: %s answered without the object's id and without user errors", ErrOutcomeUnknown, mutation)
	}
	return id, nil
}

func (p payload) fulfillment() (string, bool) {
	if p.Fulfillment == nil {
		return "", false
	}
	return p.Fulfillment.ID, true
}

// movedFO is a fulfillment order of a move's payload, nil when absent or
// when its line items did not all come back.
func movedFO(w *wireFO) *FulfillmentOrder {
	if w == nil || w.LineItems.PageInfo.HasNextPage {
		return nil
	}
	fo := w.fulfillmentOrder()
	return &fo
}

// run sends up to maxPerRequest copies per request; vars(i) gives the
// arguments of copy i in batch order, shared the values of b.shared. A
// transport error stops the run: the outcome of that request is unknown
// and the caller must read back.
func (c *Client) run(ctx context.Context, b *batch, n int, shared map[string]any, vars func(i int) []any) ([]payload, *Response, error) {
	out := make([]payload, 0, n)
	var resp *Response
	per := c.perRequest()
	for start := 0; start < n; start += per {
		k := min(per, n-start)
		doc := b.document(k)
		v := make(map[string]any, k*len(b.args)+len(shared))
		maps.Copy(v, shared)
		for i := range k {
			for j, val := range vars(start + i) {
				v[b.args[j].name+strconv.Itoa(i)] = val
			}
		}
		var data map[string]json.RawMessage
		cost, key, err := c.costs.estimate(doc, v)
		if err != nil {
			return out, resp, err
		}
		resp, err = c.do(ctx, operation{query: doc, vars: v, cost: cost, safe: b.safe, write: true, costKey: key}, &data)
		if err != nil {
			return out, resp, err
		}
		for i := range k {
			var p payload
			if raw, ok := data["m"+strconv.Itoa(i)]; ok && string(raw) != "null" {
				if err := json.Unmarshal(raw, &p); err != nil {
					return out, resp, fmt.Errorf("shopify: decode %s: %w", b.field, err)
				}
			}
			out = append(out, p)
		}
	}
	return out, resp, nil
}

// perRequest is how many mutation copies go in one request: as many as
// the shop's bucket holds, at most 50 (500 points, half the single-query
// limit), 10 before the bucket is known.
func (c *Client) perRequest() int {
	st, ok := c.Throttle()
	if !ok {
		return 10
	}
	return max(1, min(50, int(st.MaximumAvailable/10)))
}

// CreateFulfillments creates one fulfillment per input, in as few requests
// as the shop's bucket allows. Each result holds the new fulfillment's id
// or the *UserErrors Shopify gave for that input. Shopify has no
// idempotency key for fulfillmentCreate: after an error the caller must
// read the order back before sending again.
func (c *Client) CreateFulfillments(ctx context.Context, inputs []FulfillmentInput) ([]FulfillmentResult, *Response, error) {
	ps, resp, err := c.run(ctx, createBatch, len(inputs), nil, func(i int) []any { return []any{inputs[i]} })
	out := make([]FulfillmentResult, len(ps))
	for i, p := range ps {
		id, ok := p.fulfillment()
		out[i].FulfillmentID, out[i].Err = p.outcome("fulfillmentCreate", id, ok)
	}
	return out, resp, err
}

// MoveFulfillmentOrders moves line items of fulfillment orders to other
// locations, one fulfillmentOrderMove per Move, batched. Each result holds
// both fulfillment orders as the move left them, with up to lines line
// items each (at least 1, at most 250).
func (c *Client) MoveFulfillmentOrders(ctx context.Context, moves []Move, lines int) ([]MoveResult, *Response, error) {
	shared := map[string]any{"lines": min(max(lines, 1), maxPageSize)}
	ps, resp, err := c.run(ctx, moveBatch, len(moves), shared, func(i int) []any {
		var items []LineItemQuantity // null moves everything that remains
		if len(moves[i].LineItems) > 0 {
			items = moves[i].LineItems
		}
		return []any{moves[i].FulfillmentOrderID, moves[i].LocationID, items}
	})
	out := make([]MoveResult, len(ps))
	for i, p := range ps {
		id := ""
		if p.MovedFulfillmentOrder != nil {
			id = p.MovedFulfillmentOrder.ID
		}
		out[i].MovedFulfillmentOrderID, out[i].Err = p.outcome("fulfillmentOrderMove", id, p.MovedFulfillmentOrder != nil)
		if out[i].Err == nil {
			out[i].Moved, out[i].Original = movedFO(p.MovedFulfillmentOrder), movedFO(p.OriginalFulfillmentOrder)
		}
	}
	return out, resp, err
}

// UpdateTracking replaces the tracking of a fulfillment
// (fulfillmentTrackingInfoUpdate). Setting the same tracking twice is
// harmless, so the caller may repeat it after an error.
func (c *Client) UpdateTracking(ctx context.Context, fulfillmentID string, t TrackingInfo, notifyCustomer bool) (*Response, error) {
	ps, resp, err := c.run(ctx, trackingBatch, 1, nil, func(int) []any { return []any{fulfillmentID, t, notifyCustomer} })
	if err != nil {
		return resp, err
	}
	id, ok := ps[0].fulfillment()
	_, err = ps[0].outcome("fulfillmentTrackingInfoUpdate", id, ok)
	return resp, err
}
