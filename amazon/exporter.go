package amazon

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/carrier"
)

// Exporter confirms the packages of merchant-fulfilled Amazon orders as
// soon as they have a tracking number: one confirmShipment per package,
// in order of dispatch, with carrier code (or "Other" and a name),
// shipping method, tracking number and the order items it holds. It
// implements tracking.Exporter and tracking.TrackingUpdater.
//
// Exactly once without a read: every package gets a stable
// packageReferenceId derived from the shipment id, so a repeat (a retry, a
// takeover, a lost ledger) is an edit of the same package, never a second
// one. The order is read (getOrder, whose usage plan of 0.5/s is a quarter
// of confirmShipment's) only to explain a refusal — a pending order
// waits, a cancelled one fails, an order that already holds the package
// reports it AlreadyPushed — or when the package may be one a feed made
// (FeedExporter's note on the shipment, or a ledger record that is not
// this package's reference), whose reference is Amazon's own.
type Exporter struct {
	sellers Sellers
	mapping Mapping
	policy  carrier.Policy
	logger  *slog.Logger
	logged  bool // given a logger of its own
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
// formats reject (default carrier.PolicyWarn: confirm and warn).
func WithNumberPolicy(p carrier.Policy) ExporterOption { return func(e *Exporter) { e.policy = p } }

// WithExporterLogger sets the exporter's logger (default: discard).
func WithExporterLogger(l *slog.Logger) ExporterOption {
	return func(e *Exporter) { e.logger, e.logged = l, true }
}

// DefaultLogger implements tracking.LoggerDefaulter: the Syncer's logger
// serves the exporter and its sellers' clients unless they were given
// their own.
func (e *Exporter) DefaultLogger(l *slog.Logger) {
	if l == nil {
		return
	}
	if !e.logged {
		e.logger = l
	}
	if d, ok := e.sellers.(tracking.LoggerDefaulter); ok {
		d.DefaultLogger(l)
	}
}

// NewExporter returns an Exporter that reaches sellers through sellers and
// resolves carriers through m (mapping.Static implements Mapping).
func NewExporter(sellers Sellers, m Mapping, opts ...ExporterOption) (*Exporter, error) {
	if sellers == nil || m == nil {
		return nil, fmt.Errorf("%w: NewExporter needs sellers and a mapping", ErrConfig)
	}
	e := &Exporter{sellers: sellers, mapping: m, logger: slog.New(slog.DiscardHandler)}
	for _, opt := range opts {
		opt(e)
	}
	if e.logger == nil {
		return nil, fmt.Errorf("%w: nil logger", ErrConfig)
	}
	return e, nil
}

// Channel implements tracking.Exporter.
func (e *Exporter) Channel() tracking.Channel { return Channel }

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
	res := tracking.Result{Exporter: "amazon", Channel: Channel, Shipments: make([]tracking.ShipmentResult, len(o.Shipments))}
	for i, s := range o.Shipments {
		res.Shipments[i].ShipmentID = s.ID
	}
	confs := e.prepare(ctx, o, res.Shipments)
	if len(confs) == 0 {
		return res, nil
	}
	set := func(c *confirmation, r tracking.ShipmentResult) {
		r.ShipmentID = c.shipment.ID
		r.Warnings = append(slices.Clip(c.warnings), r.Warnings...)
		res.Shipments[c.index] = r
	}
	seller, _, _ := SplitStore(o.Store) // prepare checked it
	client, err := e.sellers.Client(ctx, seller)
	if err != nil {
		for _, c := range confs {
			set(c, failedResult(err.Error(), err))
		}
		return res, nil
	}
	v := &orderView{client: client, seller: seller, orderID: o.ChannelOrderID, confs: confs, used: map[string]bool{}}
	run := tracking.RunFrom(ctx)
	// Confirm in order of dispatch; a package that is not confirmed holds
	// back the ones dispatched after it, so that Amazon never receives
	// them out of order.
	hold := ""
	for _, c := range confs {
		if hold != "" {
			set(c, tracking.ShipmentResult{State: tracking.Waiting, Reason: hold})
			continue
		}
		r := e.push(ctx, run, v, c)
		set(c, r)
		switch r.State {
		case tracking.Waiting:
			hold = r.Reason
		case tracking.Failed:
			hold = fmt.Sprintf("waits for package %s, dispatched earlier, which was not confirmed", c.shipment.ID)
		}
	}
	return res, nil
}

