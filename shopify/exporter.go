package shopify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"

	"github.com/shopctrl/tracksync/mapping"
	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/carrier"
)

// Exporter pushes the shipments of Shopify orders as fulfillments: the
// location each package left from, its items and quantities, the carrier's
// tracking company, number and URL. It implements tracking.Exporter and
// tracking.TrackingUpdater.
//
// By default it waits until the order is fully shipped and then pushes
// every package (the rule of the ShopCtrl integration: Shopify's automatic
// fulfillment is off and tracksync owns the fulfillment flow);
// WithEachShipment pushes each package as soon as it has a tracking number.
//
// Exactly once: the tracking.Syncer's ledger keeps repeats away; before it
// writes, the exporter reads the order and treats a fulfillment that
// already carries the package's tracking number as AlreadyPushed. A write
// whose outcome is unknown (a timeout or reset after sending) is never
// simply resent: the order is read again first.
type Exporter struct {
	shops   Shops
	mapping mapping.Resolver
	policy  carrier.Policy
	notify  bool
	each    bool
	logger  *slog.Logger
}

var (
	_ tracking.Exporter        = (*Exporter)(nil)
	_ tracking.TrackingUpdater = (*Exporter)(nil)
	_ tracking.Describer       = (*Exporter)(nil)
)

// ExporterOption configures an Exporter.
type ExporterOption func(*Exporter)

// WithNumberPolicy sets what happens to a tracking number its carrier's
// formats reject (default carrier.PolicyWarn: push and warn).
func WithNumberPolicy(p carrier.Policy) ExporterOption {
	return func(e *Exporter) { e.policy = p }
}

// WithNotifyCustomer makes Shopify email the customer for each fulfillment
// (default off: tracksync's own notifications tell customers).
func WithNotifyCustomer(on bool) ExporterOption {
	return func(e *Exporter) { e.notify = on }
}

// WithEachShipment pushes each package as soon as it has a tracking number
// instead of waiting for the order to be fully shipped.
func WithEachShipment() ExporterOption {
	return func(e *Exporter) { e.each = true }
}

// WithExporterLogger sets the exporter's logger (default: discard).
func WithExporterLogger(l *slog.Logger) ExporterOption {
	return func(e *Exporter) { e.logger = l }
}

// NewExporter returns an Exporter that reaches shops through shops and
// resolves locations and carriers through resolver.
func NewExporter(shops Shops, resolver mapping.Resolver, opts ...ExporterOption) (*Exporter, error) {
	if shops == nil || resolver == nil {
		return nil, errors.New("shopify: NewExporter needs shops and a mapping resolver")
	}
	e := &Exporter{shops: shops, mapping: resolver, logger: slog.New(slog.DiscardHandler)}
	for _, opt := range opts {
		opt(e)
	}
	if e.logger == nil {
		return nil, errors.New("shopify: nil logger")
	}
	return e, nil
}

// Channel implements tracking.Exporter.
func (e *Exporter) Channel() tracking.Channel { return tracking.ChannelShopify }

// Describe implements tracking.Describer.
func (e *Exporter) Describe() tracking.ExporterInfo { return tracking.ExporterInfo{Name: "shopify"} }

// maxRounds bounds the read–write rounds of one export: moves, then
// fulfillments, then one more read after an ambiguous write.
const maxRounds = 4

