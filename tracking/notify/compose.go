package notify

import (
	"context"
	"fmt"
	"net/mail"
	"strings"

	"github.com/shopctrl/tracksync/tracking"
)

// email is one email an order owes now.
type email struct {
	trigger  *Trigger
	shipment string // the package's id; "" for a per-order email
	packages []tracking.Shipment
	// previous holds, by package id, the number the customer was sent
	// before, when it changed.
	previous map[string]string
}

// composed is a rendered email with the problems that did not stop it.
type composed struct {
	msg      *Message
	warnings map[string][]string // by package id
}

// compose renders an email for the order's customer at address to.
func (n *Notifier) compose(ctx context.Context, st *store, o tracking.Order, e email, to string) (composed, error) {
	out := composed{warnings: map[string][]string{}}
	chain := localeChain(o.Customer.Locale, st.locale)
	tmpl, locale := st.catalog.choose(e.trigger.Name, chain)
	d := Data{
		Trigger: e.trigger.Name, Locale: locale, Store: cleanText(o.Store), StoreName: cleanText(st.cfg.Name),
		Customer: Customer{Name: cleanText(o.Customer.Name), Email: to},
		Order:    Order{ID: cleanText(o.ID), Reference: cleanText(n.reference(o))},
		Packages: make([]Package, 0, len(e.packages)),
	}
	for _, s := range e.packages {
		p, warn, err := n.pack(ctx, o, s, e.previous[s.ID])
		if err != nil {
			return out, err
		}
		if warn != "" {
			out.warnings[s.ID] = append(out.warnings[s.ID], warn)
		}
		d.Packages = append(d.Packages, p)
	}
	r, err := tmpl.render(&d)
	if err != nil {
		if ce, ok := err.(*ConfigError); ok {
			ce.Store, ce.Trigger, ce.Locale = st.key, e.trigger.Name, locale
		}
		return out, err
	}
	out.msg = &Message{
		From: st.cfg.From, ReplyTo: st.cfg.ReplyTo, To: to, ToName: d.Customer.Name,
		Subject: r.subject, Text: r.text, HTML: r.html,
		MessageID:       messageID(st.cfg.From, o.Store, o.ID, e.shipment, e.trigger.Name, recordNumbers(e.trigger.PerOrder, e.packages)),
		Date:            n.now(),
		ListUnsubscribe: st.cfg.ListUnsubscribe,
		Store:           o.Store, OrderID: o.ID, ShipmentID: e.shipment, Trigger: e.trigger.Name, Locale: locale,
	}
	return out, nil
}

// pack is one package as the email shows it. A link that is not an
// http(s) URL is left out with a warning rather than put in front of the
// customer.
func (n *Notifier) pack(ctx context.Context, o tracking.Order, s tracking.Shipment, previous string) (Package, string, error) {
	link, err := n.linker.Link(ctx, o, s)
	if err != nil {
		return Package{}, "", fmt.Errorf("package %q: tracking link: %w", s.ID, err)
	}
	warning := ""
	if link.URL != "" {
		if err := checkLink(link.URL); err != nil {
			warning = err.Error() + "; the email goes out without a link"
			link.URL = ""
		}
	}
	carrierName := link.Carrier
	if carrierName == "" {
		carrierName = s.Carrier
	}
	p := Package{
		ID: cleanText(s.ID), Carrier: cleanText(carrierName), TrackingNumber: cleanText(s.TrackingNumber),
		TrackingURL: link.URL, PreviousTrackingNumber: cleanText(previous), ShippedAt: s.ShippedAt,
		Items: make([]Item, 0, len(s.Items)),
	}
	for _, it := range s.Items {
		line, _ := o.Line(it.LineID)
		p.Items = append(p.Items, Item{Name: cleanText(n.itemName(o, line)), SKU: cleanText(line.SKU), Quantity: it.Quantity})
	}
	return p, warning, nil
}

// customerAddress returns the order's customer address, or an
// *AddressError naming the order.
func customerAddress(o tracking.Order) (string, error) {
	raw := strings.TrimSpace(o.Customer.Email)
	if raw == "" {
		return "", &AddressError{Store: o.Store, OrderID: o.ID}
	}
	a, err := mail.ParseAddress(raw)
	switch {
	case err != nil:
		return "", &AddressError{Store: o.Store, OrderID: o.ID, Address: raw, Problem: err.Error()}
	case a.Name != "" || a.Address != raw:
		return "", &AddressError{Store: o.Store, OrderID: o.ID, Address: raw, Problem: "want the address alone, such as anna@example.com"}
	}
	return a.Address, nil
}
