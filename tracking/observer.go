package tracking

import (
	"context"
	"time"
)

// An Observer sees what a Syncer does while it runs: every shipment's result
// and every request the channel clients make. Hosts use it for metrics and
// progress (tracking/otelmetrics adapts it to OpenTelemetry). Its methods
// are called from many goroutines at once and must return quickly.
type Observer interface {
	// ShipmentDone is called once per shipment and exporter, after the
	// ledger was updated.
	ShipmentDone(ctx context.Context, e ShipmentEvent)
	// RequestDone is called once per HTTP attempt a channel client makes,
	// retries included.
	RequestDone(ctx context.Context, e RequestEvent)
}

// ShipmentEvent is one shipment's result from one exporter.
type ShipmentEvent struct {
	Exporter string
	Channel  Channel
	Store    string
	OrderID  string
	Result   ShipmentResult
	Duration time.Duration // from the start of the order's sync to its result
}

// RequestEvent is one HTTP attempt of a channel client.
type RequestEvent struct {
	Channel   Channel
	Store     string        // shop domain, seller id
	Operation string        // "graphql:query", "graphql:mutation", "confirmShipment", "createFeed", ...
	Status    int           // HTTP status; 0 when no answer came
	Attempt   int           // 1 for the first try, 2 and up for retries
	Duration  time.Duration // the round trip
	Wait      time.Duration // time spent in the client's pacer before sending
	Cost      float64       // Shopify: the requested query cost; 0 elsewhere
	Throttled bool          // the server refused for rate (THROTTLED, 429)
	Err       error
}

type observerKey struct{}

type nopObserver struct{}

func (nopObserver) ShipmentDone(context.Context, ShipmentEvent) {}
func (nopObserver) RequestDone(context.Context, RequestEvent)   {}

// ContextWithObserver returns ctx carrying o, for hosts that call channel
// clients directly; a Syncer does this for the exporters it runs.
func ContextWithObserver(ctx context.Context, o Observer) context.Context {
	if o == nil {
		return ctx
	}
	return context.WithValue(ctx, observerKey{}, o)
}

// ObserverFrom returns the Observer ctx carries, or one that does nothing:
// clients call it unconditionally.
func ObserverFrom(ctx context.Context) Observer {
	if o, ok := ctx.Value(observerKey{}).(Observer); ok {
		return o
	}
	return nopObserver{}
}
