package tracking

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// An Exporter pushes the shipments of an order to one sales channel (or, for
// a notifier, to the customer).
//
// The Syncer owns the exactly-once bookkeeping (see Ledger): it calls Export
// with a copy of the order whose Shipments are only those it claimed for this
// call — shipments already recorded in the ledger, or being pushed by
// another worker, are left out. Everything else about the order (lines,
// status, customer) is as the host reported it. Export must reconcile with
// the channel before it writes (a claimed shipment may have been pushed by a
// worker that crashed before committing), and return one ShipmentResult per
// shipment it was given. When it fails part-way, it returns the results it
// has together with the error, so that what was pushed is still recorded;
// shipments without a result are marked Failed with the error.
type Exporter interface {
	Channel() Channel
	Export(ctx context.Context, o Order) (Result, error)
}

// A TrackingUpdater is an Exporter that can change the tracking number of a
// shipment it pushed before (Shopify: fulfillmentTrackingInfoUpdate; Amazon:
// a confirmation with the same package reference). When a shipment's
// tracking number differs from the one in the ledger, the Syncer calls
// UpdateTracking instead of Export; an exporter that is not a
// TrackingUpdater gets that shipment Failed with ErrTrackingChanged, never a
// second push.
type TrackingUpdater interface {
	UpdateTracking(ctx context.Context, o Order, s Shipment, prev Record) (ShipmentResult, error)
}

// ErrTrackingChanged reports a shipment whose tracking number changed after
// it was pushed, to an exporter that cannot update it.
var ErrTrackingChanged = errors.New("tracking: tracking number changed after the shipment was pushed")

// A LoggerDefaulter is an Exporter that takes the Syncer's logger: NewSyncer
// given WithLogger calls DefaultLogger on each, and the exporter adopts l
// for itself and its clients unless it was given a logger of its own. One
// logger given to the Syncer so reaches everything it runs.
type LoggerDefaulter interface {
	DefaultLogger(l *slog.Logger)
}

// A Describer is an Exporter that tells the Syncer how to treat it. An
// exporter that is not a Describer gets the zero ExporterInfo.
type Describer interface {
	Describe() ExporterInfo
}

// ExporterInfo is how the Syncer treats an exporter.
type ExporterInfo struct {
	// Name appears in results and logs; default: the channel, and the
	// purpose when there is one.
	Name string
	// Purpose tells this exporter's ledger records apart from those of other
	// exporters of the same shipment: "" for the channel's own export,
	// e.g. "email:shipment-shipped" for a notifier. Two exporters of one
	// Syncer that can see the same order must not share a purpose.
	Purpose string
	// SerializeStore asks the Syncer never to run two orders of the same
	// store and channel at the same time through this exporter (for
	// channels whose rate limits or ordering rules are per account).
	SerializeStore bool
	// OwnLedger says the exporter keeps its own ledger records, through
	// RunFrom(ctx).Ledger() (a notifier keys them per trigger): the Syncer
	// passes it every shipment of the order and neither looks up, claims,
	// commits nor releases for it.
	OwnLedger bool
}

func describe(e Exporter) ExporterInfo {
	var info ExporterInfo
	if d, ok := e.(Describer); ok {
		info = d.Describe()
	}
	if info.Name == "" {
		info.Name = string(e.Channel())
		if info.Purpose != "" {
			info.Name += ":" + info.Purpose
		}
	}
	return info
}

// State is the outcome of pushing one shipment.
type State string

// The states of a ShipmentResult.
const (
	// Pushed: this call created or updated the shipment on the channel.
	Pushed State = "pushed"
	// AlreadyPushed: the ledger or the channel already held the shipment
	// with this tracking number; nothing was written.
	AlreadyPushed State = "already_pushed"
	// Waiting: not pushed yet, for a reason that resolves itself (the order
	// is not fully shipped, there is no tracking number yet, another worker
	// holds the shipment). The next run tries again.
	Waiting State = "waiting"
	// Failed: not pushed; Reason says what to do, Err holds the cause.
	Failed State = "failed"
)

// ShipmentResult is the outcome of one shipment with one exporter.
type ShipmentResult struct {
	ShipmentID string
	State      State
	// RemoteID is the channel's id of what holds the shipment (Shopify
	// fulfillment, Amazon package reference) when Pushed or AlreadyPushed.
	RemoteID string
	// Reason says, for a person, why the shipment is Waiting or Failed and
	// what to do about it.
	Reason string
	// Err is the cause of a Failed result, for errors.Is/As. It is also set
	// on a Pushed result whose ledger commit failed: the next run will
	// reconcile with the channel instead of trusting the ledger.
	Err error
	// Warnings are problems that did not stop the push, such as a tracking
	// number outside its carrier's known formats.
	Warnings []string
	// Retryable reports, for a Failed shipment, whether trying again later
	// can help (throttled, a 5xx, a timeout, a lost lease) or not (an
	// invalid order, a missing mapping, a refusal by the channel). The
	// Syncer fills it from Err with Classify unless the exporter did.
	Retryable bool
	// RetryAfter is, for a Failed shipment, when to try again if the
	// channel said (a Retry-After header, a throttle's refill time); 0 when
	// unknown.
	RetryAfter time.Duration
}

// Result is what one exporter did with one order.
type Result struct {
	Exporter  string // ExporterInfo.Name
	Channel   Channel
	Shipments []ShipmentResult
}

// OrderResult is what the Syncer did with one order: one Result per
// exporter the order was routed to.
type OrderResult struct {
	OrderID string
	Channel Channel
	Store   string
	Results []Result
	// Err is an order-level problem: the order is invalid (errors.Is
	// ErrInvalidOrder), no exporter takes its channel (ErrNoExporter), or
	// the context ended before it was done. Shipment results say which
	// shipments it affected.
	Err error
}

// ErrNoExporter reports an order whose channel no exporter of the Syncer
// takes.
var ErrNoExporter = errors.New("tracking: no exporter for the order's channel")

// Counts tallies the shipment results of r by state.
func (r OrderResult) Counts() map[State]int {
	m := make(map[State]int, 4)
	for _, res := range r.Results {
		for _, s := range res.Shipments {
			m[s.State]++
		}
	}
	return m
}

// failAll returns a result in which every shipment of o failed with err.
func failAll(name string, ch Channel, o Order, reason string, err error) Result {
	res := Result{Exporter: name, Channel: ch, Shipments: make([]ShipmentResult, len(o.Shipments))}
	for i, s := range o.Shipments {
		res.Shipments[i] = ShipmentResult{ShipmentID: s.ID, State: Failed, Reason: reason, Err: err}
	}
	return res
}

// String renders the result on one line: "id: state remote-id (reason)".
func (s ShipmentResult) String() string {
	out := fmt.Sprintf("%s: %s", s.ShipmentID, s.State)
	if s.RemoteID != "" {
		out += " " + s.RemoteID
	}
	if s.Reason != "" {
		out += " (" + s.Reason + ")"
	}
	return out
}
