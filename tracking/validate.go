package tracking

import (
	"errors"
	"fmt"
	"math"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ErrInvalidOrder is the sentinel of every *ValidationError:
// errors.Is(order.Validate(), ErrInvalidOrder) tells a bad order apart from
// a failed push.
var ErrInvalidOrder = errors.New("tracking: invalid order")

// ValidationError is one problem of an order, located by a field path such
// as "shipments[2].items[0].line_id" (the JSON names of the fields).
type ValidationError struct {
	OrderID string
	Field   string
	Problem string
}

// Error describes the problem for a person; it never holds a secret.
func (e *ValidationError) Error() string {
	return fmt.Sprintf("tracking: order %q: %s: %s", e.OrderID, e.Field, e.Problem)
}

// Is makes errors.Is(err, ErrInvalidOrder) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidOrder }

// Validate reports every problem of the order at once, as an errors.Join of
// *ValidationError (nil when there is none), so that a host fixes its data
// in one round. It checks ids, channel and status, that shipped items refer
// to ordered lines with positive quantities, that no line is shipped beyond
// what was ordered, that a tracking number comes with a dispatch time and a
// carrier, and that a fully shipped order has shipped every unit.
func (o Order) Validate() error {
	v := validator{orderID: o.ID}
	v.order(o)
	return errors.Join(v.errs...)
}

type validator struct {
	orderID string
	errs    []error
}

// path locates a field without building its name: the name is only
// rendered for a problem, keeping Validate of a good order cheap.
type path struct {
	list string // "", "lines" or "shipments"
	i    int    // index in list
	item int    // index in shipments[i].items, or -1
}

var top = path{item: -1}

func (p path) field(name string) string {
	if p.list == "" {
		return name
	}
	s := p.list + "[" + strconv.Itoa(p.i) + "]"
	if p.item >= 0 {
		s += ".items[" + strconv.Itoa(p.item) + "]"
	}
	if name == "" {
		return s
	}
	return s + "." + name
}

func (v *validator) add(p path, name, format string, args ...any) {
	v.errs = append(v.errs, &ValidationError{OrderID: v.orderID, Field: p.field(name), Problem: fmt.Sprintf(format, args...)})
}

func (v *validator) order(o Order) {
	if o.ID == "" {
		v.add(top, "id", "is empty; set the host's order id")
	}
	switch {
	case o.Channel == "":
		v.add(top, "channel", "is empty; set the channel the order came from, such as \"shopify\" or \"amazon\"")
	case !o.Channel.valid():
		v.add(top, "channel", "%q is not a channel name; want lower-case letters, digits, '.', '-' or '_'", o.Channel)
	}
	if o.Store == "" {
		v.add(top, "store", "is empty; set the channel account (Shopify shop domain, Amazon \"sellerID/marketplaceID\")")
	}
	if o.ChannelOrderID == "" {
		v.add(top, "channel_order_id", "is empty; set the order's id on the channel")
	}
	if !o.Status.Known() {
		v.add(top, "status", "unknown status %q; want one of %q, %q, %q, %q",
			o.Status, StatusOpen, StatusPartiallyShipped, StatusFullyShipped, StatusCancelled)
	}
	v.customer(o.Customer)
	v.texts(o)

	if len(o.Lines) == 0 {
		v.add(top, "lines", "is empty; an order has at least one line")
	}
	lines := newIndex(len(o.Lines))
	for i, l := range o.Lines {
		p := path{list: "lines", i: i, item: -1}
		switch {
		case l.ID == "":
			v.add(p, "id", "is empty")
		default:
			if first, dup := lines.add(l.ID, i); dup {
				v.add(p, "id", "duplicate line id %q (also lines[%d])", l.ID, first)
			}
		}
		if l.ChannelLineID == "" {
			v.add(p, "channel_line_id", "is empty; set the channel's line item id")
		}
		if l.Quantity <= 0 {
			v.add(p, "quantity", "is %d; want at least 1", l.Quantity)
		}
	}

	shipped := make([]int, len(o.Lines))
	shipments := newIndex(len(o.Shipments))
	for i, s := range o.Shipments {
		v.shipment(i, s, &shipments, &lines, shipped)
	}

	for i, l := range o.Lines {
		if l.ID == "" || l.Quantity <= 0 || lines.firstOf(l.ID) != i {
			continue // already reported; shipped quantities of a bad line mean nothing
		}
		switch n := shipped[i]; {
		case n > l.Quantity:
			v.add(path{list: "lines", i: i, item: -1}, "quantity", "shipments hold %d units of line %q; %d ordered", n, l.ID, l.Quantity)
		case n < l.Quantity && o.Status == StatusFullyShipped:
			v.add(top, "status", "is %q but line %q has %d of %d units shipped", o.Status, l.ID, n, l.Quantity)
		}
	}
}

func (v *validator) shipment(i int, s Shipment, shipments, lines *index, shipped []int) {
	p := path{list: "shipments", i: i, item: -1}
	if s.ID == "" {
		v.add(p, "id", "is empty")
	} else if first, dup := shipments.add(s.ID, i); dup {
		v.add(p, "id", "duplicate shipment id %q (also shipments[%d])", s.ID, first)
	}
	if s.Warehouse == "" {
		v.add(p, "warehouse", "is empty; set the warehouse the package left from")
	}
	if s.TrackingNumber != "" {
		if s.ShippedAt.IsZero() {
			v.add(p, "shipped_at", "is zero but tracking_number is set; set the dispatch time")
		}
		if s.Carrier == "" {
			v.add(p, "carrier", "is empty but tracking_number is set; set the host carrier code")
		}
	}
	if s.TrackingURL != "" {
		if u, err := url.Parse(s.TrackingURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			v.add(p, "tracking_url", "%q is not an absolute http(s) URL", s.TrackingURL)
		}
	}
	if len(s.Items) == 0 {
		v.add(p, "items", "is empty; a package holds at least one item")
	}
	for j, it := range s.Items {
		ip := path{list: "shipments", i: i, item: j}
		line := -1
		switch {
		case it.LineID == "":
			v.add(ip, "line_id", "is empty")
		default:
			if line = lines.firstOf(it.LineID); line < 0 {
				v.add(ip, "line_id", "refers to unknown line %q", it.LineID)
			}
		}
		for k := range j {
			if it.LineID != "" && s.Items[k].LineID == it.LineID {
				v.add(ip, "line_id", "line %q is listed twice (also items[%d]); list it once with the total quantity", it.LineID, k)
				break
			}
		}
		if it.Quantity <= 0 {
			v.add(ip, "quantity", "is %d; want at least 1", it.Quantity)
		} else if line >= 0 {
			shipped[line] = saturatingAdd(shipped[line], it.Quantity)
		}
	}
}

// saturatingAdd adds two non-negative counts, stopping at math.MaxInt: a
// sum that overflowed would wrap to a small number and hide over-shipping.
func saturatingAdd(a, b int) int {
	if a > math.MaxInt-b {
		return math.MaxInt
	}
	return a + b
}

// texts reports identifiers that are not valid UTF-8 or hold a NUL byte.
// They would not survive a ledger (JSON turns invalid bytes into U+FFFD, so
// distinct ids collapse; PostgreSQL refuses them), nor a channel's API.
func (v *validator) texts(o Order) {
	check := func(p path, name, s string) {
		if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
			v.add(p, name, "%q is not valid UTF-8 text (or holds a NUL byte)", s)
		}
	}
	check(top, "id", o.ID)
	check(top, "store", o.Store)
	check(top, "channel_order_id", o.ChannelOrderID)
	for i, l := range o.Lines {
		p := path{list: "lines", i: i, item: -1}
		check(p, "id", l.ID)
		check(p, "channel_line_id", l.ChannelLineID)
	}
	for i, s := range o.Shipments {
		p := path{list: "shipments", i: i, item: -1}
		check(p, "id", s.ID)
		check(p, "warehouse", s.Warehouse)
		check(p, "carrier", s.Carrier)
		check(p, "service", s.Service)
		check(p, "tracking_number", s.TrackingNumber)
	}
}

