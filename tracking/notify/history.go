package notify

import (
	"context"
	"fmt"
	"net/url"
	"slices"

	"github.com/shopctrl/tracksync/tracking"
)

// history is what the ledger holds of an order's emails: each trigger's
// record per package ("" for a per-order trigger), and the lookups that
// failed.
type history struct {
	triggers []string                               // in the Notifier's order
	records  map[string]map[string]*tracking.Record // trigger → shipment id → record
	failed   map[string]error                       // trigger → the lookup error
}

// key is the ledger key of one trigger's email about one package (or, with
// shipmentID "", the order).
func key(o tracking.Order, trigger, shipmentID string) tracking.LedgerKey {
	return tracking.LedgerKey{Channel: o.Channel, Store: o.Store, OrderID: o.ID, ShipmentID: shipmentID, Purpose: purpose(trigger)}
}

// readHistory looks up every trigger's records for the order, switched on
// or not: an email sent before a store switched its trigger off still
// tells what the customer knows.
func (n *Notifier) readHistory(ctx context.Context, l tracking.Ledger, o tracking.Order) history {
	h := history{records: map[string]map[string]*tracking.Record{}, failed: map[string]error{}}
	for _, t := range n.triggers {
		ids := []string{""}
		if !t.PerOrder {
			ids = shipmentIDs(o)
		}
		recs := map[string]*tracking.Record{}
		for _, id := range ids {
			k := key(o, t.Name, id)
			rec, ok, err := l.Lookup(ctx, k)
			if err != nil {
				h.failed[t.Name] = fmt.Errorf("ledger lookup %s: %w", k, err)
				break
			}
			if ok {
				recs[id] = &rec
			}
		}
		h.records[t.Name] = recs
		h.triggers = append(h.triggers, t.Name)
	}
	return h
}

func shipmentIDs(o tracking.Order) []string {
	ids := make([]string, len(o.Shipments))
	for i, s := range o.Shipments {
		ids[i] = s.ID
	}
	return ids
}

// told returns the tracking number the customer was last sent for a
// package, by any trigger; "" when none. Of records sent at the same time,
// the later trigger's wins (tracking-updated comes after the emails whose
// number it updates).
func (h history) told(shipmentID string) string {
	var best *tracking.Record
	number := ""
	for _, t := range h.triggers {
		for _, id := range []string{shipmentID, ""} {
			rec := h.records[t][id]
			if rec == nil {
				continue
			}
			n, ok := rec.TrackingNumber, true
			if id == "" { // a per-order email: its record lists every package
				n, ok = packageNumber(rec.TrackingNumber, shipmentID)
			}
			if ok && (best == nil || !rec.PushedAt.Before(best.PushedAt)) {
				best, number = rec, n
			}
		}
	}
	return number
}

// recordNumbers is the TrackingNumber recorded for an email: the package's
// number, or for an email about several packages each one's, as
// "shipment-id=number&…" (URL query encoding keeps any id unambiguous).
func recordNumbers(perOrder bool, packages []tracking.Shipment) string {
	if !perOrder && len(packages) == 1 {
		return packages[0].TrackingNumber
	}
	v := url.Values{}
	for _, s := range packages {
		v.Set(s.ID, s.TrackingNumber)
	}
	return v.Encode()
}

// packageNumber reads one package's number from a per-order record.
func packageNumber(recorded, shipmentID string) (string, bool) {
	v, err := url.ParseQuery(recorded)
	if err != nil || !v.Has(shipmentID) {
		return "", false
	}
	return v.Get(shipmentID), true
}

// held reports whether a channel exporter that ran before the Notifier
// holds the package, and if not, what it said about it.
func held(prior []tracking.Result, shipmentID string) (bool, string) {
	var states []string
	for _, r := range prior {
		if r.Channel == tracking.AllChannels {
			continue
		}
		i := slices.IndexFunc(r.Shipments, func(s tracking.ShipmentResult) bool { return s.ShipmentID == shipmentID })
		if i < 0 {
			continue
		}
		s := r.Shipments[i]
		if s.State == tracking.Pushed || s.State == tracking.AlreadyPushed {
			return true, ""
		}
		states = append(states, fmt.Sprintf("%s: %s", r.Exporter, s))
	}
	if len(states) == 0 {
		return false, "waiting until the channel holds the package: no channel exporter reported it (run the Notifier in the Syncer with the channel's exporter)"
	}
	return false, fmt.Sprintf("waiting until the channel holds the package (%s)", joinReasons(states))
}
