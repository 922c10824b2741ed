package shopify

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopctrl/tracksync/tracking"
)

// push is one shipment on its way to becoming a Shopify fulfillment.
type push struct {
	index    int // in the order's shipments, for the result
	shipment tracking.Shipment
	location string // the location it left from (gid)
	tracking TrackingInfo
	items    []lineQuantity
	warnings []string
	unknown  bool // this export sent it and does not know whether it landed
}

// quantities is what the package holds, by Shopify line item.
func (p *push) quantities() map[string]int {
	q := make(map[string]int, len(p.items))
	for _, it := range p.items {
		q[it.lineItem] += it.quantity
	}
	return q
}

// lineQuantity is a quantity of one Shopify line item.
type lineQuantity struct {
	lineItem string // gid://shopify/LineItem/<n>
	hostLine string // for messages
	quantity int
}

// plan is what it takes to fulfill a set of pushes on the order as it
// stands: moves first (when a package left a warehouse other than the one
// Shopify assigned), then one fulfillment per push.
type plan struct {
	moves   []Move
	moved   []moved // pushes that wait for moves
	creates []create
	blocked []blocked
}

// moved is a push that needs the items of some moves at its location.
type moved struct {
	push  *push
	moves []int // indexes into plan.moves
}

type create struct {
	push  *push
	input FulfillmentInput
}

type blocked struct {
	push   *push
	result tracking.ShipmentResult
}

// take is a quantity of one fulfillment order line item given to a push.
type take struct {
	fo, line int // indexes into the order's fulfillment orders and their line items
	quantity int
	move     bool // the fulfillment order is at another location
}

// planFulfillments allocates every push's items to fulfillment order line
// items: first from fulfillment orders at the push's location, then from
// movable ones elsewhere. A push gets all of its items or none; one that
// cannot is blocked with a result that says why and what to do.
func planFulfillments(o *Order, pushes []*push, notify bool) plan {
	remaining := make([][]int, len(o.FulfillmentOrders))
	for i, fo := range o.FulfillmentOrders {
		remaining[i] = make([]int, len(fo.LineItems))
		for j, li := range fo.LineItems {
			remaining[i][j] = li.RemainingQuantity
		}
	}
	var p plan
	moves := map[[2]string]int{} // (fulfillment order, location) → index in p.moves
	for _, ps := range pushes {
		takes, short := allocate(o, remaining, ps)
		if short != nil {
			p.blocked = append(p.blocked, *short)
			continue
		}
		if mv := p.addMoves(o, moves, ps, takes); len(mv) > 0 {
			p.moved = append(p.moved, moved{push: ps, moves: mv})
			continue // planned again once the items are at its location
		}
		p.creates = append(p.creates, create{push: ps, input: fulfillmentInput(o, takes, ps, notify)})
	}
	return p
}

// allocate takes a push's items from what remains of the fulfillment
// orders, or nothing and says why (remaining is left as it was).
func allocate(o *Order, remaining [][]int, ps *push) ([]take, *blocked) {
	var takes []take
	for _, it := range ps.items {
		need := it.quantity
		for pass := 0; pass < 2 && need > 0; pass++ {
			for i, fo := range o.FulfillmentOrders {
				here := fo.LocationID == ps.location
				usable := fo.Supports("CREATE_FULFILLMENT") && ((pass == 0 && here) || (pass == 1 && !here && fo.Supports("MOVE")))
				for j, li := range fo.LineItems {
					if !usable || need == 0 {
						break
					}
					if li.LineItemID != it.lineItem || remaining[i][j] == 0 {
						continue
					}
					q := min(need, remaining[i][j])
					takes = append(takes, take{fo: i, line: j, quantity: q, move: pass == 1})
					remaining[i][j] -= q
					need -= q
				}
			}
		}
		if need > 0 {
			for _, t := range takes { // give back what this push had taken
				remaining[t.fo][t.line] += t.quantity
			}
			return nil, &blocked{push: ps, result: explainShortage(o, ps, it)}
		}
	}
	return takes, nil
}