func (v *validator) customer(c Customer) {
	if c.Email != "" {
		if a, err := mail.ParseAddress(c.Email); err != nil || a.Address != c.Email {
			v.add(top, "customer.email", "%q is not a bare email address", c.Email)
		}
	}
	if c.Locale != "" && !wellFormedLanguageTag(c.Locale) {
		v.add(top, "customer.locale", "%q is not a BCP 47 language tag such as \"en\" or \"nl-NL\"", c.Locale)
	}
}

// wellFormedLanguageTag checks the shape of a BCP 47 tag (RFC 5646 §2.1):
// a 2–3 or 5–8 letter language, then subtags of 1–8 letters or digits. It
// does not check the registry; the notifier falls back to its default
// locale for tags it has no template for.
func wellFormedLanguageTag(tag string) bool {
	start := 0
	for i := 0; i <= len(tag); i++ {
		if i < len(tag) && tag[i] != '-' {
			c := tag[i] | 0x20
			if !(c >= 'a' && c <= 'z') && !(tag[i] >= '0' && tag[i] <= '9') {
				return false
			}
			continue
		}
		n := i - start
		if n < 1 || n > 8 {
			return false
		}
		if start == 0 {
			if n == 4 || n < 2 {
				return false
			}
			for _, c := range []byte(tag[:i]) {
				if c >= '0' && c <= '9' {
					return false
				}
			}
		}
		start = i + 1
	}
	return true
}

// index finds the first position of an id. Orders are small, so it scans
// an array below a threshold and only builds a map for large orders,
// keeping Validate of a typical order nearly free of allocations.
type index struct {
	small [indexMapThreshold]string // small[i] is the id at position i; "" for none
	n     int                       // positions used in small
	pos   map[string]int
}

const indexMapThreshold = 16

func newIndex(n int) index {
	if n > indexMapThreshold {
		return index{pos: make(map[string]int, n)}
	}
	return index{}
}

// add records id at position i (ids are added in increasing positions);
// when id was seen before it returns the first position and true.
func (x *index) add(id string, i int) (first int, dup bool) {
	if first = x.firstOf(id); first >= 0 {
		return first, true
	}
	if x.pos != nil {
		x.pos[id] = i
	} else if i < len(x.small) {
		x.small[i] = id
		x.n = i + 1
	}
	return i, false
}

// firstOf returns the first position of id, or -1.
func (x *index) firstOf(id string) int {
	if x.pos != nil {
		if i, ok := x.pos[id]; ok {
			return i
		}
		return -1
	}
	for i := range x.n {
		if id != "" && x.small[i] == id {
			return i
		}
	}
	return -1
}

// describeInvalid renders a Validate error as one line for a shipment
// result's Reason: "field: problem; field: problem".
func describeInvalid(err error) string {
	var parts []string
	for _, e := range flatten(err) {
		var ve *ValidationError
		if errors.As(e, &ve) {
			parts = append(parts, ve.Field+": "+ve.Problem)
		} else {
			parts = append(parts, e.Error())
		}
	}
	return "the order is invalid: " + strings.Join(parts, "; ")
}

// flatten returns the errors joined in err (err itself when it joins none).
func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
