package shopify

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/shopctrl/tracksync/internal/gqlcost"
	"github.com/shopctrl/tracksync/tracking"
)

// export is one Export call: the order, its results, and the packages
// still to settle.
type export struct {
	e       *Exporter
	syncRun *tracking.Run // the Syncer's, nil outside one
	o       tracking.Order
	client  *Client
	res     tracking.Result
	pending []*push
	claimed map[string]bool             // fulfillments that are a package of this export
	lines   map[string]FulfillmentLines // what fulfillments shipped, as read
}

func (e *Exporter) newExport(ctx context.Context, o tracking.Order) *export {
	x := &export{e: e, syncRun: tracking.RunFrom(ctx), o: o, claimed: map[string]bool{}, lines: map[string]FulfillmentLines{},
		res: tracking.Result{Exporter: "shopify", Channel: Channel, Shipments: make([]tracking.ShipmentResult, len(o.Shipments))}}
	for i, s := range o.Shipments {
		x.res.Shipments[i].ShipmentID = s.ID
	}
	x.pending = e.prepare(ctx, o, x.res.Shipments)
	return x
}

// result leaves out shipments without an outcome (when the export ends
// early with err): the Syncer reports those with the error.
func (x *export) result(err error) (tracking.Result, error) {
	x.res.Shipments = slices.DeleteFunc(x.res.Shipments, func(r tracking.ShipmentResult) bool { return r.State == "" })
	return x.res, err
}

func (x *export) set(p *push, r tracking.ShipmentResult) {
	r.ShipmentID = p.shipment.ID
	r.Warnings = append(slices.Clip(p.warnings), r.Warnings...)
	x.res.Shipments[p.index] = r
}

func (x *export) failPending(reason string, err error) {
	for _, p := range x.pending {
		x.set(p, failed(reason, err))
	}
	x.pending = nil
}

// maxRounds bounds the read–write rounds of one export: moves, then
// fulfillments, then a read after a write whose outcome is unknown.
const maxRounds = 5

