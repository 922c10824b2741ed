package shopify

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/tracking"
)

const (
	ams = "gid://shopify/Location/1"
	ber = "gid://shopify/Location/2"
)

func fo(id, status, loc string, lines ...FulfillmentOrderLineItem) FulfillmentOrder {
	actions := map[string][]string{
		"OPEN":        {"CREATE_FULFILLMENT", "MOVE", "HOLD"},
		"IN_PROGRESS": {"CREATE_FULFILLMENT", "MOVE"},
		"ON_HOLD":     {"RELEASE_HOLD"},
		"SCHEDULED":   {"MARK_AS_OPEN"},
	}[status]
	return FulfillmentOrder{ID: id, Status: status, LocationID: loc, SupportedActions: actions, LineItems: lines}
}

func foli(id, lineItem string, remaining int) FulfillmentOrderLineItem {
	return FulfillmentOrderLineItem{ID: id, LineItemID: lineItem, RemainingQuantity: remaining, TotalQuantity: remaining}
}

func pushOf(id, loc string, items ...lineQuantity) *push {
	return &push{shipment: tracking.Shipment{ID: id}, location: loc, tracking: TrackingInfo{Number: "T-" + id}, items: items}
}

func lq(lineItem string, q int) lineQuantity {
	return lineQuantity{lineItem: lineItem, hostLine: "h" + lineItem, quantity: q}
}

// describePlan renders a plan compactly for table assertions.
func describePlan(p plan) []string {
	var out []string
	for _, m := range p.moves {
		out = append(out, fmt.Sprintf("move %s→%s %v", m.FulfillmentOrderID, m.LocationID, m.LineItems))
	}
	for _, m := range p.moved {
		out = append(out, fmt.Sprintf("after-move %s", m.push.shipment.ID))
	}
	for _, c := range p.creates {
		out = append(out, fmt.Sprintf("create %s %v", c.push.shipment.ID, c.input.LineItemsByFulfillmentOrder))
	}
	for _, b := range p.blocked {
		out = append(out, fmt.Sprintf("blocked %s %s", b.push.shipment.ID, b.result.State))
	}
	return out
}

func TestPlanFulfillments(t *testing.T) {
	tests := []struct {
		name   string
		order  Order
		pushes []*push
		want   []string
	}{
		{"one package, one FO",
			Order{FulfillmentOrders: []FulfillmentOrder{fo("F1", "OPEN", ams, foli("a", "L1", 2), foli("b", "L2", 1))}},
			[]*push{pushOf("S1", ams, lq("L1", 2), lq("L2", 1))},
			[]string{"create S1 [{F1 [{a 2} {b 1}]}]"}},
		{"two packages share one FO with partial quantities",
			Order{FulfillmentOrders: []FulfillmentOrder{fo("F1", "OPEN", ams, foli("a", "L1", 3))}},
			[]*push{pushOf("S1", ams, lq("L1", 1)), pushOf("S2", ams, lq("L1", 2))},
			[]string{"create S1 [{F1 [{a 1}]}]", "create S2 [{F1 [{a 2}]}]"}},
		{"one package spans two FOs at its location",
			Order{FulfillmentOrders: []FulfillmentOrder{fo("F1", "OPEN", ams, foli("a", "L1", 1)), fo("F2", "IN_PROGRESS", ams, foli("b", "L1", 1), foli("c", "L2", 1))}},
			[]*push{pushOf("S1", ams, lq("L1", 2), lq("L2", 1))},
			[]string{"create S1 [{F1 [{a 1}]} {F2 [{b 1} {c 1}]}]"}},
		{"package from another warehouse needs a move",
			Order{FulfillmentOrders: []FulfillmentOrder{fo("F1", "OPEN", ams, foli("a", "L1", 1), foli("b", "L2", 1))}},
			[]*push{pushOf("S1", ams, lq("L1", 1)), pushOf("S2", ber, lq("L2", 1))},
			[]string{"move F1→gid://shopify/Location/2 [{b 1}]", "after-move S2", "create S1 [{F1 [{a 1}]}]"}},
		{"the own location is used before moving",
			Order{FulfillmentOrders: []FulfillmentOrder{fo("F1", "OPEN", ams, foli("a", "L1", 1)), fo("F2", "OPEN", ber, foli("b", "L1", 1))}},
			[]*push{pushOf("S1", ber, lq("L1", 1))},
			[]string{"create S1 [{F2 [{b 1}]}]"}},
		{"on hold waits",
			Order{FulfillmentOrders: []FulfillmentOrder{fo("F1", "ON_HOLD", ams, foli("a", "L1", 1))}},
			[]*push{pushOf("S1", ams, lq("L1", 1))},
			[]string{"blocked S1 waiting"}},
		{"scheduled waits",
			Order{FulfillmentOrders: []FulfillmentOrder{fo("F1", "SCHEDULED", ams, foli("a", "L1", 1))}},
			[]*push{pushOf("S1", ams, lq("L1", 1))},
			[]string{"blocked S1 waiting"}},
		{"already fulfilled elsewhere fails, and gives back nothing it took",
			Order{FulfillmentOrders: []FulfillmentOrder{fo("F1", "OPEN", ams, foli("a", "L1", 1), foli("b", "L2", 0))}},
			[]*push{pushOf("S1", ams, lq("L1", 1), lq("L2", 1)), pushOf("S2", ams, lq("L1", 1))},
			[]string{"create S2 [{F1 [{a 1}]}]", "blocked S1 failed"}},
		{"unknown line item fails",
			Order{FulfillmentOrders: []FulfillmentOrder{fo("F1", "OPEN", ams, foli("a", "L1", 1))}},
			[]*push{pushOf("S1", ams, lq("L9", 1))},
			[]string{"blocked S1 failed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i, p := range tt.pushes {
				p.index = i
			}
			got := describePlan(planFulfillments(&tt.order, tt.pushes, false))
			require.Equal(t, tt.want, got)
		})
	}
}

