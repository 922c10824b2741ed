package shopifytest

import (
	"strconv"
	"strings"
	"time"
)

// This file is the fake's model of a shop's fulfillment data and the rules
// that derive statuses from it. Everything here is guarded by Server.mu.
//
// The shape follows Shopify's fulfillment-order model
// (https://shopify.dev/docs/apps/build/orders-fulfillment/order-management-apps):
// an order's line items are split into fulfillment orders (FOs), each
// assigned to one location; a fulfillment ships quantities of FO line
// items from one location; an FO line item's remainingQuantity is what is
// left to ship.

// Statuses, actions and hold reasons, as spelled by the schema's enums.
const (
	statusOpen       = "OPEN"
	statusInProgress = "IN_PROGRESS"
	statusClosed     = "CLOSED"
	statusCancelled  = "CANCELLED"
	statusOnHold     = "ON_HOLD"
	statusScheduled  = "SCHEDULED"
	statusIncomplete = "INCOMPLETE"

	actionCreateFulfillment = "CREATE_FULFILLMENT"
	actionMove              = "MOVE"
	actionHold              = "HOLD"
	actionReleaseHold       = "RELEASE_HOLD"
	actionMarkAsOpen        = "MARK_AS_OPEN"
	actionSplit             = "SPLIT"

	holdReasonOther = "OTHER"
)

var foStatuses = []string{statusCancelled, statusClosed, statusIncomplete, statusInProgress, statusOnHold, statusOpen, statusScheduled}

var holdReasons = []string{"AWAITING_PAYMENT", "AWAITING_RETURN_ITEMS", "HIGH_RISK_OF_FRAUD", "INCORRECT_ADDRESS",
	"INVENTORY_OUT_OF_STOCK", "ONLINE_STORE_POST_PURCHASE_CROSS_SELL", holdReasonOther, "UNKNOWN_DELIVERY_DATE"}

// gid formats a Shopify global ID, gid://shopify/<Type>/<number>.
func gid(kind string, n int64) string {
	return "gid://shopify/" + kind + "/" + strconv.FormatInt(n, 10)
}

// legacyID is the number at the end of a global ID (Shopify's
// legacyResourceId), which some of its error messages quote.
func legacyID(id string) string {
	if i := strings.LastIndexByte(id, '/'); i >= 0 {
		return id[i+1:]
	}
	return id
}

type location struct {
	id     string
	name   string
	active bool
}

type order struct {
	id           string
	name         string
	shop         *Shop
	lines        []*lineItem
	fos          []*fulfillmentOrder
	fulfillments []*fulfillment
}

type lineItem struct {
	id       string
	sku      string
	name     string
	quantity int
	order    *order
}

// fulfilled is how many of the line item the order's fulfillments shipped.
func (l *lineItem) fulfilled() int {
	n := 0
	for _, f := range l.order.fulfillments {
		for _, fl := range f.lines {
			if fl.line == l {
				n += fl.quantity
			}
		}
	}
	return n
}

type fulfillmentOrder struct {
	id           string
	order        *order
	location     *location
	status       string
	lines        []*foLine
	holds        []*fulfillmentHold
	fulfillments []*fulfillment
	// heldFrom is the status a hold interrupted, restored on release.
	heldFrom string
}

type foLine struct {
	id        string
	line      *lineItem
	total     int
	remaining int
}

type fulfillmentHold struct {
	id     string
	reason string
	notes  string
}

type fulfillment struct {
	id             string
	name           string
	status         string
	order          *order
	location       *location
	createdAt      time.Time
	tracking       []trackingInfo
	lines          []*fulfillmentLine
	fos            []*fulfillmentOrder
	notifyCustomer bool
}

type trackingInfo struct {
	company, number, url string
}

type fulfillmentLine struct {
	id       string
	line     *lineItem
	quantity int
}

func (fo *fulfillmentOrder) remaining() int {
	n := 0
	for _, l := range fo.lines {
		n += l.remaining
	}
	return n
}

// visibleLines are the FO's line items that still belong to it: a line
// whose whole quantity moved to another FO is gone from this one.
func (fo *fulfillmentOrder) visibleLines() []*foLine {
	var out []*foLine
	for _, l := range fo.lines {
		if l.total > 0 {
			out = append(out, l)
		}
	}
	return out
}

func (fo *fulfillmentOrder) line(id string) *foLine {
	for _, l := range fo.lines {
		if l.id == id && l.total > 0 {
			return l
		}
	}
	return nil
}

// supportedActions are the actions Shopify lists for an FO in each status
// (FulfillmentOrderAction, https://shopify.dev/docs/api/admin-graphql/latest/enums/FulfillmentOrderAction):
// an open or in-progress FO can be fulfilled, moved, held and (with more
// than one unit left) split; a held one can only be released; a scheduled
// one only marked as open; closed, cancelled and incomplete ones allow
// nothing. Simpler than Shopify: no MERGE, CANCEL_FULFILLMENT_ORDER or
// fulfillment-service actions, since the fake has no mutations for them.
func (fo *fulfillmentOrder) supportedActions() []string {
	switch fo.status {
	case statusOpen, statusInProgress:
		actions := []string{actionCreateFulfillment, actionMove, actionHold}
		if fo.remaining() > 1 {
			actions = append(actions, actionSplit)
		}
		return actions
	case statusOnHold:
		return []string{actionReleaseHold}
	case statusScheduled:
		return []string{actionMarkAsOpen}
	}
	return nil
}

func (fo *fulfillmentOrder) supports(action string) bool {
	for _, a := range fo.supportedActions() {
		if a == action {
			return true
		}
	}
	return false
}

// settle derives an open FO's status from its quantities after a
// fulfillment or a move: nothing left is CLOSED, something shipped and
// something left is IN_PROGRESS, nothing shipped is OPEN. Held, scheduled
// and finished FOs keep their status.
func (fo *fulfillmentOrder) settle() {
	if fo.status != statusOpen && fo.status != statusInProgress {
		return
	}
	switch {
	case fo.remaining() == 0:
		fo.status = statusClosed
	case len(fo.fulfillments) > 0:
		fo.status = statusInProgress
	default:
		fo.status = statusOpen
	}
}

// displayFulfillmentStatus is the order's aggregate status
// (OrderDisplayFulfillmentStatus): FULFILLED when every unit shipped,
// PARTIALLY_FULFILLED when some did; before anything shipped, ON_HOLD or
// SCHEDULED when every FO with units left is held or scheduled, else
// UNFULFILLED. Simpler than Shopify: no IN_PROGRESS / PENDING_FULFILLMENT
// (those come from fulfillment services), no RESTOCKED.
func (o *order) displayFulfillmentStatus() string {
	total, shipped := 0, 0
	for _, l := range o.lines {
		total += l.quantity
		shipped += l.fulfilled()
	}
	switch {
	case total > 0 && shipped >= total:
		return "FULFILLED"
	case shipped > 0:
		return "PARTIALLY_FULFILLED"
	}
	held, scheduled, waiting := 0, 0, 0
	for _, fo := range o.fos {
		if fo.remaining() == 0 {
			continue
		}
		waiting++
		switch fo.status {
		case statusOnHold:
			held++
		case statusScheduled:
			scheduled++
		}
	}
	switch {
	case waiting > 0 && held == waiting:
		return statusOnHold
	case waiting > 0 && scheduled == waiting:
		return statusScheduled
	}
	return "UNFULFILLED"
}