// run repeats read, reconcile, plan and write until every package is
// settled. It returns an error only when ctx ended.
func (x *export) run(ctx context.Context) error {
	var so *Order // the order as last read or written; nil: read it
	for round := 0; len(x.pending) > 0; round++ {
		if round == maxRounds {
			x.failPending("gave up after several rounds of reading and writing the order; the next run tries again", nil)
			return nil
		}
		if so == nil {
			if so = x.read(ctx); so == nil {
				return nil
			}
		}
		if err := x.reconcile(ctx, so); err != nil {
			x.failPending("could not read the order's fulfillments from Shopify: "+err.Error(), err)
			return nil
		}
		if len(x.pending) == 0 {
			return nil
		}
		pl := planFulfillments(so, x.pending, x.e.notify)
		for _, b := range pl.blocked {
			x.set(b.push, b.result)
		}
		var err error
		switch {
		case len(pl.moves) > 0:
			so, err = x.move(ctx, so, pl)
		case len(pl.creates) > 0:
			so, err = nil, x.create(ctx, pl)
		default:
			x.pending = nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// read reads the order, as much of it as the packages suggest. It settles
// every package and returns nil when the order cannot be fulfilled.
func (x *export) read(ctx context.Context) *Order {
	size := readSize(x.pending)
	size.ExpectLineItems, size.ExpectFulfillments = len(x.o.Lines), len(x.pending)
	so, _, err := x.client.ReadOrder(ctx, x.o.ChannelOrderID, size)
	switch {
	case errors.Is(err, ErrNotFound):
		x.failPending(fmt.Sprintf("order %s is not on %s: check the order's channel order id and shop", x.o.ChannelOrderID, x.client.Shop()), err)
	case err != nil:
		x.failPending("could not read the order from Shopify: "+err.Error(), err)
	case so.Cancelled:
		x.failPending("the order is cancelled on Shopify: nothing is fulfilled", nil)
	default:
		return so
	}
	return nil
}

// readSize expects a fulfillment order per location the packages left
// from, holding the lines shipped from there, and a fulfillment per
// package (on a repeated export).
func readSize(pushes []*push) OrderSize {
	type site struct {
		lines    map[string]bool
		packages int
	}
	sites := map[string]*site{}
	for _, p := range pushes {
		s := sites[p.location]
		if s == nil {
			s = &site{lines: map[string]bool{}}
			sites[p.location] = s
		}
		s.packages++
		for _, it := range p.items {
			s.lines[it.lineItem] = true
		}
	}
	size := OrderSize{FulfillmentOrders: len(sites)}
	for _, s := range sites {
		size.LineItems = max(size.LineItems, len(s.lines))
		size.Fulfillments = max(size.Fulfillments, s.packages)
	}
	return size
}

// move runs the plan's moves and returns the order as they left it, from
// their answers; nil when only a read can tell (a transport error, or an
// answer without the fulfillment orders in full). Packages whose move
// Shopify refused fail; the others are planned again.
func (x *export) move(ctx context.Context, so *Order, pl plan) (*Order, error) {
	var moving []*push
	for _, m := range pl.moved {
		moving = append(moving, m.push)
	}
	results, _, err := x.client.MoveFulfillmentOrders(withFence(ctx, x.fence(moving)), pl.moves, maxLineItems(so))
	switch {
	case errors.Is(err, tracking.ErrLeaseLost): // nothing was sent
		x.pending = x.fenced(append(pushesFrom(pl.creates), moving...))
		return so, nil
	case err != nil && ctx.Err() != nil:
		return nil, err
	}
	x.pending = pushesFrom(pl.creates)
	for _, m := range pl.moved {
		if ferr := firstFailed(results, m.moves); ferr != nil {
			x.set(m.push, failed("Shopify refused to move the items to the package's location: "+ferr.Error(), ferr))
			continue
		}
		x.pending = append(x.pending, m.push)
	}
	if err != nil {
		x.e.logger.WarnContext(ctx, "fulfillmentOrderMove outcome unknown; reading the order back", "shop", x.client.Shop(), "order", x.o.ChannelOrderID, "error", err)
		return nil, nil
	}
	return applyMoves(so, results), nil
}

// applyMoves is so with the fulfillment orders the moves' answers hold;
// nil when an answer lacks them.
func applyMoves(so *Order, results []MoveResult) *Order {
	next := *so
	next.FulfillmentOrders = slices.Clone(so.FulfillmentOrders)
	for _, r := range results {
		if r.Err != nil {
			continue // refused: nothing changed
		}
		if r.Moved == nil || r.Original == nil {
			return nil
		}
		i := slices.IndexFunc(next.FulfillmentOrders, func(fo FulfillmentOrder) bool { return fo.ID == r.Original.ID })
		if i < 0 {
			return nil
		}
		next.FulfillmentOrders[i] = *r.Original
		if r.Moved.ID != r.Original.ID {
			next.FulfillmentOrders = slices.Insert(next.FulfillmentOrders, i+1, *r.Moved)
		}
	}
	return &next
}

// maxLineItems is the most line items any of the order's fulfillment
// orders has: a move's answer needs no more.
func maxLineItems(so *Order) int {
	n := 1
	for _, fo := range so.FulfillmentOrders {
		n = max(n, len(fo.LineItems))
	}
	return n
}

// firstFailed is the error of the first of the moves idx that Shopify
// refused, nil if none was.
func firstFailed(results []MoveResult, idx []int) error {
	for _, i := range idx {
		if i < len(results) && results[i].Err != nil {
			return results[i].Err
		}
	}
	return nil
}

// create writes the plan's fulfillments, one request at a time. The
// packages whose outcome is unknown stay pending, to be read back before
// anything is sent again, and so do those not sent yet.
func (x *export) create(ctx context.Context, pl plan) error {
	var next []*push
	creates := pl.creates
	for per := x.client.perRequest(); len(creates) > 0; {
		chunk := creates[:min(per, len(creates))]
		creates = creates[len(chunk):]
		unknown, err := x.createChunk(ctx, chunk)
		next = append(next, unknown...)
		if err != nil {
			if ctx.Err() != nil {
				return err
			}
			next = append(next, pushesFrom(creates)...)
			break
		}
	}
	x.pending = next
	return nil
}

// createChunk sends one request of fulfillments, fenced by the leases of
// its packages, and returns the packages still pending.
func (x *export) createChunk(ctx context.Context, chunk []create) ([]*push, error) {
	inputs := make([]FulfillmentInput, len(chunk))
	for i, c := range chunk {
		inputs[i] = c.input
	}
	pushes := pushesFrom(chunk)
	results, _, err := x.client.CreateFulfillments(withFence(ctx, x.fence(pushes)), inputs)
	if errors.Is(err, tracking.ErrLeaseLost) { // nothing was sent
		return x.fenced(pushes), nil
	}
	var unknown []*push
	for i, r := range results {
		switch {
		case errors.Is(r.Err, ErrOutcomeUnknown):
			unknown = append(unknown, chunk[i].push)
		case r.Err != nil:
			x.set(chunk[i].push, failed(userErrorReason(r.Err), r.Err))
		default:
			x.claimed[r.FulfillmentID] = true
			x.set(chunk[i].push, tracking.ShipmentResult{State: tracking.Pushed, RemoteID: r.FulfillmentID})
		}
	}
	if err != nil && ctx.Err() == nil {
		unknown = append(unknown, pushes[len(results):]...)
	}
	for _, p := range unknown {
		p.unknown = true
	}
	if len(unknown) > 0 {
		x.e.logger.WarnContext(ctx, "fulfillmentCreate outcome unknown; reading the order back", "shop", x.client.Shop(), "order", x.o.ChannelOrderID, "packages", len(unknown), "error", err)
	}
	return unknown, err
}

// fence is the check a write for pushes must pass right before it is
// sent: the Syncer still holds every one's lease.
func (x *export) fence(pushes []*push) func() error {
	return func() error {
		for _, p := range pushes {
			if err := x.syncRun.Check(p.shipment.ID); err != nil {
				return err
			}
		}
		return nil
	}
}

// fenced settles the pushes whose lease is lost (nothing was written for
// them) and returns the others, which stay pending.
func (x *export) fenced(pushes []*push) []*push {
	return slices.DeleteFunc(slices.Clone(pushes), func(p *push) bool {
		err := x.syncRun.Check(p.shipment.ID)
		if err != nil {
			x.set(p, failed("the Syncer lost this package's lease, so another worker may be pushing it: nothing was sent; the next run reconciles", err))
		}
		return err != nil
	})
}

func pushesFrom(cs []create) []*push {
	out := make([]*push, len(cs))
	for i, c := range cs {
		out[i] = c.push
	}
	return out
}

// writeCost is what the first write of an export of n packages costs:
// one fulfillmentCreate each, as many as go in one request.
func (c *Client) writeCost(n int) float64 {
	return float64(min(n, c.perRequest()) * gqlcost.MutationCost)
}

func failed(reason string, err error) tracking.ShipmentResult {
	return tracking.ShipmentResult{State: tracking.Failed, Reason: reason, Err: err}
}

func userErrorReason(err error) string {
	return "Shopify refused the fulfillment: " + err.Error()
}
