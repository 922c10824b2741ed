package main

import (
	"cmp"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/carrier"
	"github.com/shopctrl/tracksync/tracking/notify"
	"github.com/shopctrl/tracksync/tracking/notify/notifytest"
)

// emails is the quickstart's customer side: the test SMTP server of
// notify/notifytest stands in for the shop's mail provider, and the
// Notifier emails each package's tracking details once the channel holds
// it.
type emails struct {
	srv      *notifytest.Server
	mailer   *notify.SMTPMailer
	ledger   *tracking.FileLedger
	notifier *notify.Notifier
	shown    int
}

// productNames are the titles customers know the demo SKUs by.
var productNames = map[string]string{
	"MUG-RED": "Red mug", "TEE-M-BLK": "T-shirt, black, M", "POSTER-A2": "Poster A2",
	"KETTLE-1L": "Kettle 1 l", "FILTER-3P": "Water filter, 3-pack",
}

// startEmails starts the SMTP server, the mailer and the Notifier. The
// Notifier keeps its records in a ledger of its own, which the quickstart's
// third run does not lose: a mail server, unlike a channel, cannot be read
// back, so emails whose records are lost would go out again.
func startEmails(dir string, m notify.CarrierMapping) (*emails, error) {
	e := &emails{srv: notifytest.NewServer()}
	var err error
	if e.mailer, err = notify.NewSMTPMailer(e.srv.Host(), e.srv.Port(),
		notify.WithAuth(e.srv.Username(), notify.Secret(e.srv.Password())),
		notify.WithTLSConfig(e.srv.ClientTLSConfig())); err != nil {
		e.Close()
		return nil, err
	}
	if e.ledger, err = tracking.OpenFileLedger(filepath.Join(dir, "emails.jsonl")); err != nil {
		e.Close()
		return nil, err
	}
	shop := notify.StoreConfig{Name: "Demo Shop", From: "Demo Shop <orders@demo-shop.example>",
		Triggers: map[string]notify.Mode{notify.ShipmentShipped: notify.AfterChannel}}
	if e.notifier, err = notify.New(e.mailer, notify.WithDefaultStore(shop), notify.WithLedger(e.ledger),
		notify.WithLinker(notify.MappingLinks(m, demoDestination)),
		notify.WithItemNames(func(_ tracking.Order, l tracking.Line) string { return productNames[l.SKU] }),
		notify.WithOrderReference(demoReference)); err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

// demoDestination is where the demo orders go; PostNL links to its full
// tracking page with it.
func demoDestination(o tracking.Order) carrier.Destination {
	if o.ID == "SC-1042" {
		return carrier.Destination{Country: "NL", Postcode: "1017 CE"}
	}
	return carrier.Destination{}
}

// demoReference is the order number the customer saw: Shopify's order
// name ("#1042" for host order SC-1042), Amazon's order id.
func demoReference(o tracking.Order) string {
	if strings.HasPrefix(o.ChannelOrderID, "gid://shopify/") {
		return "#" + strings.TrimPrefix(o.ID, "SC-")
	}
	return o.ChannelOrderID
}

// Close stops the mailer and the server and closes the ledger.
func (e *emails) Close() {
	if e.mailer != nil {
		_ = e.mailer.Close()
	}
	if e.ledger != nil {
		_ = e.ledger.Close()
	}
	e.srv.Close()
}

// print shows the emails the server received since the last call: subject
// and text part of each, by recipient (the Syncer sends orders in
// parallel, so they arrive in no fixed order).
func (e *emails) print(out io.Writer) {
	msgs := e.srv.Messages()[e.shown:]
	e.shown += len(msgs)
	slices.SortStableFunc(msgs, func(a, b notifytest.Message) int {
		return cmp.Or(cmp.Compare(a.To[0], b.To[0]), cmp.Compare(a.Text, b.Text))
	})
	fmt.Fprintf(out, "\nEmails to customers: %d sent (the mail server has seen %d SMTP connection(s) in all)\n", len(msgs), e.srv.Connections())
	for _, m := range msgs {
		fmt.Fprintf(out, "\n  To: %s\n  Subject: %s\n", strings.Join(m.To, ", "), m.Subject)
		for _, line := range strings.Split(strings.TrimRight(strings.ReplaceAll(m.Text, "\r\n", "\n"), "\n"), "\n") {
			fmt.Fprintf(out, "  | %s\n", line)
		}
	}
}
