package main

import (
	"context"
	"log/slog"

	"github.com/shopctrl/tracksync/tracking"
)

// gated lets an interrupted run stop cleanly: the exporters it wraps run
// as usual until stop is closed, after which every order not yet started
// gets its shipments back Waiting without a request, so the Syncer
// releases them and the next run pushes them. Orders already in an
// exporter finish with their requests: a push is never cut off half-way.
// before, when set, is told of each order an exporter is about to push
// (the dry run files the requests under it).
type gated struct {
	tracking.Exporter
	stop   <-chan struct{}
	before func(tracking.Order)
}

// gatedUpdater is a gated TrackingUpdater; only exporters that are
// TrackingUpdaters are wrapped as one, since the Syncer treats the two
// kinds differently.
type gatedUpdater struct {
	gated
	updater tracking.TrackingUpdater
}

// notAttempted is the reason of the shipments an interrupted run left.
const notAttempted = "not attempted: the run was interrupted; the next run pushes it"

func gate(stop <-chan struct{}, before func(tracking.Order), exporters []tracking.Exporter) []tracking.Exporter {
	out := make([]tracking.Exporter, len(exporters))
	for i, e := range exporters {
		g := gated{Exporter: e, stop: stop, before: before}
		if u, ok := e.(tracking.TrackingUpdater); ok {
			out[i] = gatedUpdater{gated: g, updater: u}
		} else {
			out[i] = g
		}
	}
	return out
}

func (g gated) stopped() bool {
	select {
	case <-g.stop:
		return true
	default:
		return false
	}
}

// Export implements tracking.Exporter.
func (g gated) Export(ctx context.Context, o tracking.Order) (tracking.Result, error) {
	if !g.stopped() {
		if g.before != nil {
			g.before(o)
		}
		return g.Exporter.Export(ctx, o)
	}
	res := tracking.Result{Exporter: g.Describe().Name, Channel: g.Channel(), Shipments: make([]tracking.ShipmentResult, len(o.Shipments))}
	for i, s := range o.Shipments {
		res.Shipments[i] = tracking.ShipmentResult{ShipmentID: s.ID, State: tracking.Waiting, Reason: notAttempted}
	}
	return res, nil
}

// Describe implements tracking.Describer with the wrapped exporter's
// description, so its ledger records stay its own.
func (g gated) Describe() tracking.ExporterInfo {
	if d, ok := g.Exporter.(tracking.Describer); ok {
		return d.Describe()
	}
	return tracking.ExporterInfo{}
}

// DefaultLogger implements tracking.LoggerDefaulter for the wrapped
// exporter.
func (g gated) DefaultLogger(l *slog.Logger) {
	if d, ok := g.Exporter.(tracking.LoggerDefaulter); ok {
		d.DefaultLogger(l)
	}
}

// UpdateTracking implements tracking.TrackingUpdater.
func (g gatedUpdater) UpdateTracking(ctx context.Context, o tracking.Order, s tracking.Shipment, prev tracking.Record) (tracking.ShipmentResult, error) {
	if g.stopped() {
		return tracking.ShipmentResult{ShipmentID: s.ID, State: tracking.Waiting, Reason: notAttempted}, nil
	}
	if g.before != nil {
		g.before(o)
	}
	return g.updater.UpdateTracking(ctx, o, s, prev)
}