// addMoves adds the moves a push's takes need to p (one per fulfillment
// order and destination, shared by the pushes) and returns their indexes.
func (p *plan) addMoves(o *Order, moves map[[2]string]int, ps *push, takes []take) []int {
	var mv []int
	for _, t := range takes {
		if !t.move {
			continue
		}
		fo := o.FulfillmentOrders[t.fo]
		key := [2]string{fo.ID, ps.location}
		k, ok := moves[key]
		if !ok {
			k = len(p.moves)
			moves[key] = k
			p.moves = append(p.moves, Move{FulfillmentOrderID: fo.ID, LocationID: ps.location})
		}
		p.moves[k].LineItems = append(p.moves[k].LineItems, LineItemQuantity{ID: fo.LineItems[t.line].ID, Quantity: t.quantity})
		if !slices.Contains(mv, k) {
			mv = append(mv, k)
		}
	}
	return mv
}

// fulfillmentInput groups a push's takes by fulfillment order, in order.
func fulfillmentInput(o *Order, takes []take, ps *push, notify bool) FulfillmentInput {
	in := FulfillmentInput{NotifyCustomer: notify}
	if ps.tracking != (TrackingInfo{}) {
		t := ps.tracking
		in.TrackingInfo = &t
	}
	byFO := map[int]int{}
	for _, t := range takes {
		k, ok := byFO[t.fo]
		if !ok {
			k = len(in.LineItemsByFulfillmentOrder)
			byFO[t.fo] = k
			in.LineItemsByFulfillmentOrder = append(in.LineItemsByFulfillmentOrder, FulfillmentOrderLineItems{FulfillmentOrderID: o.FulfillmentOrders[t.fo].ID})
		}
		g := &in.LineItemsByFulfillmentOrder[k]
		g.LineItems = append(g.LineItems, LineItemQuantity{ID: o.FulfillmentOrders[t.fo].LineItems[t.line].ID, Quantity: t.quantity})
	}
	return in
}

// explainShortage says why Shopify has too little of a line item left for
// a push, and what to do: never a silent skip.
func explainShortage(o *Order, ps *push, it lineQuantity) tracking.ShipmentResult {
	res := tracking.ShipmentResult{ShipmentID: ps.shipment.ID, State: tracking.Failed}
	line := fmt.Sprintf("line %q (%s)", it.hostLine, it.lineItem)
	found := false
	left := 0
	for _, fo := range o.FulfillmentOrders {
		for _, li := range fo.LineItems {
			if li.LineItemID != it.lineItem {
				continue
			}
			found = true
			if li.RemainingQuantity == 0 {
				continue
			}
			left += li.RemainingQuantity
			switch {
			case fo.Status == "ON_HOLD":
				res.State = tracking.Waiting
				res.Reason = fmt.Sprintf("%s is in fulfillment order %s, which is on hold%s; it is pushed once the hold is released in Shopify", line, fo.ID, holdText(fo.Holds))
				return res
			case fo.Status == "SCHEDULED":
				res.State = tracking.Waiting
				res.Reason = fmt.Sprintf("%s is in fulfillment order %s, which is scheduled for later; it is pushed once Shopify opens it (or mark it as open)", line, fo.ID)
				return res
			case fo.LocationID != ps.location && !fo.Supports("MOVE"):
				res.Reason = fmt.Sprintf("%s is assigned to location %s (fulfillment order %s, %s) and Shopify does not allow moving it to %s: change the assignment in Shopify or ship from that location",
					line, fo.LocationID, fo.ID, strings.ToLower(fo.Status), ps.location)
				return res
			}
		}
	}
	if !found {
		res.Reason = fmt.Sprintf("%s is not on Shopify order %s: check the line's channel line id", line, o.ID)
		return res
	}
	res.Reason = fmt.Sprintf("the package holds %d units of %s but Shopify has %d left to fulfill: the rest is already fulfilled outside tracksync or under another tracking number; check the order's fulfillments in Shopify",
		it.quantity, line, left)
	return res
}

func holdText(hs []Hold) string {
	if len(hs) == 0 {
		return ""
	}
	parts := make([]string, len(hs))
	for i, h := range hs {
		parts[i] = strings.ToLower(h.Reason)
		if h.Notes != "" {
			parts[i] += ": " + h.Notes
		}
	}
	return " (" + strings.Join(parts, "; ") + ")"
}
