package otelmetrics_test

import (
	"fmt"

	"go.opentelemetry.io/otel/metric/noop"

	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/otelmetrics"
	"github.com/shopctrl/tracksync/tracking/trackingtest"
)

// A host passes its own meter (from its MeterProvider, e.g. the
// OpenTelemetry SDK's with an OTLP or Prometheus exporter); a no-op one
// stands in for it here.
func Example() {
	obs, err := otelmetrics.New(noop.NewMeterProvider().Meter("github.com/shopctrl/tracksync"))
	if err != nil {
		fmt.Println(err)
		return
	}
	syncer, err := tracking.NewSyncer(
		tracking.WithExporters(trackingtest.NewExporter(tracking.ChannelShopify)),
		tracking.WithObserver(obs),
	)
	fmt.Println(syncer != nil, err)
	// Output: true <nil>
}
