package thirdchannel_test

import (
	"context"
	"log/slog"

	"github.com/shopctrl/tracksync/mapping"
	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/carrier"
)

// Channel is the toy channel's name: orders whose Channel is "bol" go to
// its exporter. A channel package declares it next to its exporter.
const Channel tracking.Channel = "bol"

// Mapping is what the exporter asks the mapping. The channel owns this
// interface; *mapping.Static implements it from the "channels"."bol"
// section of the host's mapping file, and a host with its own mapping
// store implements these two methods.
type Mapping interface {
	Location(ctx context.Context, ch tracking.Channel, store, warehouse string) (string, error)
	Carrier(ctx context.Context, ch tracking.Channel, store string, s tracking.Shipment) (mapping.ChannelTracking, error)
}

// transporters is the channel's own name for catalogue carriers, used when
// the mapping names no code: a channel's carrier names live with the
// channel, not as a column of the carrier catalogue.
var transporters = map[string]string{"postnl": "TNT", "dhl-parcel": "DHLFORYOU", "ups": "UPS", "dpd": "DPD-NL"}

// Exporter pushes the shipments of "bol" orders to the toy channel.
type Exporter struct {
	channel *toyChannel
	mapping Mapping
	policy  carrier.Policy
	logger  *slog.Logger
}

var _ tracking.Exporter = (*Exporter)(nil)

// NewExporter returns the toy exporter.
func NewExporter(ch *toyChannel, m Mapping, policy carrier.Policy) *Exporter {
	return &Exporter{channel: ch, mapping: m, policy: policy, logger: slog.New(slog.DiscardHandler)}
}

// Channel implements tracking.Exporter.
func (e *Exporter) Channel() tracking.Channel { return Channel }

// Export implements tracking.Exporter: one result per shipment.
func (e *Exporter) Export(ctx context.Context, o tracking.Order) (tracking.Result, error) {
	res := tracking.Result{Channel: Channel, Shipments: make([]tracking.ShipmentResult, len(o.Shipments))}
	held := e.channel.Shipments(o.Store, o.ChannelOrderID) // one read for the order: reconcile before writing
	for i, s := range o.Shipments {
		res.Shipments[i] = e.export(ctx, o, s, held)
		res.Shipments[i].ShipmentID = s.ID
	}
	return res, nil
}

// export pushes one shipment, in the steps every channel takes.
func (e *Exporter) export(ctx context.Context, o tracking.Order, s tracking.Shipment, held []toyShipment) tracking.ShipmentResult {
	if s.TrackingNumber == "" {
		return tracking.ShipmentResult{State: tracking.Waiting, Reason: "the package has no tracking number yet"}
	}
	for _, h := range held {
		if h.Reference == s.ID && h.Tracking == s.TrackingNumber {
			return tracking.ShipmentResult{State: tracking.AlreadyPushed, RemoteID: h.ID}
		}
	}
	send, warnings, err := e.prepare(ctx, o, s)
	if err != nil {
		return tracking.ShipmentResult{State: tracking.Failed, Reason: err.Error(), Err: err}
	}
	if err := tracking.RunFrom(ctx).Check(s.ID); err != nil { // the fence: write nothing once the lease is lost
		return tracking.ShipmentResult{State: tracking.Failed, Reason: err.Error(), Err: err}
	}
	id, err := e.channel.Ship(o.Store, o.ChannelOrderID, send)
	if err != nil {
		return tracking.ShipmentResult{State: tracking.Failed, Reason: err.Error(), Err: err}
	}
	return tracking.ShipmentResult{State: tracking.Pushed, RemoteID: id, Warnings: warnings}
}

// prepare resolves what the channel needs through the mapping and checks
// the tracking number under the policy.
func (e *Exporter) prepare(ctx context.Context, o tracking.Order, s tracking.Shipment) (toyShipment, []string, error) {
	loc, err := e.mapping.Location(ctx, Channel, o.Store, s.Warehouse)
	if err != nil {
		return toyShipment{}, nil, err
	}
	t, err := e.mapping.Carrier(ctx, Channel, o.Store, s)
	if err != nil {
		return toyShipment{}, nil, err
	}
	warnings, err := e.policy.Vet(ctx, e.logger, t.Carrier, s.TrackingNumber, "order", o.ID, "shipment", s.ID)
	if err != nil {
		return toyShipment{}, nil, err
	}
	send := toyShipment{Reference: s.ID, Location: loc, Transporter: t.Code, Tracking: s.TrackingNumber, URL: t.URL, Items: map[string]int{}}
	if send.Transporter == "" {
		send.Transporter = transporters[t.Carrier.Code]
	}
	if send.Transporter == "" {
		send.Transporter, send.CarrierName = "OTHER", t.Name
	}
	for _, it := range s.Items {
		line, _ := o.Line(it.LineID) // the Syncer validated the order: every item names a line
		send.Items[line.ChannelLineID] += it.Quantity
	}
	return send, warnings, nil
}
