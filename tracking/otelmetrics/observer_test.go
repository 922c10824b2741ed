package otelmetrics_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"

	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/otelmetrics"
	"github.com/shopctrl/tracksync/tracking/trackingtest"
)

// recorder is a metric.Meter that keeps every measurement of its counters
// and histograms; the other instruments are the noop ones, which
// otelmetrics does not use.
type recorder struct {
	noop.Meter
	failOn string // instrument name whose creation fails

	mu  sync.Mutex
	got []measurement
}

type measurement struct {
	name  string
	value float64
	attrs map[attribute.Key]attribute.Value
}

func (r *recorder) record(name string, v float64, set attribute.Set) {
	attrs := map[attribute.Key]attribute.Value{}
	for it := set.Iter(); it.Next(); {
		attrs[it.Attribute().Key] = it.Attribute().Value
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, measurement{name, v, attrs})
}

func (r *recorder) named(name string) []measurement {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []measurement
	for _, m := range r.got {
		if m.name == name {
			out = append(out, m)
		}
	}
	return out
}

func (r *recorder) Int64Counter(name string, _ ...metric.Int64CounterOption) (metric.Int64Counter, error) {
	if name == r.failOn {
		return nil, errors.New("refused " + name)
	}
	return &counter{r: r, name: name}, nil
}

func (r *recorder) Float64Histogram(name string, _ ...metric.Float64HistogramOption) (metric.Float64Histogram, error) {
	if name == r.failOn {
		return nil, errors.New("refused " + name)
	}
	return &histogram{r: r, name: name}, nil
}

type counter struct {
	noop.Int64Counter
	r    *recorder
	name string
}

func (c *counter) Add(_ context.Context, v int64, opts ...metric.AddOption) {
	c.r.record(c.name, float64(v), metric.NewAddConfig(opts).Attributes())
}

type histogram struct {
	noop.Float64Histogram
	r    *recorder
	name string
}

func (h *histogram) Record(_ context.Context, v float64, opts ...metric.RecordOption) {
	h.r.record(h.name, v, metric.NewRecordConfig(opts).Attributes())
}

func str(s string) attribute.Value { return attribute.StringValue(s) }

func TestShipmentDone(t *testing.T) {
	rec := &recorder{}
	obs, err := otelmetrics.New(rec)
	require.NoError(t, err)
	obs.ShipmentDone(t.Context(), tracking.ShipmentEvent{
		Exporter: "shopify", Channel: "shopify", Store: "demo.myshopify.com", OrderID: "SC-1",
		Result: tracking.ShipmentResult{ShipmentID: "S1", State: tracking.Pushed}, Duration: 1500 * time.Millisecond,
	})
	want := map[attribute.Key]attribute.Value{otelmetrics.KeyChannel: str("shopify"), otelmetrics.KeyExporter: str("shopify"), otelmetrics.KeyState: str("pushed")}
	require.Equal(t, []measurement{{"tracksync.shipments", 1, want}}, rec.named("tracksync.shipments"))
	require.Equal(t, []measurement{{"tracksync.shipment.duration", 1.5, want}}, rec.named("tracksync.shipment.duration"))
}

