package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopctrl/tracksync/tracking"
)

// The CSV form has one row per package; rows with the same order_id make
// one order. The header names the columns, in any order.
//
//	order_id          host order id (required)
//	channel           shopify or amazon (required)
//	store             Shopify shop domain, or Amazon sellerID/marketplaceID (required)
//	channel_order_id  the order's id on the channel (required)
//	shipment_id       the package's id, unique in the order (required)
//	warehouse         host warehouse code the package left from (required)
//	carrier           host carrier code (required column; may be empty without a tracking number)
//	tracking_number   empty while the carrier has not assigned one (required column)
//	shipped_at        dispatch time, RFC 3339 (2026-03-01T14:05:00Z) or a date (2026-03-01) (required column)
//	items             what the package holds: LINE*QTY entries separated by ';', where LINE is
//	                  the channel's line id (Shopify line item id, Amazon OrderItemId); *QTY may be
//	                  left out for 1 (required)
//	status            fully_shipped (default), partially_shipped, open or cancelled
//	ordered           the order's lines and ordered quantities, LINE*QTY;...; default: what the
//	                  rows ship, which is right when they list every package of the order
//	service, tracking_url, customer_email, customer_name, customer_locale
//
// Order-level columns (channel, store, channel_order_id, status, ordered,
// customer_*) may be filled on one row of the order or repeated; rows that
// disagree are a problem.
var (
	csvRequired = []string{"order_id", "channel", "store", "channel_order_id", "shipment_id", "warehouse", "carrier", "tracking_number", "shipped_at", "items"}
	csvOptional = []string{"status", "ordered", "service", "tracking_url", "customer_email", "customer_name", "customer_locale"}
)

// csvOrder is an order being assembled from its rows.
type csvOrder struct {
	order      tracking.Order
	line       int            // of its first row
	fields     map[string]int // order-level column → the line that set it
	ordered    []lineQty      // from the ordered column; nil when not given
	orderedRaw string         // the ordered column as first given
}

type lineQty struct {
	line string
	qty  int
}

// readCSV reads the CSV form. Every problem of every row is reported; a
// row with a problem still adds what it can, so that -validate shows the
// order's other problems too.
func readCSV(name string, data []byte) (batch, problems) {
	r := csv.NewReader(bytes.NewReader(data))
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return batch{}, problems{{Where: name, Problem: "is empty; want a header line: " + strings.Join(csvRequired, ",")}}
		}
		return batch{}, problems{{Where: name + ":1", Problem: err.Error()}}
	}
	cols, ps := csvHeader(name, header)
	if len(ps) > 0 {
		return batch{}, ps
	}
	var orders []*csvOrder
	byID := map[string]*csvOrder{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && !errors.Is(err, csv.ErrFieldCount) {
				ps.add(fmt.Sprintf("%s:%d", name, pe.Line), "", "", "%v", pe.Err)
				break // a quoting error leaves the rest unreadable
			}
			line, _ := r.FieldPos(0)
			ps.add(fmt.Sprintf("%s:%d", name, line), "", "", "has %d fields; the header has %d", len(rec), len(header))
			continue
		}
		line, _ := r.FieldPos(0)
		where := fmt.Sprintf("%s:%d", name, line)
		get := func(col string) string {
			if i, ok := cols[col]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		id := get("order_id")
		if id == "" {
			ps.add(where, "", "order_id", "is empty; set the host's order id")
			continue
		}
		o := byID[id]
		if o == nil {
			o = &csvOrder{order: tracking.Order{ID: id, Status: tracking.StatusFullyShipped}, line: line, fields: map[string]int{}}
			byID[id] = o
			orders = append(orders, o)
		}
		o.addRow(where, line, get, &ps)
	}
	var b batch
	for _, o := range orders {
		o.finish()
		b.orders = append(b.orders, o.order)
		b.where = append(b.where, fmt.Sprintf("%s:%d", name, o.line))
	}
	return b, ps
}

// csvHeader maps column names to positions, refusing unknown, missing and
// repeated columns.
func csvHeader(name string, header []string) (map[string]int, problems) {
	var ps problems
	cols := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		switch {
		case !slices.Contains(csvRequired, h) && !slices.Contains(csvOptional, h):
			ps.add(name+":1", "", "", "unknown column %q; the columns are %s, and optionally %s", h, strings.Join(csvRequired, ","), strings.Join(csvOptional, ","))
		case hasKey(cols, h):
			ps.add(name+":1", "", "", "column %q appears twice", h)
		default:
			cols[h] = i
		}
	}
	for _, c := range csvRequired {
		if !hasKey(cols, c) {
			ps.add(name+":1", "", "", "missing column %q", c)
		}
	}
	return cols, ps
}

