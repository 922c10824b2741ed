package otelmetrics

import (
	"context"
	"errors"
	"net"
	"sync"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/shopctrl/tracksync/tracking"
)

// Attribute keys of the instruments.
const (
	KeyChannel    = attribute.Key("tracksync.channel")
	KeyExporter   = attribute.Key("tracksync.exporter")
	KeyState      = attribute.Key("tracksync.state")
	KeyOperation  = attribute.Key("tracksync.operation")
	KeyStore      = attribute.Key("tracksync.store")
	KeyStatusCode = attribute.Key("http.response.status_code")
	KeyErrorType  = attribute.Key("error.type")
)

// Observer is a tracking.Observer that records OpenTelemetry metrics. It is
// safe for concurrent use; make one with New and share it.
type Observer struct {
	shipments        metric.Int64Counter
	shipmentDuration metric.Float64Histogram
	requests         metric.Int64Counter
	requestDuration  metric.Float64Histogram
	wait             metric.Float64Histogram
	throttled        metric.Int64Counter
	retries          metric.Int64Counter
	cost             metric.Float64Histogram

	withStore bool
	extra     []attribute.KeyValue
	mu        sync.RWMutex
	sets      map[attrKey]attrOpts // one attribute set per combination seen
}

var _ tracking.Observer = (*Observer)(nil)

// Option configures an Observer.
type Option func(*Observer)

// WithStoreAttribute adds the store (shop domain, seller id) as
// tracksync.store to every measurement. Use it when the host serves few
// stores; each store multiplies the series of every instrument.
func WithStoreAttribute() Option { return func(o *Observer) { o.withStore = true } }

// WithAttributes adds constant attributes to every measurement, such as
// the worker's name in a fleet.
func WithAttributes(attrs ...attribute.KeyValue) Option {
	return func(o *Observer) { o.extra = append(o.extra, attrs...) }
}

// Histogram bucket boundaries: request round trips and pacer waits run
// from milliseconds to the tens of seconds a rate limit can impose;
// Shopify's single-query cost limit is 1000 points.
var (
	secondsBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120}
	costBuckets    = []float64{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000}
)

// New creates the instruments on meter. It fails when the meter refuses
// one (the SDK rejects invalid names or options).
func New(meter metric.Meter, opts ...Option) (*Observer, error) {
	if meter == nil {
		return nil, errors.New("otelmetrics: nil meter")
	}
	o := &Observer{}
	for _, opt := range opts {
		opt(o)
	}
	var errs []error
	counter := func(name, unit, desc string) metric.Int64Counter {
		c, err := meter.Int64Counter(name, metric.WithUnit(unit), metric.WithDescription(desc))
		errs = append(errs, err)
		return c
	}
	histogram := func(name, unit, desc string, buckets []float64) metric.Float64Histogram {
		h, err := meter.Float64Histogram(name, metric.WithUnit(unit), metric.WithDescription(desc), metric.WithExplicitBucketBoundaries(buckets...))
		errs = append(errs, err)
		return h
	}
	o.shipments = counter("tracksync.shipments", "{shipment}", "Shipment results, by state.")
	o.shipmentDuration = histogram("tracksync.shipment.duration", "s", "Time to push one shipment's order through one exporter.", secondsBuckets)
	o.requests = counter("tracksync.requests", "{request}", "HTTP requests to the sales channels, every attempt.")
	o.requestDuration = histogram("tracksync.request.duration", "s", "Round trip of one request attempt.", secondsBuckets)
	o.wait = histogram("tracksync.request.wait", "s", "Time a request waited in the client's pacer for the channel's rate limit.", secondsBuckets)
	o.throttled = counter("tracksync.requests.throttled", "{request}", "Requests the channel refused for rate (Shopify THROTTLED, HTTP 429).")
	o.retries = counter("tracksync.requests.retries", "{request}", "Request attempts after the first.")
	o.cost = histogram("tracksync.shopify.cost", "{point}", "Requested query cost of Shopify GraphQL requests.", costBuckets)
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return o, nil
}

// ShipmentDone implements tracking.Observer.
func (o *Observer) ShipmentDone(ctx context.Context, e tracking.ShipmentEvent) {
	attrs := o.attrs(attrKey{kind: kindShipment, channel: string(e.Channel), exporter: e.Exporter, state: string(e.Result.State), store: o.store(e.Store)})
	o.shipments.Add(ctx, 1, attrs.add...)
	o.shipmentDuration.Record(ctx, e.Duration.Seconds(), attrs.rec...)
}

// RequestDone implements tracking.Observer.
func (o *Observer) RequestDone(ctx context.Context, e tracking.RequestEvent) {
	key := attrKey{kind: kindRequest, channel: string(e.Channel), operation: e.Operation, status: e.Status, errType: errorType(e), store: o.store(e.Store)}
	attrs := o.attrs(key)
	o.requests.Add(ctx, 1, attrs.add...)
	o.requestDuration.Record(ctx, e.Duration.Seconds(), attrs.rec...)

	op := o.attrs(attrKey{kind: kindOperation, channel: key.channel, operation: key.operation, store: key.store})
	o.wait.Record(ctx, e.Wait.Seconds(), op.rec...)
	if e.Throttled {
		o.throttled.Add(ctx, 1, op.add...)
	}
	if e.Attempt > 1 {
		o.retries.Add(ctx, 1, op.add...)
	}
	if e.Cost > 0 {
		o.cost.Record(ctx, e.Cost, op.rec...)
	}
}

func (o *Observer) store(s string) string {
	if o.withStore {
		return s
	}
	return ""
}

// errorType classifies a failed request for error.type, with few values.
func errorType(e tracking.RequestEvent) string {
	switch {
	case e.Throttled:
		return "throttled"
	case e.Err == nil:
		return ""
	case errors.Is(e.Err, context.Canceled):
		return "canceled"
	case errors.Is(e.Err, context.DeadlineExceeded), isTimeout(e.Err):
		return "timeout"
	}
	return "_OTHER"
}

// isTimeout is apart from errorType so that a successful request does not
// pay for the error variable errors.As needs on the heap.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
