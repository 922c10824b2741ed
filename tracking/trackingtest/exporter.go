// Package trackingtest provides an in-memory tracking.Exporter that records
// what it was asked to push, for host applications' own tests: run a
// tracking.Syncer against it and assert what reached "the channel" without
// any network.
//
// It behaves like a channel that reconciles: a shipment it already holds
// with the same tracking number comes back AlreadyPushed, and a changed
// tracking number is an update of the same remote id, never a second push.
package trackingtest

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/shopctrl/tracksync/tracking"
)

// Exporter is a recording tracking.Exporter and tracking.TrackingUpdater.
// It is safe for concurrent use.
type Exporter struct {
	channel tracking.Channel
	info    tracking.ExporterInfo

	mu       sync.Mutex
	hook     func(ctx context.Context, o tracking.Order) error
	outcomes map[string]outcome // shipment id → scripted outcome
	calls    []tracking.Order
	held     map[heldKey]int // index into pushes
	pushes   []Push
}

type outcome struct {
	state  tracking.State
	reason string
	err    error
}

type heldKey struct{ store, order, shipment string }

// Push is a shipment as the fake channel holds it.
type Push struct {
	Store          string
	OrderID        string
	ShipmentID     string
	TrackingNumber string
	RemoteID       string
	Updates        int // how many times its tracking number was changed
}

// Option configures an Exporter.
type Option func(*Exporter)

// WithPurpose sets the ledger purpose (see tracking.ExporterInfo), for
// running several recording exporters on one channel.
func WithPurpose(p string) Option { return func(e *Exporter) { e.info.Purpose = p } }

// WithName sets the exporter's name in results.
func WithName(n string) Option { return func(e *Exporter) { e.info.Name = n } }

// WithSerializeStore makes the Syncer run one order per store at a time
// through this exporter, as a rate-limited channel asks.
func WithSerializeStore() Option { return func(e *Exporter) { e.info.SerializeStore = true } }

// NewExporter returns a recording exporter for channel (tracking.AllChannels
// for a notifier-like exporter).
func NewExporter(channel tracking.Channel, opts ...Option) *Exporter {
	e := &Exporter{channel: channel, outcomes: map[string]outcome{}, held: map[heldKey]int{}}
	for _, opt := range opts {
		opt(e)
	}
	return e
}

// Channel implements tracking.Exporter.
func (e *Exporter) Channel() tracking.Channel { return e.channel }

// Describe implements tracking.Describer.
func (e *Exporter) Describe() tracking.ExporterInfo { return e.info }

// FailShipment makes every later export of the shipment with this id fail
// with err, until Reset.
func (e *Exporter) FailShipment(id string, err error) {
	e.script(id, outcome{state: tracking.Failed, reason: fmt.Sprint(err), err: err})
}

// WaitShipment makes every later export of the shipment with this id come
// back Waiting with reason, until Reset.
func (e *Exporter) WaitShipment(id, reason string) {
	e.script(id, outcome{state: tracking.Waiting, reason: reason})
}

// Reset removes the scripted outcome of a shipment.
func (e *Exporter) Reset(id string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.outcomes, id)
}

func (e *Exporter) script(id string, o outcome) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.outcomes[id] = o
}

// SetHook installs fn to run at the start of every Export and
// UpdateTracking call, outside the exporter's lock: tests use it to block,
// count overlapping calls or fail a whole call (a non-nil error fails every
// shipment of the call).
func (e *Exporter) SetHook(fn func(ctx context.Context, o tracking.Order) error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.hook = fn
}

// Export implements tracking.Exporter.
func (e *Exporter) Export(ctx context.Context, o tracking.Order) (tracking.Result, error) {
	res := tracking.Result{Exporter: e.info.Name, Channel: e.channel}
	if err := e.runHook(ctx, o); err != nil {
		return res, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.calls = append(e.calls, cloneOrder(o))
	for _, s := range o.Shipments {
		res.Shipments = append(res.Shipments, e.push(ctx, o, s))
	}
	return res, nil
}

func (e *Exporter) push(ctx context.Context, o tracking.Order, s tracking.Shipment) tracking.ShipmentResult {
	if err := tracking.RunFrom(ctx).Check(s.ID); err != nil {
		// The fence: a worker whose lease is lost writes nothing more.
		return tracking.ShipmentResult{ShipmentID: s.ID, State: tracking.Failed, Reason: "lease lost before the write", Err: err}
	}
	if oc, ok := e.outcomes[s.ID]; ok {
		return tracking.ShipmentResult{ShipmentID: s.ID, State: oc.state, Reason: oc.reason, Err: oc.err}
	}
	k := heldKey{o.Store, o.ID, s.ID}
	if i, ok := e.held[k]; ok { // reconcile: the channel already holds it
		p := &e.pushes[i]
		if p.TrackingNumber == s.TrackingNumber {
			return tracking.ShipmentResult{ShipmentID: s.ID, State: tracking.AlreadyPushed, RemoteID: p.RemoteID}
		}
		p.TrackingNumber = s.TrackingNumber
		p.Updates++
		return tracking.ShipmentResult{ShipmentID: s.ID, State: tracking.Pushed, RemoteID: p.RemoteID}
	}
	p := Push{Store: o.Store, OrderID: o.ID, ShipmentID: s.ID, TrackingNumber: s.TrackingNumber,
		RemoteID: fmt.Sprintf("%s-%d", e.channel, len(e.pushes)+1)}
	e.held[k] = len(e.pushes)
	e.pushes = append(e.pushes, p)
	return tracking.ShipmentResult{ShipmentID: s.ID, State: tracking.Pushed, RemoteID: p.RemoteID}
}

// UpdateTracking implements tracking.TrackingUpdater: it changes the
// tracking number of a held shipment under its remote id.
func (e *Exporter) UpdateTracking(ctx context.Context, o tracking.Order, s tracking.Shipment, prev tracking.Record) (tracking.ShipmentResult, error) {
	if err := e.runHook(ctx, o); err != nil {
		return tracking.ShipmentResult{}, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	one := o
	one.Shipments = []tracking.Shipment{s}
	e.calls = append(e.calls, cloneOrder(one))
	return e.push(ctx, o, s), nil
}

func (e *Exporter) runHook(ctx context.Context, o tracking.Order) error {
	e.mu.Lock()
	hook := e.hook
	e.mu.Unlock()
	if hook == nil {
		return nil
	}
	return hook(ctx, o)
}

// Calls returns the orders the exporter was called with, in call order,
// each holding only the shipments of that call.
func (e *Exporter) Calls() []tracking.Order {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]tracking.Order, len(e.calls))
	for i, o := range e.calls {
		out[i] = cloneOrder(o)
	}
	return out
}

// Pushes returns the shipments the fake channel holds, in the order they
// were first pushed.
func (e *Exporter) Pushes() []Push {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.pushes)
}

func cloneOrder(o tracking.Order) tracking.Order {
	o.Lines = slices.Clone(o.Lines)
	o.Shipments = slices.Clone(o.Shipments)
	for i := range o.Shipments {
		o.Shipments[i].Items = slices.Clone(o.Shipments[i].Items)
	}
	return o
}