// Export implements tracking.Exporter.
func (e *Exporter) Export(ctx context.Context, o tracking.Order) (tracking.Result, error) {
	res := tracking.Result{Exporter: "shopify", Channel: tracking.ChannelShopify, Shipments: make([]tracking.ShipmentResult, len(o.Shipments))}
	for i, s := range o.Shipments {
		res.Shipments[i].ShipmentID = s.ID
	}
	// done leaves out shipments without an outcome (when the export ends
	// early with an error): the Syncer reports those with the error.
	done := func(err error) (tracking.Result, error) {
		res.Shipments = slices.DeleteFunc(res.Shipments, func(r tracking.ShipmentResult) bool { return r.State == "" })
		return res, err
	}
	set := func(p *push, r tracking.ShipmentResult) {
		r.ShipmentID = p.shipment.ID
		r.Warnings = append(p.warnings, r.Warnings...)
		res.Shipments[p.index] = r
	}

	pushes := e.prepare(ctx, o, res.Shipments)
	if len(pushes) == 0 {
		return done(nil)
	}
	client, err := e.shops.Client(ctx, o.Store)
	if err == nil {
		_, err = GID("Order", o.ChannelOrderID)
	}
	if err != nil {
		for _, p := range pushes {
			set(p, failed(err.Error(), err))
		}
		return done(nil)
	}

	ambiguous := false
	for round := 0; len(pushes) > 0; round++ {
		so, _, err := client.Order(ctx, o.ChannelOrderID)
		if err != nil {
			reason := "could not read the order from Shopify: " + err.Error()
			if errors.Is(err, ErrNotFound) {
				reason = fmt.Sprintf("order %s is not on %s: check the order's channel order id and shop", o.ChannelOrderID, client.Shop())
			}
			for _, p := range pushes {
				set(p, failed(reason, err))
			}
			return done(nil)
		}
		if so.Cancelled {
			for _, p := range pushes {
				set(p, failed("the order is cancelled on Shopify: nothing is fulfilled", nil))
			}
			return done(nil)
		}
		// Reconcile: a fulfillment with the package's tracking number is
		// this package, pushed earlier (or by a write whose answer was lost).
		pushes = slices.DeleteFunc(pushes, func(p *push) bool {
			f, ok := fulfillmentWithNumber(so, p.tracking.Number)
			if ok {
				state := tracking.AlreadyPushed
				if ambiguous {
					state = tracking.Pushed // our own write of this run did land
				}
				set(p, tracking.ShipmentResult{State: state, RemoteID: f.ID})
			}
			return ok
		})
		if len(pushes) == 0 {
			break
		}
		if round == maxRounds {
			for _, p := range pushes {
				set(p, failed("gave up after several rounds of reading and writing the order; the next run tries again", nil))
			}
			break
		}

		pl := planFulfillments(so, pushes, e.notify)
		for _, b := range pl.blocked {
			set(b.push, b.result)
		}
		if len(pl.moves) > 0 {
			failedMoves, err := e.move(ctx, client, pl)
			if err != nil && ctx.Err() != nil {
				return done(err)
			}
			// Plan again on a fresh read: the moved items now sit at their
			// package's location (after a transport error, the read shows
			// whether the moves happened).
			pushes = pushes[:0]
			for _, c := range pl.creates {
				pushes = append(pushes, c.push)
			}
			for _, m := range pl.moved {
				if ferr := firstFailed(failedMoves, m.moves); ferr != nil {
					set(m.push, failed("Shopify refused to move the items to the package's location: "+ferr.Error(), ferr))
					continue
				}
				pushes = append(pushes, m.push)
			}
			continue
		}
		if len(pl.creates) == 0 {
			break
		}
		inputs := make([]FulfillmentInput, len(pl.creates))
		for i, c := range pl.creates {
			inputs[i] = c.input
		}
		results, _, err := client.CreateFulfillments(ctx, inputs)
		for i, r := range results {
			p := pl.creates[i].push
			if r.Err != nil {
				set(p, failed(userErrorReason(r.Err), r.Err))
				continue
			}
			set(p, tracking.ShipmentResult{State: tracking.Pushed, RemoteID: r.FulfillmentID})
		}
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return done(err)
		}
		// The request's outcome is unknown: read the order again before
		// anything is sent twice.
		e.logger.WarnContext(ctx, "fulfillmentCreate outcome unknown; reading the order back", "shop", client.Shop(), "order", o.ChannelOrderID, "error", err)
		ambiguous = true
		pushes = pushesFrom(pl.creates[len(results):])
	}
	return done(nil)
}