// push confirms one package: at once, or after reading the order when a
// feed may have made it.
func (e *Exporter) push(ctx context.Context, run *tracking.Run, v *orderView, c *confirmation) tracking.ShipmentResult {
	if strings.HasPrefix(run.Note(c.shipment.ID), notePrefixFeed) {
		// FeedExporter sent it (or was about to): Amazon numbered that
		// package itself, so only its items and number can find it.
		if r, done := v.reconcile(ctx, c); done {
			return r
		}
	}
	return v.confirm(fenceShipment(ctx, run, c.shipment.ID), c)
}

// orderView is one order of one Export: its confirmations and, once read,
// what Amazon holds.
type orderView struct {
	client  *Client
	seller  string
	orderID string
	confs   []*confirmation
	used    map[string]bool // packages matched to a confirmation already
	ao      *Order          // the order as read, once read
}

// read reads the order once per view: the packages this view confirms
// itself are told apart by their references, not by a fresh read.
func (v *orderView) read(ctx context.Context) (*Order, error) {
	if v.ao != nil {
		return v.ao, nil
	}
	ao, _, err := v.client.GetOrder(ctx, v.orderID)
	if err != nil {
		return nil, err
	}
	v.ao = ao
	return ao, nil
}

// confirm sends one package. A refusal the order's state can explain is
// explained by reading the order; nothing is retried here (the client
// retried what was worth it).
func (v *orderView) confirm(ctx context.Context, c *confirmation) tracking.ShipmentResult {
	_, err := v.client.ConfirmShipment(ctx, v.orderID, c.request)
	if err == nil {
		v.used[c.request.PackageDetail.PackageReferenceID] = true
		return tracking.ShipmentResult{State: tracking.Pushed, RemoteID: c.request.PackageDetail.PackageReferenceID}
	}
	var er *ErrorResponse
	switch {
	case isLeaseLost(err):
		return leaseLost(err)
	case errors.As(err, &er) && er.StatusCode == http.StatusNotFound:
		return failedResult(fmt.Sprintf("order %s is not on Amazon for seller %s: check the order's channel order id and store", v.orderID, v.seller), err)
	case errors.As(err, &er) && er.StatusCode == http.StatusBadRequest && classifyRefusal(er) == refusalExplain:
		return v.explain(ctx, c, err)
	}
	return failedResult("Amazon refused the confirmation: "+err.Error(), err)
}

// explain reads the order after a refusal: a pending order waits, a
// cancelled one fails, a package Amazon holds already is AlreadyPushed.
func (v *orderView) explain(ctx context.Context, c *confirmation, cause error) tracking.ShipmentResult {
	if r, done := v.reconcile(ctx, c); done {
		return r
	}
	return failedResult("Amazon refused the confirmation: "+cause.Error(), cause)
}

// reconcile reads the order and reports the shipment when the order's
// state or packages settle it; done is false when it is still to be
// confirmed.
func (v *orderView) reconcile(ctx context.Context, c *confirmation) (r tracking.ShipmentResult, done bool) {
	ao, err := v.read(ctx)
	if err != nil {
		return failedResult("could not read the order from Amazon: "+err.Error(), err), true
	}
	if wait, fail := orderBlocked(ao); wait != "" {
		return tracking.ShipmentResult{State: tracking.Waiting, Reason: wait}, true
	} else if fail != "" {
		return failedResult(fail, errOrderState), true
	}
	if pk, ok := matchPackage(ao, c.request, v.usedFor(c)); ok && carriesNumber(pk, c.request.PackageDetail.TrackingNumber) {
		v.used[pk.PackageReferenceID] = true
		return tracking.ShipmentResult{State: tracking.AlreadyPushed, RemoteID: pk.PackageReferenceID}, true
	}
	return tracking.ShipmentResult{}, false
}

