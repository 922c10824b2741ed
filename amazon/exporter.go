package amazon

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"slices"
	"strconv"
	"strings"

	"github.com/shopctrl/tracksync/mapping"
	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/carrier"
)

// Exporter confirms the packages of merchant-fulfilled Amazon orders as
// soon as they have a tracking number: one confirmShipment per package,
// in order of dispatch, with carrier code (or "Other" and a name),
// shipping method, tracking number and the order items it holds. It
// implements tracking.Exporter and tracking.TrackingUpdater.
//
// Exactly once: every package gets a stable packageReferenceId derived
// from the shipment id, so a repeat is an edit of the same package, never
// a second one; before confirming, the exporter reads the order's packages
// (Orders 2026-01-01) and reports those already there as AlreadyPushed.
type Exporter struct {
	sellers Sellers
	mapping mapping.Resolver
	policy  carrier.Policy
	logger  *slog.Logger
}

var (
	_ tracking.Exporter        = (*Exporter)(nil)
	_ tracking.TrackingUpdater = (*Exporter)(nil)
	_ tracking.Describer       = (*Exporter)(nil)
)

// ExporterOption configures an Exporter.
type ExporterOption func(*Exporter)

// WithNumberPolicy sets what happens to a tracking number its carrier's
// formats reject (default carrier.PolicyWarn: confirm and warn).
func WithNumberPolicy(p carrier.Policy) ExporterOption { return func(e *Exporter) { e.policy = p } }

// WithExporterLogger sets the exporter's logger (default: discard).
func WithExporterLogger(l *slog.Logger) ExporterOption { return func(e *Exporter) { e.logger = l } }

// NewExporter returns an Exporter that reaches sellers through sellers and
// resolves carriers through resolver.
func NewExporter(sellers Sellers, resolver mapping.Resolver, opts ...ExporterOption) (*Exporter, error) {
	if sellers == nil || resolver == nil {
		return nil, errors.New("amazon: NewExporter needs sellers and a mapping resolver")
	}
	e := &Exporter{sellers: sellers, mapping: resolver, logger: slog.New(slog.DiscardHandler)}
	for _, opt := range opts {
		opt(e)
	}
	if e.logger == nil {
		return nil, errors.New("amazon: nil logger")
	}
	return e, nil
}

// Channel implements tracking.Exporter.
func (e *Exporter) Channel() tracking.Channel { return tracking.ChannelAmazon }

// Describe implements tracking.Describer: usage plans are per seller, so
// one order per store at a time keeps the bucket and the dispatch order.
func (e *Exporter) Describe() tracking.ExporterInfo {
	return tracking.ExporterInfo{Name: "amazon", SerializeStore: true}
}

// PackageReferenceID is the packageReferenceId of a shipment: a positive
// integer below 2^53 derived from the shipment id (FNV-1a), the same on
// every run and machine, so that confirming again edits the package.
func PackageReferenceID(shipmentID string) string {
	h := fnv.New64a()
	_, _ = h.Write([]byte(shipmentID))
	return strconv.FormatUint(h.Sum64()%(1<<53-1)+1, 10)
}

// confirmation is one package ready to confirm.
type confirmation struct {
	index    int
	shipment tracking.Shipment
	request  ConfirmShipmentRequest
	warnings []string
}