func TestRequestDone(t *testing.T) {
	op := func(ch, name string) map[attribute.Key]attribute.Value {
		return map[attribute.Key]attribute.Value{otelmetrics.KeyChannel: str(ch), otelmetrics.KeyOperation: str(name)}
	}
	with := func(m map[attribute.Key]attribute.Value, kv ...attribute.KeyValue) map[attribute.Key]attribute.Value {
		out := map[attribute.Key]attribute.Value{}
		for k, v := range m {
			out[k] = v
		}
		for _, a := range kv {
			out[a.Key] = a.Value
		}
		return out
	}
	timeout := &timeoutErr{}
	tests := []struct {
		name  string
		event tracking.RequestEvent
		want  map[string][]measurement
	}{
		{
			name:  "shopify query with cost and pacer wait",
			event: tracking.RequestEvent{Channel: "shopify", Store: "a.myshopify.com", Operation: "graphql:query", Status: http.StatusOK, Attempt: 1, Duration: 200 * time.Millisecond, Wait: 2 * time.Second, Cost: 12},
			want: map[string][]measurement{
				"tracksync.requests":         {{"tracksync.requests", 1, with(op("shopify", "graphql:query"), otelmetrics.KeyStatusCode.Int(200))}},
				"tracksync.request.duration": {{"tracksync.request.duration", 0.2, with(op("shopify", "graphql:query"), otelmetrics.KeyStatusCode.Int(200))}},
				"tracksync.request.wait":     {{"tracksync.request.wait", 2, op("shopify", "graphql:query")}},
				"tracksync.shopify.cost":     {{"tracksync.shopify.cost", 12, op("shopify", "graphql:query")}},
			},
		},
		{
			name:  "throttled retry",
			event: tracking.RequestEvent{Channel: "amazon", Operation: "confirmShipment", Status: http.StatusTooManyRequests, Attempt: 2, Duration: time.Second, Throttled: true, Err: errors.New("429")},
			want: map[string][]measurement{
				"tracksync.requests":           {{"tracksync.requests", 1, with(op("amazon", "confirmShipment"), otelmetrics.KeyStatusCode.Int(429), otelmetrics.KeyErrorType.String("throttled"))}},
				"tracksync.requests.throttled": {{"tracksync.requests.throttled", 1, op("amazon", "confirmShipment")}},
				"tracksync.requests.retries":   {{"tracksync.requests.retries", 1, op("amazon", "confirmShipment")}},
				"tracksync.shopify.cost":       nil,
			},
		},
		{
			name:  "transport timeout has no status",
			event: tracking.RequestEvent{Channel: "amazon", Operation: "getOrder", Attempt: 1, Err: timeout},
			want: map[string][]measurement{
				"tracksync.requests":           {{"tracksync.requests", 1, with(op("amazon", "getOrder"), otelmetrics.KeyErrorType.String("timeout"))}},
				"tracksync.requests.throttled": nil,
				"tracksync.requests.retries":   nil,
			},
		},
		{
			name:  "cancelled",
			event: tracking.RequestEvent{Channel: "shopify", Operation: "graphql:mutation", Attempt: 1, Err: context.Canceled},
			want: map[string][]measurement{
				"tracksync.requests": {{"tracksync.requests", 1, with(op("shopify", "graphql:mutation"), otelmetrics.KeyErrorType.String("canceled"))}},
			},
		},
		{
			name:  "other failure",
			event: tracking.RequestEvent{Channel: "shopify", Operation: "graphql:mutation", Status: 500, Attempt: 1, Err: errors.New("HTTP 500")},
			want: map[string][]measurement{
				"tracksync.requests": {{"tracksync.requests", 1, with(op("shopify", "graphql:mutation"), otelmetrics.KeyStatusCode.Int(500), otelmetrics.KeyErrorType.String("_OTHER"))}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			obs, err := otelmetrics.New(rec)
			require.NoError(t, err)
			obs.RequestDone(t.Context(), tt.event)
			for name, want := range tt.want {
				require.Equal(t, want, rec.named(name), name)
			}
		})
	}
}

type timeoutErr struct{}

func (*timeoutErr) Error() string   { return "i/o timeout" }
func (*timeoutErr) Timeout() bool   { return true }
func (*timeoutErr) Temporary() bool { return true }

func TestStoreAndConstantAttributes(t *testing.T) {
	rec := &recorder{}
	obs, err := otelmetrics.New(rec, otelmetrics.WithStoreAttribute(), otelmetrics.WithAttributes(attribute.String("worker", "w1")))
	require.NoError(t, err)
	obs.RequestDone(t.Context(), tracking.RequestEvent{Channel: "shopify", Store: "a.myshopify.com", Operation: "graphql:query", Status: 200, Attempt: 1})
	obs.ShipmentDone(t.Context(), tracking.ShipmentEvent{Exporter: "shopify", Channel: "shopify", Store: "a.myshopify.com", Result: tracking.ShipmentResult{State: tracking.Failed}})
	for _, m := range rec.got {
		require.Equal(t, str("a.myshopify.com"), m.attrs[otelmetrics.KeyStore], m.name)
		require.Equal(t, str("w1"), m.attrs["worker"], m.name)
	}
	require.Len(t, rec.got, 5, "requests, duration, wait; shipments, duration")
}

func TestStoreIsLeftOutByDefault(t *testing.T) {
	rec := &recorder{}
	obs, err := otelmetrics.New(rec)
	require.NoError(t, err)
	obs.RequestDone(t.Context(), tracking.RequestEvent{Channel: "amazon", Store: "A2SELLER", Operation: "getOrder", Status: 200, Attempt: 1})
	for _, m := range rec.got {
		require.NotContains(t, m.attrs, otelmetrics.KeyStore, m.name)
	}
}

func TestNewReportsRefusedInstruments(t *testing.T) {
	_, err := otelmetrics.New(nil)
	require.Error(t, err)
	for _, name := range []string{"tracksync.shipments", "tracksync.request.wait", "tracksync.shopify.cost"} {
		_, err := otelmetrics.New(&recorder{failOn: name})
		require.ErrorContains(t, err, "refused "+name)
	}
}

func TestConcurrentUse(t *testing.T) {
	rec := &recorder{}
	obs, err := otelmetrics.New(rec)
	require.NoError(t, err)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 100 {
				obs.RequestDone(context.Background(), tracking.RequestEvent{Channel: "shopify", Operation: "graphql:query", Status: 200 + (i+j)%2, Attempt: 1})
			}
		})
	}
	wg.Wait()
	require.Len(t, rec.named("tracksync.requests"), 800)
}

