package notify_test

import (
	"context"
	"fmt"
	"time"

	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/notify"
	"github.com/shopctrl/tracksync/tracking/notify/notifytest"
	"github.com/shopctrl/tracksync/tracking/trackingtest"
)

// The Notifier runs in a Syncer beside the channel's exporter and sends
// through an SMTP server; here the test server of notifytest stands in for
// the host's mail provider, and a recording exporter for Shopify.
func Example() {
	srv := notifytest.NewServer()
	defer srv.Close()
	mailer, err := notify.NewSMTPMailer(srv.Host(), srv.Port(),
		notify.WithAuth(srv.Username(), notify.Secret(srv.Password())),
		notify.WithTLSConfig(srv.ClientTLSConfig())) // production: port 587 and the system roots
	if err != nil {
		panic(err)
	}
	defer mailer.Close()
	notifier, err := notify.New(mailer, notify.WithStore("demo-shop.myshopify.com", notify.StoreConfig{
		Name: "Demo Shop", From: "Demo Shop <shop@demo.example>", Locale: "en",
		Triggers: map[string]notify.Mode{notify.ShipmentShipped: notify.AfterChannel},
	}))
	if err != nil {
		panic(err)
	}
	syncer, err := tracking.NewSyncer(tracking.WithExporters(trackingtest.NewExporter("shopify"), notifier))
	if err != nil {
		panic(err)
	}
	for run := 1; run <= 2; run++ {
		results, _ := syncer.Sync(context.Background(), demoOrder())
		for _, s := range results[0].Results[1].Shipments { // the notifier's
			fmt.Println("run", run, s.ShipmentID, s.State)
		}
	}
	for _, m := range srv.Messages() {
		fmt.Println(m.To[0], "|", m.Subject)
	}
	// Output:
	// run 1 SHP-1 pushed
	// run 1 SHP-2 pushed
	// run 2 SHP-1 already_pushed
	// run 2 SHP-2 already_pushed
	// anna@example.com | Je bestelling SC-1042 is onderweg
	// anna@example.com | Je bestelling SC-1042 is onderweg
}

// Preview renders an email without sending it, for a host's settings page.
func ExampleNotifier_Preview() {
	n, err := notify.New(notify.MailerFunc(func(context.Context, *notify.Message) error { return nil }),
		notify.WithDefaultStore(notify.StoreConfig{Name: "Demo Shop", From: "Demo Shop <shop@demo.example>"}),
		notify.WithClock(func() time.Time { return time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC) }))
	if err != nil {
		panic(err)
	}
	o := demoOrder()
	o.Customer.Locale = "de-AT"
	msgs, err := n.Preview(context.Background(), o, notify.ShipmentShipped)
	if err != nil {
		panic(err)
	}
	fmt.Println(msgs[0].Subject)
	fmt.Print(msgs[0].Text)
	// Output:
	// Ihre Bestellung SC-1042 ist unterwegs
	// Hallo Anna de Vries,
	//
	// Gute Nachricht: Ein Paket Ihrer Bestellung SC-1042 wurde versandt.
	//
	// Versanddienstleister: PostNL
	// Sendungsnummer: 3SDEVC1234567
	// Sendung verfolgen: https://jouw.postnl.nl/track-and-trace/3SDEVC1234567
	// Inhalt:
	// - 2 × MUG-RED
	//
	// Viele Grüße
	// Demo Shop
}

// A host adds its own trigger: here a note to customers whose package
// left the warehouse abroad, with its own templates.
func ExampleTrigger() {
	abroad := &notify.Trigger{
		Name:    "shipped-from-abroad",
		Default: notify.On,
		Due: func(e notify.Event) notify.Verdict {
			switch {
			case e.Sent != nil || e.Package.Warehouse != "BER":
				return notify.Verdict{} // nothing owed
			case e.Package.TrackingNumber == "":
				return notify.Wait("no tracking number yet")
			}
			return notify.SendNow()
		},
		Templates: []notify.Template{{
			Subject: "Your package for {{.Order.Reference}} comes from Berlin",
			Text:    "{{range .Packages}}{{.Carrier}} {{.TrackingNumber}}: {{.TrackingURL}}{{end}}\n",
			HTML:    `{{range .Packages}}<a href="{{.TrackingURL}}">{{.Carrier}} {{.TrackingNumber}}</a>{{end}}`,
		}},
	}
	n, err := notify.New(notify.MailerFunc(func(context.Context, *notify.Message) error { return nil }),
		notify.WithDefaultStore(notify.StoreConfig{From: "shop@demo.example"}), notify.WithTriggers(abroad))
	if err != nil {
		panic(err)
	}
	msgs, _ := n.Preview(context.Background(), demoOrder(), "shipped-from-abroad")
	fmt.Println(msgs[1].Subject)
	fmt.Print(msgs[1].Text)
	// Output:
	// Your package for SC-1042 comes from Berlin
	// DHL Paket 00340434161094042557: https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?lang=de&idc=00340434161094042557
}