func hasKey[V any](m map[string]V, k string) bool {
	_, ok := m[k]
	return ok
}

// addRow adds the package of one row and its order-level columns.
func (o *csvOrder) addRow(where string, line int, get func(string) string, ps *problems) {
	id := o.order.ID
	o.set(where, line, "channel", get("channel"), (*string)(&o.order.Channel), ps)
	o.set(where, line, "store", get("store"), &o.order.Store, ps)
	o.set(where, line, "channel_order_id", get("channel_order_id"), &o.order.ChannelOrderID, ps)
	o.set(where, line, "status", get("status"), (*string)(&o.order.Status), ps)
	o.set(where, line, "customer_email", get("customer_email"), &o.order.Customer.Email, ps)
	o.set(where, line, "customer_name", get("customer_name"), &o.order.Customer.Name, ps)
	o.set(where, line, "customer_locale", get("customer_locale"), &o.order.Customer.Locale, ps)
	if v := get("ordered"); o.set(where, line, "ordered", v, &o.orderedRaw, ps) {
		o.ordered = parseItems(where, id, "ordered", v, ps)
	}

	s := tracking.Shipment{
		ID: get("shipment_id"), Warehouse: get("warehouse"), Carrier: get("carrier"), Service: get("service"),
		TrackingNumber: get("tracking_number"), TrackingURL: get("tracking_url"),
	}
	if v := get("shipped_at"); v != "" {
		t, err := parseTime(v)
		if err != nil {
			ps.add(where, id, "shipped_at", "%q: %v", v, err)
		}
		s.ShippedAt = t
	}
	for _, it := range parseItems(where, id, "items", get("items"), ps) {
		s.Items = append(s.Items, tracking.Item{LineID: it.line, Quantity: it.qty})
	}
	o.order.Shipments = append(o.order.Shipments, s)
}

// set fills an order-level field from a row. The first row that fills it
// wins; a later row with another value is a problem. It reports whether
// this row set the field.
func (o *csvOrder) set(where string, line int, col, v string, dst *string, ps *problems) bool {
	if v == "" {
		return false
	}
	if first, ok := o.fields[col]; ok {
		if *dst != v {
			ps.add(where, o.order.ID, col, "is %q, but line %d of the order says %q", v, first, *dst)
		}
		return false
	}
	o.fields[col] = line
	*dst = v
	return true
}

// finish derives the order's lines: the ordered column when given, else
// what its packages hold.
func (o *csvOrder) finish() {
	lines := o.ordered
	if lines == nil {
		index := map[string]int{}
		for _, s := range o.order.Shipments {
			for _, it := range s.Items {
				i, ok := index[it.LineID]
				if !ok {
					i = len(lines)
					index[it.LineID] = i
					lines = append(lines, lineQty{line: it.LineID})
				}
				lines[i].qty += it.Quantity
			}
		}
	}
	for _, l := range lines {
		o.order.Lines = append(o.order.Lines, tracking.Line{ID: l.line, ChannelLineID: l.line, Quantity: l.qty})
	}
}

// parseItems reads "LINE*QTY;LINE;…".
func parseItems(where, orderID, col, v string, ps *problems) []lineQty {
	var out []lineQty
	if strings.TrimSpace(v) == "" {
		ps.add(where, orderID, col, "is empty; want LINE*QTY entries separated by ';'")
		return nil
	}
	for entry := range strings.SplitSeq(v, ";") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		line, qty, hasQty := strings.Cut(entry, "*")
		line = strings.TrimSpace(line)
		n := 1
		if hasQty {
			var err error
			if n, err = strconv.Atoi(strings.TrimSpace(qty)); err != nil || n < 1 {
				ps.add(where, orderID, col, "entry %q: quantity %q is not a whole number above 0", entry, qty)
				continue
			}
		}
		if line == "" {
			ps.add(where, orderID, col, "entry %q has no line id", entry)
			continue
		}
		out = append(out, lineQty{line: line, qty: n})
	}
	return out
}

// parseTime reads an RFC 3339 time or a date (midnight UTC).
func parseTime(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t, nil
	}
	return time.Time{}, errors.New("want an RFC 3339 time such as 2026-03-01T14:05:00Z, or a date such as 2026-03-01")
}
