package shopify

import (
	"context"
	"fmt"

	"github.com/shopctrl/tracksync/tracking"
)

// prepare resolves each shipment's location, carrier and items, and
// returns those that can be pushed; the others get their result in out.
func (e *Exporter) prepare(ctx context.Context, o tracking.Order, out []tracking.ShipmentResult) []*push {
	var pushes []*push
	for i, s := range o.Shipments {
		r := &out[i]
		switch {
		case !e.each && o.Status != tracking.StatusFullyShipped:
			r.State, r.Reason = tracking.Waiting, fmt.Sprintf("the order is %s: Shopify gets every package once the order is fully shipped", o.Status)
			continue
		case s.TrackingNumber == "":
			r.State, r.Reason = tracking.Waiting, "the package has no tracking number yet"
			continue
		}
		p, err := e.preparePush(ctx, o, i)
		if err != nil {
			*r = failed(err.Error(), err)
			r.ShipmentID = s.ID
			continue
		}
		pushes = append(pushes, p)
	}
	return pushes
}

// preparePush resolves one shipment; the error's text is the result's
// reason.
func (e *Exporter) preparePush(ctx context.Context, o tracking.Order, i int) (*push, error) {
	s := o.Shipments[i]
	p := &push{index: i, shipment: s}
	loc, err := e.mapping.ShopifyLocation(ctx, o.Store, s.Warehouse)
	if err != nil {
		return nil, err
	}
	p.location = loc
	t, err := e.mapping.ShopifyCarrier(ctx, o.Store, s)
	if err != nil {
		return nil, err
	}
	p.tracking = TrackingInfo{Company: t.Company, Number: s.TrackingNumber, URL: t.URL}
	warnings, err := e.policy.Vet(ctx, e.logger, t.Carrier, s.TrackingNumber, "order", o.ID, "shipment", s.ID)
	if err != nil {
		return nil, err
	}
	p.warnings = append(p.warnings, warnings...)
	for _, it := range s.Items {
		line, _ := o.Line(it.LineID)
		gid, err := GID("LineItem", line.ChannelLineID)
		if err != nil {
			return nil, fmt.Errorf("line %q: %w", it.LineID, err)
		}
		p.items = append(p.items, lineQuantity{lineItem: gid, hostLine: it.LineID, quantity: it.Quantity})
	}
	return p, nil
}
