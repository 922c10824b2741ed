// Package otelmetrics records what a tracking.Syncer does as OpenTelemetry
// metrics: an Observer for tracking.WithObserver that turns every shipment
// result and every channel request into counters and histograms of the
// host's metric.Meter.
//
//	obs, err := otelmetrics.New(otel.GetMeterProvider().Meter("tracksync"))
//	syncer, err := tracking.NewSyncer(..., tracking.WithObserver(obs))
//
// The instruments (units in braces are OpenTelemetry's annotations):
//
//	tracksync.shipments          counter {shipment}   tracksync.channel, tracksync.exporter, tracksync.state
//	tracksync.shipment.duration  histogram s          tracksync.channel, tracksync.exporter, tracksync.state
//	tracksync.requests           counter {request}    tracksync.channel, tracksync.operation,
//	                                                  http.response.status_code, error.type
//	tracksync.request.duration   histogram s          as tracksync.requests
//	tracksync.request.wait       histogram s          tracksync.channel, tracksync.operation: time in the
//	                                                  client's pacer before sending (rate limits)
//	tracksync.requests.throttled counter {request}    tracksync.channel, tracksync.operation
//	tracksync.requests.retries   counter {request}    tracksync.channel, tracksync.operation: attempts after the first
//	tracksync.shopify.cost       histogram {point}    tracksync.operation: Shopify's requested query cost
//
// http.response.status_code is left out when there was no HTTP answer;
// error.type is "throttled", "timeout", "canceled" or "_OTHER" for a
// failed request and left out for a successful one. Stores are not an
// attribute unless WithStoreAttribute asks for them: a host with thousands
// of stores would otherwise create thousands of series per instrument.
//
// It lives in its own package so that hosts that do not use OpenTelemetry
// do not link it; tracking itself knows nothing of it.
package otelmetrics
