package shopify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

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
// already carries the package's tracking number and exactly its items and
// quantities as that package (AlreadyPushed). A write whose outcome is
// unknown (a timeout or reset after sending, an answer without the new
// fulfillment's id) is never simply resent: the order is read again first.
type Exporter struct {
	shops   Shops
	mapping Mapping
	policy  carrier.Policy
	notify  bool
	each    bool
	logger  *slog.Logger
	ownLog  bool // the logger came from WithExporterLogger
}

var (
	_ tracking.Exporter        = (*Exporter)(nil)
	_ tracking.TrackingUpdater = (*Exporter)(nil)
	_ tracking.Describer       = (*Exporter)(nil)
	_ tracking.LoggerDefaulter = (*Exporter)(nil)
)

// ExporterOption configures an Exporter.
type ExporterOption func(*Exporter)

// WithNumberPolicy sets what happens to a tracking number its carrier's
// formats reject (default carrier.PolicyWarn: push and warn).
func WithNumberPolicy(p carrier.Policy) ExporterOption {
	return func(e *Exporter) { e.policy = p }
}

// WithNotifyCustomer makes Shopify email the customer for each fulfillment
// (default off: tracking/notify's Notifier tells customers, in their
// language and once per package; turn this on only without it).
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
	return func(e *Exporter) { e.logger, e.ownLog = l, true }
}

// DefaultLogger implements tracking.LoggerDefaulter: the exporter logs to
// the Syncer's logger unless WithExporterLogger gave it one, and passes l
// on to its Shops when they take it (ShopClients does).
func (e *Exporter) DefaultLogger(l *slog.Logger) {
	if l == nil {
		return
	}
	if !e.ownLog {
		e.logger = l
	}
	if d, ok := e.shops.(tracking.LoggerDefaulter); ok {
		d.DefaultLogger(l)
	}
}

// NewExporter returns an Exporter that reaches shops through shops and
// resolves locations and carriers through m (a *mapping.Static, or the
// host's own Mapping).
func NewExporter(shops Shops, m Mapping, opts ...ExporterOption) (*Exporter, error) {
	if shops == nil || m == nil {
		return nil, errors.New("shopify: NewExporter needs shops and a mapping")
	}
	e := &Exporter{shops: shops, mapping: m, logger: slog.New(slog.DiscardHandler)}
	for _, opt := range opts {
		opt(e)
	}
	if e.logger == nil {
		return nil, errors.New("shopify: nil logger")
	}
	return e, nil
}

// Channel implements tracking.Exporter.
func (e *Exporter) Channel() tracking.Channel { return Channel }

// Describe implements tracking.Describer.
func (e *Exporter) Describe() tracking.ExporterInfo { return tracking.ExporterInfo{Name: "shopify"} }

// Export implements tracking.Exporter in four steps, repeated while
// something is left to do: read the order (sized by the packages), reconcile
// the packages with the fulfillments it already has, plan the moves and
// fulfillments the rest need, and write them. A move's answer holds the
// moved fulfillment orders, so the fulfillments are planned on it without
// reading again; a write whose outcome is unknown is read back before
// anything is sent twice.
func (e *Exporter) Export(ctx context.Context, o tracking.Order) (tracking.Result, error) {
	x := e.newExport(ctx, o)
	if len(x.pending) == 0 {
		return x.result(nil)
	}
	client, err := e.shops.Client(ctx, o.Store)
	if err == nil {
		_, err = GID("Order", o.ChannelOrderID)
	}
	if err != nil {
		x.failPending(err.Error(), err)
		return x.result(nil)
	}
	x.client = client
	ctx, release := client.holdWrites(ctx, client.writeCost(len(x.pending)))
	defer release()
	return x.result(x.run(ctx))
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
	fence := withFence(ctx, func() error { return tracking.RunFrom(ctx).Check(s.ID) })
	if _, err := client.UpdateTracking(fence, prev.RemoteID, p.tracking, e.notify); err != nil {
		reason := fmt.Sprintf("could not change the tracking number of fulfillment %s from %q to %q: %v", prev.RemoteID, prev.TrackingNumber, s.TrackingNumber, err)
		return tracking.ShipmentResult{ShipmentID: s.ID, State: tracking.Failed, Reason: reason, Err: err, Warnings: p.warnings}, nil
	}
	return tracking.ShipmentResult{ShipmentID: s.ID, State: tracking.Pushed, RemoteID: prev.RemoteID, Warnings: p.warnings}, nil
}
