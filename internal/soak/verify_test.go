package soak

import (
	"fmt"
	"maps"
	"slices"

	"github.com/shopctrl/tracksync/amazon"
	"github.com/shopctrl/tracksync/amazon/amazontest"
	"github.com/shopctrl/tracksync/tracking"
)

// report is what the fakes hold against what they should.
type report struct {
	checked    int      // shipments looked up on their channel
	duplicates int      // fulfillments or packages beyond one per shipment
	lost       int      // shipments the channel does not hold
	wrong      int      // held with other items, location or reference
	edits      int      // Amazon packages confirmed again (an edit, not a duplicate)
	problems   []string // the first few findings, for people
	suspects   []string // shipments a finding concerns, for their history
}

func (r *report) suspect(ids ...string) {
	for _, id := range ids {
		if len(r.suspects) < 10 && !slices.Contains(r.suspects, id) {
			r.suspects = append(r.suspects, id)
		}
	}
}

func (r *report) problem(format string, args ...any) {
	if len(r.problems) < 20 {
		r.problems = append(r.problems, fmt.Sprintf(format, args...))
	}
}

// verify reads every order back from the fakes' inspection APIs.
func (w *world) verify() *report {
	r := &report{}
	byOrder := map[string][]string{} // channel order id → shipment ids
	for id, e := range w.expect {
		byOrder[e.channelOrderID] = append(byOrder[e.channelOrderID], id)
	}
	for _, orderID := range sortedKeys(byOrder) {
		ids := byOrder[orderID]
		slices.Sort(ids)
		e := w.expect[ids[0]]
		if e.channel == tracking.ChannelShopify {
			w.verifyShopify(r, orderID, ids)
		} else {
			w.verifyAmazon(r, orderID, ids)
		}
	}
	return r
}

// holding is one fulfillment or package as a channel holds it.
type holding struct {
	id    string                         // the channel's id, for messages
	items map[string]int                 // channel line id → quantity
	check func(shipmentID string) string // "" when it is where and what the shipment says
}

// match pairs the shipments of an order with what the channel holds, by
// tracking number and then by items (two packages of an order may share a
// tracking number), and counts what is missing, doubled or wrong.
func (w *world) match(r *report, where string, ids []string, got map[string][]holding) {
	want := map[string][]string{}
	for _, id := range ids {
		n := w.expect[id].trackingNumber
		want[n] = append(want[n], id)
	}
	for _, number := range sortedKeys(want) {
		left := got[number]
		delete(got, number)
		var unmatched []string
		for _, id := range want[number] {
			r.checked++
			j := slices.IndexFunc(left, func(h holding) bool { return maps.Equal(h.items, w.expect[id].items) })
			if j < 0 {
				unmatched = append(unmatched, id)
				continue
			}
			if msg := left[j].check(id); msg != "" {
				r.suspect(id)
				r.wrong++
				r.problem("%s: shipment %s: %s", where, id, msg)
			}
			left = slices.Delete(left, j, j+1)
		}
		r.suspect(unmatched...)
		for _, id := range unmatched {
			if len(left) == 0 {
				r.lost++
				r.problem("%s: shipment %s (%s, items %v) is not on the channel", where, id, number, w.expect[id].items)
				continue
			}
			r.wrong++
			r.problem("%s: shipment %s (%s) is %s holding %v, want %v", where, id, number, left[0].id, left[0].items, w.expect[id].items)
			left = left[1:]
		}
		if len(left) > 0 {
			r.suspect(want[number]...)
		}
		for _, h := range left {
			r.duplicates++
			r.problem("%s: %s under %s is one more than the shipments with that number", where, h.id, number)
		}
	}
	for number, extra := range got {
		for _, h := range extra {
			r.duplicates++
			r.problem("%s: %s under %s, which no shipment has", where, h.id, number)
		}
	}
}

func (w *world) verifyShopify(r *report, orderID string, ids []string) {
	e0 := w.expect[ids[0]]
	got := map[string][]holding{}
	for _, f := range w.shops[e0.store].Fulfillments(orderID) {
		h := holding{id: "fulfillment " + f.ID, items: map[string]int{}}
		for _, l := range f.Lines {
			h.items[l.LineItemID] += l.Quantity
		}
		location := f.LocationID
		h.check = func(id string) string {
			if want := w.expect[id].location; location != want {
				return fmt.Sprintf("left %s, want %s", location, want)
			}
			return ""
		}
		if len(f.Tracking) != 1 {
			r.wrong++
			r.problem("%s order %s: fulfillment %s has %d tracking entries", e0.store, orderID, f.ID, len(f.Tracking))
			continue
		}
		got[f.Tracking[0].Number] = append(got[f.Tracking[0].Number], h)
	}
	w.match(r, e0.store+" order "+orderID, ids, got)
}

func (w *world) verifyAmazon(r *report, orderID string, ids []string) {
	e0 := w.expect[ids[0]]
	seller, _, _ := amazon.SplitStore(e0.store)
	got := map[string][]holding{}
	for _, p := range w.sellers[seller].Packages(orderID) {
		r.edits += p.Edits
		h := holding{id: "package " + p.PackageReferenceID, items: map[string]int{}}
		for _, it := range p.Items {
			h.items[it.OrderItemID] += it.Quantity
		}
		ref := p.PackageReferenceID
		if e0.feed {
			ref = p.MerchantFulfillmentID // a feed's package gets Amazon's reference; ours travels as MerchantFulfillmentID
		}
		h.check = func(id string) string {
			if want := amazon.PackageReferenceID(id); ref != want {
				return fmt.Sprintf("confirmed as package %s, want %s", ref, want)
			}
			return ""
		}
		got[p.TrackingNumber] = append(got[p.TrackingNumber], h)
	}
	w.match(r, e0.store+" order "+orderID, ids, got)
}

// writes counts the requests that can change a channel: Shopify
// mutations, Amazon confirmations and feeds.
func (w *world) writes() int {
	n := 0
	for _, r := range w.shopSrv.Requests() {
		if r.OperationType == "mutation" {
			n++
		}
	}
	return n + w.amzSrv.Count(amazontest.OpConfirmShipment) + w.amzSrv.Count(amazontest.OpCreateFeed)
}