// The instruments' attribute sets are built once per combination, so an
// event costs no allocation once the combination was seen.
func BenchmarkRequestDone(b *testing.B) {
	obs, err := otelmetrics.New(noop.NewMeterProvider().Meter("bench"))
	require.NoError(b, err)
	ctx := context.Background()
	e := tracking.RequestEvent{Channel: "shopify", Store: "a.myshopify.com", Operation: "graphql:query", Status: 200, Attempt: 1, Duration: time.Millisecond, Cost: 10}
	b.ReportAllocs()
	for b.Loop() {
		obs.RequestDone(ctx, e)
	}
}

func BenchmarkShipmentDone(b *testing.B) {
	obs, err := otelmetrics.New(noop.NewMeterProvider().Meter("bench"))
	require.NoError(b, err)
	ctx := context.Background()
	e := tracking.ShipmentEvent{Exporter: "shopify", Channel: "shopify", Result: tracking.ShipmentResult{State: tracking.Pushed}}
	b.ReportAllocs()
	for b.Loop() {
		obs.ShipmentDone(ctx, e)
	}
}

// The Syncer reports every shipment result to the observer it was given.
func TestWithSyncer(t *testing.T) {
	rec := &recorder{}
	obs, err := otelmetrics.New(rec)
	require.NoError(t, err)
	exp := trackingtest.NewExporter(tracking.ChannelShopify)
	exp.FailShipment("S2", errors.New("refused"))
	syncer, err := tracking.NewSyncer(tracking.WithExporters(exp), tracking.WithObserver(obs))
	require.NoError(t, err)
	o := tracking.Order{ID: "A", Channel: tracking.ChannelShopify, Store: "a.myshopify.com", ChannelOrderID: "1", Status: tracking.StatusFullyShipped,
		Lines: []tracking.Line{{ID: "l", ChannelLineID: "1", Quantity: 2}},
		Shipments: []tracking.Shipment{
			{ID: "S1", Warehouse: "W", Items: []tracking.Item{{LineID: "l", Quantity: 1}}},
			{ID: "S2", Warehouse: "W", Items: []tracking.Item{{LineID: "l", Quantity: 1}}},
		}}
	_, err = syncer.Sync(t.Context(), o)
	require.NoError(t, err)
	states := map[string]float64{}
	for _, m := range rec.named("tracksync.shipments") {
		states[m.attrs[otelmetrics.KeyState].AsString()] += m.value
	}
	require.Equal(t, map[string]float64{"pushed": 1, "failed": 1}, states)
}