func TestExplainShortageSaysWhatToDo(t *testing.T) {
	o := &Order{ID: "gid://shopify/Order/1", FulfillmentOrders: []FulfillmentOrder{
		{ID: "F1", Status: "ON_HOLD", LocationID: ams, Holds: []Hold{{Reason: "AWAITING_PAYMENT", Notes: "bank transfer"}}, LineItems: []FulfillmentOrderLineItem{foli("a", "L1", 1)}},
		{ID: "F2", Status: "IN_PROGRESS", LocationID: ber, SupportedActions: []string{"CREATE_FULFILLMENT"}, LineItems: []FulfillmentOrderLineItem{foli("b", "L2", 1)}},
		fo("F3", "CLOSED", ams, foli("c", "L3", 0)),
	}}
	tests := []struct {
		item   lineQuantity
		state  tracking.State
		reason string
	}{
		{lq("L1", 1), tracking.Waiting, "which is on hold (awaiting_payment: bank transfer); it is pushed once the hold is released in Shopify"},
		{lq("L2", 1), tracking.Failed, "Shopify does not allow moving it"},
		{lq("L3", 1), tracking.Failed, "Shopify has 0 left to fulfill: the rest is already fulfilled outside tracksync"},
		{lq("L4", 1), tracking.Failed, "is not on Shopify order gid://shopify/Order/1"},
	}
	for _, tt := range tests {
		r := explainShortage(o, pushOf("S1", ams, tt.item), tt.item)
		require.Equal(t, tt.state, r.State, tt.item.lineItem)
		require.Contains(t, r.Reason, tt.reason)
	}
}

func TestBatchDocument(t *testing.T) {
	require.Equal(t, `mutation TracksyncFulfill($fulfillment0: FulfillmentInput!, $fulfillment1: FulfillmentInput!) {
  m0: fulfillmentCreate(fulfillment: $fulfillment0) { fulfillment { id status } userErrors { field message } }
  m1: fulfillmentCreate(fulfillment: $fulfillment1) { fulfillment { id status } userErrors { field message } }
}`, createBatch.document(2))
	require.Contains(t, moveBatch.document(1), "m0: fulfillmentOrderMove(id: $id0, newLocationId: $newLocationId0, fulfillmentOrderLineItems: $fulfillmentOrderLineItems0)")
}