// Export implements tracking.Exporter.
func (e *Exporter) Export(ctx context.Context, o tracking.Order) (tracking.Result, error) {
	res := tracking.Result{Exporter: "amazon", Channel: tracking.ChannelAmazon, Shipments: make([]tracking.ShipmentResult, len(o.Shipments))}
	set := func(c *confirmation, r tracking.ShipmentResult) {
		r.ShipmentID = c.shipment.ID
		r.Warnings = append(c.warnings, r.Warnings...)
		res.Shipments[c.index] = r
	}
	for i, s := range o.Shipments {
		res.Shipments[i].ShipmentID = s.ID
	}
	confs := e.prepare(ctx, o, res.Shipments)
	if len(confs) == 0 {
		return res, nil
	}
	seller, _, _ := SplitStore(o.Store) // prepare checked it
	client, err := e.sellers.Client(ctx, seller)
	if err != nil {
		for _, c := range confs {
			set(c, failedResult(err.Error(), err))
		}
		return res, nil
	}

	ao, _, err := client.GetOrder(ctx, o.ChannelOrderID)
	if err != nil {
		reason := "could not read the order from Amazon: " + err.Error()
		if errors.Is(err, ErrNotFound) {
			reason = fmt.Sprintf("order %s is not on Amazon for seller %s: check the order's channel order id and store", o.ChannelOrderID, seller)
		}
		for _, c := range confs {
			set(c, failedResult(reason, err))
		}
		return res, nil
	}
	if wait, fail := orderBlocked(ao); wait != "" || fail != "" {
		for _, c := range confs {
			if fail != "" {
				set(c, failedResult(fail, nil))
			} else {
				set(c, tracking.ShipmentResult{State: tracking.Waiting, Reason: wait})
			}
		}
		return res, nil
	}

	// Confirm in order of dispatch; a package that fails holds back the
	// ones dispatched after it, so that Amazon never receives them out of
	// order.
	var blocker *confirmation
	for _, c := range confs {
		if blocker != nil {
			set(c, tracking.ShipmentResult{State: tracking.Waiting,
				Reason: fmt.Sprintf("waits for package %s, dispatched earlier, which was not confirmed", blocker.shipment.ID)})
			continue
		}
		if p, ok := findPackage(ao, c); ok {
			set(c, tracking.ShipmentResult{State: tracking.AlreadyPushed, RemoteID: p.PackageReferenceID})
			continue
		}
		r := e.confirm(ctx, client, o, c)
		set(c, r)
		if r.State == tracking.Failed {
			blocker = c
		}
	}
	return res, nil
}

// confirm sends one package. An answer saying the order or package is
// already done is checked against the order's packages, never retried.
func (e *Exporter) confirm(ctx context.Context, client *Client, o tracking.Order, c *confirmation) tracking.ShipmentResult {
	_, err := client.ConfirmShipment(ctx, o.ChannelOrderID, c.request)
	if err == nil {
		return tracking.ShipmentResult{State: tracking.Pushed, RemoteID: c.request.PackageDetail.PackageReferenceID}
	}
	var er *ErrorResponse
	if errors.As(err, &er) && er.StatusCode == 400 && (er.HasCode("PackageToUpdateNotFound") || strings.Contains(er.text(), "already")) {
		if ao, _, rerr := client.GetOrder(ctx, o.ChannelOrderID); rerr == nil {
			if p, ok := findPackage(ao, c); ok {
				return tracking.ShipmentResult{State: tracking.AlreadyPushed, RemoteID: p.PackageReferenceID}
			}
		}
	}
	return failedResult("Amazon refused the confirmation: "+err.Error(), err)
}

// prepare resolves each shipment's carrier and items, in dispatch order;
// shipments that cannot be confirmed get their result in out.
func (e *Exporter) prepare(ctx context.Context, o tracking.Order, out []tracking.ShipmentResult) []*confirmation {
	fail := func(i int, reason string, err error) {
		out[i] = failedResult(reason, err)
		out[i].ShipmentID = o.Shipments[i].ID
	}
	_, mkt, err := SplitStore(o.Store)
	var confs []*confirmation
	refs := map[string]string{}
	for i, s := range o.Shipments {
		switch {
		case err != nil:
			fail(i, err.Error(), err)
			continue
		case o.Status == tracking.StatusCancelled:
			fail(i, "the order is cancelled: nothing is confirmed to Amazon", nil)
			continue
		case s.TrackingNumber == "":
			out[i].State, out[i].Reason = tracking.Waiting, "the package has no tracking number yet"
			continue
		}
		t, err := e.mapping.AmazonCarrier(ctx, o.Store, s)
		if err != nil {
			fail(i, err.Error(), err)
			continue
		}
		c := &confirmation{index: i, shipment: s}
		if t.Carrier.Code != "" {
			warning, perr := e.policy.Check(t.Carrier, s.TrackingNumber)
			if perr != nil {
				fail(i, perr.Error(), perr)
				continue
			}
			if warning != "" {
				c.warnings = append(c.warnings, warning)
				e.logger.WarnContext(ctx, "tracking number does not match its carrier", "order", o.ID, "shipment", s.ID, "warning", warning)
			}
		}
		ref := PackageReferenceID(s.ID)
		if other, dup := refs[ref]; dup {
			err := fmt.Errorf("amazon: shipments %q and %q map to the same package reference %s", other, s.ID, ref)
			fail(i, err.Error()+": rename one of them", err)
			continue
		}
		refs[ref] = s.ID
		c.request = ConfirmShipmentRequest{MarketplaceID: mkt, PackageDetail: PackageDetail{
			PackageReferenceID: ref, CarrierCode: t.CarrierCode, CarrierName: t.CarrierName, ShippingMethod: t.ShippingMethod,
			TrackingNumber: s.TrackingNumber, ShipDate: ShipDate(s.ShippedAt),
		}}
		for _, it := range s.Items {
			line, _ := o.Line(it.LineID)
			c.request.PackageDetail.OrderItems = append(c.request.PackageDetail.OrderItems, OrderItemQuantity{OrderItemID: line.ChannelLineID, Quantity: it.Quantity})
		}
		confs = append(confs, c)
	}
	slices.SortStableFunc(confs, func(a, b *confirmation) int { return a.shipment.ShippedAt.Compare(b.shipment.ShippedAt) })
	return confs
}