// usedFor is the packages a confirmation must not match: those matched
// already, and those under the references of the order's other shipments.
func (v *orderView) usedFor(c *confirmation) map[string]bool {
	used := maps.Clone(v.used)
	for _, o := range v.confs {
		if o != c {
			used[o.request.PackageDetail.PackageReferenceID] = true
		}
	}
	return used
}

// errOrderState is the cause of a shipment failed for the order's state
// on Amazon (cancelled, unfulfillable).
var errOrderState error = &permanent{"amazon: the order cannot be shipped"}

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
		warnings, perr := e.policy.Vet(ctx, e.logger, t.Carrier, s.TrackingNumber, "order", o.ID, "shipment", s.ID)
		if perr != nil {
			fail(i, perr.Error(), perr)
			continue
		}
		c.warnings = append(c.warnings, warnings...)
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

// UpdateTracking implements tracking.TrackingUpdater: the package is
// confirmed again under its reference, which edits it in place. A package
// this exporter made is under the shipment's own reference: no read. One
// a feed made (prev.RemoteID is not that reference) is found by reading
// the order: the package that carries the previous number with the
// shipment's items.
func (e *Exporter) UpdateTracking(ctx context.Context, o tracking.Order, s tracking.Shipment, prev tracking.Record) (tracking.ShipmentResult, error) {
	out := make([]tracking.ShipmentResult, 1)
	one := o
	one.Shipments = []tracking.Shipment{s}
	confs := e.prepare(ctx, one, out)
	if len(confs) == 0 {
		out[0].ShipmentID = s.ID
		return out[0], nil
	}
	c := confs[0]
	finish := func(r tracking.ShipmentResult) (tracking.ShipmentResult, error) {
		r.ShipmentID, r.Warnings = s.ID, append(slices.Clip(c.warnings), r.Warnings...)
		if r.State == tracking.AlreadyPushed {
			r.State = tracking.Pushed // the shipment's new number is on Amazon
		}
		return r, nil
	}
	seller, _, _ := SplitStore(o.Store)
	client, err := e.sellers.Client(ctx, seller)
	if err != nil {
		return finish(failedResult(err.Error(), err))
	}
	v := &orderView{client: client, seller: seller, orderID: o.ChannelOrderID, confs: confs, used: map[string]bool{}}
	if !sameRef(prev.RemoteID, c.request.PackageDetail.PackageReferenceID) {
		if r, done := v.findPrevious(ctx, c, prev); done {
			return finish(r)
		}
	}
	return finish(v.confirm(fenceShipment(ctx, tracking.RunFrom(ctx), s.ID), c))
}

// findPrevious reads the order for a package this exporter did not make
// and points c at its reference; done when the order settles the update.
func (v *orderView) findPrevious(ctx context.Context, c *confirmation, prev tracking.Record) (tracking.ShipmentResult, bool) {
	if r, done := v.reconcile(ctx, c); done { // already carries the new number, or cannot be shipped
		return r, true
	}
	ao, err := v.read(ctx)
	if err != nil {
		return failedResult("could not read the order from Amazon: "+err.Error(), err), true
	}
	old := c.request
	old.PackageDetail.TrackingNumber = prev.TrackingNumber
	old.PackageDetail.PackageReferenceID = ""
	pk, ok := matchPackage(ao, old, v.usedFor(c))
	if !ok {
		err := fmt.Errorf("amazon: order %s holds no package with tracking number %q and this shipment's items", v.orderID, prev.TrackingNumber)
		return failedResult(err.Error()+": a new confirmation would make a second package; change the number in Seller Central", err), true
	}
	c.request.PackageDetail.PackageReferenceID = pk.PackageReferenceID
	return tracking.ShipmentResult{}, false
}

func failedResult(reason string, err error) tracking.ShipmentResult {
	return tracking.ShipmentResult{State: tracking.Failed, Reason: reason, Err: err}
}
