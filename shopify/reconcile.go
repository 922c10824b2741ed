package shopify

import (
	"context"
	"slices"

	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/carrier"
)

// reconcile settles the pending packages that are already on the order: a
// live fulfillment with the package's tracking number and exactly its items
// and quantities, not taken by another package of this export. A number
// alone does not identify a package: two packages may share one (a carrier
// reusing numbers, a host splitting a parcel), and the second must still be
// sent. A package whose own write had an unknown outcome and is found was
// Pushed by this export; any other found package was AlreadyPushed.
func (x *export) reconcile(ctx context.Context, so *Order) error {
	if err := x.readLines(ctx, so); err != nil {
		return err
	}
	byNumber := map[string][]Fulfillment{} // live fulfillments by tracking number
	for _, f := range so.Fulfillments {
		if live(f) {
			for _, t := range f.Tracking {
				n := carrier.Normalize(t.Number)
				byNumber[n] = append(byNumber[n], f)
			}
		}
	}
	x.pending = slices.DeleteFunc(x.pending, func(p *push) bool {
		f, ok := x.match(byNumber[carrier.Normalize(p.tracking.Number)], p)
		if !ok {
			return false
		}
		x.claimed[f.ID] = true
		state := tracking.AlreadyPushed
		if p.unknown {
			state = tracking.Pushed
		}
		x.set(p, tracking.ShipmentResult{State: state, RemoteID: f.ID})
		return true
	})
	return nil
}

// readLines reads what the candidate fulfillments shipped: the live ones
// that carry a pending package's number and were not read before. Most
// exports have none, and make no request.
func (x *export) readLines(ctx context.Context, so *Order) error {
	numbers := map[string]bool{}
	most := 0
	for _, p := range x.pending {
		numbers[carrier.Normalize(p.tracking.Number)] = true
		most = max(most, len(p.quantities()))
	}
	var ids []string
	for _, f := range so.Fulfillments {
		if _, read := x.lines[f.ID]; read || x.claimed[f.ID] || !live(f) || !carriesAny(f, numbers) {
			continue
		}
		ids = append(ids, f.ID)
	}
	if len(ids) == 0 {
		return nil
	}
	// One line item more than any package has tells a fulfillment that
	// shipped more apart without paging through it.
	got, err := x.client.FulfillmentLines(ctx, ids, most+1)
	if err != nil {
		return err
	}
	for _, id := range ids {
		l, ok := got[id]
		if !ok {
			l.More = true // gone since the read: it is no package's
		}
		x.lines[id] = l
	}
	return nil
}

// match finds the fulfillment that is package p among the live ones that
// carry its number.
func (x *export) match(carrying []Fulfillment, p *push) (Fulfillment, bool) {
	want := p.quantities()
	for _, f := range carrying {
		if l, ok := x.lines[f.ID]; ok && !x.claimed[f.ID] && l.Equal(want) {
			return f, true
		}
	}
	return Fulfillment{}, false
}

// live reports a fulfillment that stands: not cancelled or failed.
func live(f Fulfillment) bool {
	switch f.Status {
	case "CANCELLED", "ERROR", "FAILURE":
		return false
	}
	return true
}

func carriesAny(f Fulfillment, numbers map[string]bool) bool {
	for _, t := range f.Tracking {
		if numbers[carrier.Normalize(t.Number)] {
			return true
		}
	}
	return false
}