// prepare resolves each shipment's location, carrier and items, and
// returns those that can be pushed; the others get their result in out.
func (e *Exporter) prepare(ctx context.Context, o tracking.Order, out []tracking.ShipmentResult) []*push {
	var pushes []*push
	for i, s := range o.Shipments {
		r := &out[i]
		switch {
		case !e.each && o.Status != tracking.StatusFullyShipped:
			r.State, r.Reason = tracking.Waiting, fmt.Sprintf("the order is %s: Shopify gets every package once the order is fully shipped", o.Status)
			continue
		case s.TrackingNumber == "":
			r.State, r.Reason = tracking.Waiting, "the package has no tracking number yet"
			continue
		}
		p := &push{index: i, shipment: s}
		loc, err := e.mapping.ShopifyLocation(ctx, o.Store, s.Warehouse)
		if err != nil {
			*r = failed(err.Error(), err)
			r.ShipmentID = s.ID
			continue
		}
		p.location = loc
		t, err := e.mapping.ShopifyCarrier(ctx, o.Store, s)
		if err != nil {
			*r = failed(err.Error(), err)
			r.ShipmentID = s.ID
			continue
		}
		p.tracking = TrackingInfo{Company: t.Company, Number: s.TrackingNumber, URL: t.URL}
		if t.Carrier.Code != "" {
			warning, err := e.policy.Check(t.Carrier, s.TrackingNumber)
			if err != nil {
				*r = failed(err.Error(), err)
				r.ShipmentID = s.ID
				continue
			}
			if warning != "" {
				p.warnings = append(p.warnings, warning)
				e.logger.WarnContext(ctx, "tracking number does not match its carrier", "order", o.ID, "shipment", s.ID, "warning", warning)
			}
		}
		ok := true
		for _, it := range s.Items {
			line, _ := o.Line(it.LineID)
			gid, err := GID("LineItem", line.ChannelLineID)
			if err != nil {
				*r = failed(fmt.Sprintf("line %q: %v", it.LineID, err), err)
				r.ShipmentID = s.ID
				ok = false
				break
			}
			p.items = append(p.items, lineQuantity{lineItem: gid, hostLine: it.LineID, quantity: it.Quantity})
		}
		if ok {
			pushes = append(pushes, p)
		}
	}
	return pushes
}

// move runs the plan's moves and returns the error of each move Shopify
// refused, by index. A transport error leaves the outcome to the next read.
func (e *Exporter) move(ctx context.Context, client *Client, pl plan) (map[int]error, error) {
	results, _, err := client.MoveFulfillmentOrders(ctx, pl.moves)
	failedMoves := map[int]error{}
	for i, r := range results {
		if r.Err != nil {
			failedMoves[i] = r.Err
		}
	}
	if err != nil {
		e.logger.WarnContext(ctx, "fulfillmentOrderMove outcome unknown; reading the order back", "shop", client.Shop(), "error", err)
	}
	return failedMoves, err
}

func firstFailed(failedMoves map[int]error, idx []int) error {
	for _, i := range idx {
		if err := failedMoves[i]; err != nil {
			return err
		}
	}
	return nil
}

func pushesFrom(cs []create) []*push {
	out := make([]*push, len(cs))
	for i, c := range cs {
		out[i] = c.push
	}
	return out
}

// fulfillmentWithNumber finds a live fulfillment carrying number.
func fulfillmentWithNumber(o *Order, number string) (Fulfillment, bool) {
	want := carrier.Normalize(number)
	for _, f := range o.Fulfillments {
		if f.Status == "CANCELLED" || f.Status == "ERROR" || f.Status == "FAILURE" {
			continue
		}
		for _, t := range f.Tracking {
			if carrier.Normalize(t.Number) == want {
				return f, true
			}
		}
	}
	return Fulfillment{}, false
}

func failed(reason string, err error) tracking.ShipmentResult {
	return tracking.ShipmentResult{State: tracking.Failed, Reason: reason, Err: err}
}

func userErrorReason(err error) string {
	return "Shopify refused the fulfillment: " + err.Error()
}

// UpdateTracking implements tracking.TrackingUpdater: the fulfillment the
// shipment became (prev.RemoteID) gets the new tracking company, number and
// URL. Setting tracking is repeatable, so no read is needed first.
func (e *Exporter) UpdateTracking(ctx context.Context, o tracking.Order, s tracking.Shipment, prev tracking.Record) (tracking.ShipmentResult, error) {
	out := make([]tracking.ShipmentResult, 1)
	one := o
	one.Shipments = []tracking.Shipment{s}
	pushes := e.prepare(ctx, one, out)
	if len(pushes) == 0 {
		return out[0], nil
	}
	p := pushes[0]
	client, err := e.shops.Client(ctx, o.Store)
	if err != nil {
		return failed(err.Error(), err), nil
	}
	if _, err := client.UpdateTracking(ctx, prev.RemoteID, p.tracking, e.notify); err != nil {
		reason := fmt.Sprintf("could not change the tracking number of fulfillment %s from %q to %q: %v", prev.RemoteID, prev.TrackingNumber, s.TrackingNumber, err)
		return tracking.ShipmentResult{ShipmentID: s.ID, State: tracking.Failed, Reason: reason, Err: err, Warnings: p.warnings}, nil
	}
	return tracking.ShipmentResult{ShipmentID: s.ID, State: tracking.Pushed, RemoteID: prev.RemoteID, Warnings: p.warnings}, nil
}