// orderBlocked says why an order cannot take confirmations now: a reason
// to wait, or one to fail.
func orderBlocked(ao *Order) (wait, fail string) {
	switch ao.FulfillmentStatus {
	case "PENDING", "PENDING_AVAILABILITY":
		return "the order is pending on Amazon (payment not yet authorized): packages are confirmed once it is unshipped", ""
	case "CANCELLED":
		return "", "the order is cancelled on Amazon: nothing is confirmed"
	case "UNFULFILLABLE":
		return "", "Amazon reports the order as unfulfillable: nothing is confirmed"
	}
	return "", ""
}

// findPackage finds the package a confirmation became: one carrying its
// tracking number, under its own reference or under another one
// (confirmed before by another tool or a feed). A package with its
// reference but another number is not it yet: confirming edits it.
func findPackage(ao *Order, c *confirmation) (Package, bool) {
	want := carrier.Normalize(c.request.PackageDetail.TrackingNumber)
	for _, p := range ao.Packages {
		if carrier.Normalize(p.TrackingNumber) == want {
			return p, true
		}
	}
	return Package{}, false
}

// UpdateTracking implements tracking.TrackingUpdater: the package that
// carries the previous tracking number is confirmed again under its own
// reference (its reference is Amazon's own when a feed created it), which
// edits it in place.
func (e *Exporter) UpdateTracking(ctx context.Context, o tracking.Order, s tracking.Shipment, prev tracking.Record) (tracking.ShipmentResult, error) {
	out := make([]tracking.ShipmentResult, 1)
	one := o
	one.Shipments = []tracking.Shipment{s}
	confs := e.prepare(ctx, one, out)
	if len(confs) == 0 {
		return out[0], nil
	}
	c := confs[0]
	seller, _, _ := SplitStore(o.Store)
	client, err := e.sellers.Client(ctx, seller)
	if err != nil {
		return failedResult(err.Error(), err), nil
	}
	ao, _, err := client.GetOrder(ctx, o.ChannelOrderID)
	if err != nil {
		r := failedResult("could not read the order from Amazon: "+err.Error(), err)
		r.ShipmentID, r.Warnings = s.ID, c.warnings
		return r, nil
	}
	if p, ok := findPackage(ao, c); ok { // already carries the new number
		return tracking.ShipmentResult{ShipmentID: s.ID, State: tracking.Pushed, RemoteID: p.PackageReferenceID, Warnings: c.warnings}, nil
	}
	old := carrier.Normalize(prev.TrackingNumber)
	for _, p := range ao.Packages {
		if carrier.Normalize(p.TrackingNumber) == old && p.PackageReferenceID != "" {
			c.request.PackageDetail.PackageReferenceID = p.PackageReferenceID
			break
		}
	}
	r := e.confirm(ctx, client, o, c)
	r.ShipmentID, r.Warnings = s.ID, c.warnings
	if r.State == tracking.AlreadyPushed {
		r.State = tracking.Pushed
	}
	return r, nil
}

func failedResult(reason string, err error) tracking.ShipmentResult {
	return tracking.ShipmentResult{State: tracking.Failed, Reason: reason, Err: err}
}
