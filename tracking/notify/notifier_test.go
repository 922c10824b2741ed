package notify_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/notify"
)

// export runs the order through the notifier and returns the states by
// package id.
func export(t *testing.T, n *notify.Notifier, o tracking.Order) map[string]tracking.ShipmentResult {
	t.Helper()
	res, err := n.Export(t.Context(), o)
	require.NoError(t, err)
	require.Equal(t, "notify", res.Exporter)
	require.Len(t, res.Shipments, len(o.Shipments), "one result per package")
	out := map[string]tracking.ShipmentResult{}
	for _, s := range res.Shipments {
		out[s.ShipmentID] = s
	}
	return out
}

func states(rs map[string]tracking.ShipmentResult) map[string]tracking.State {
	out := map[string]tracking.State{}
	for id, r := range rs {
		out[id] = r.State
	}
	return out
}

func TestShipmentShippedOncePerPackage(t *testing.T) {
	mail := &recorder{}
	n := newNotifier(t, mail, notify.WithLedger(tracking.NewMemoryLedger()))
	o := demoOrder()
	o.Shipments[1].TrackingNumber = ""

	got := export(t, n, o)
	require.Equal(t, tracking.Pushed, got["SHP-1"].State)
	require.Equal(t, tracking.Waiting, got["SHP-2"].State)
	require.Contains(t, got["SHP-2"].Reason, "shipment-shipped: the package has no tracking number yet")
	require.Len(t, mail.messages(), 1)
	first := mail.messages()[0]
	require.Equal(t, got["SHP-1"].RemoteID, first.MessageID)
	require.Equal(t, "SHP-1", first.ShipmentID)
	require.Equal(t, notify.ShipmentShipped, first.Trigger)

	o.Shipments[1].TrackingNumber = "00340434161094042557"
	got = export(t, n, o)
	require.Equal(t, map[string]tracking.State{"SHP-1": tracking.AlreadyPushed, "SHP-2": tracking.Pushed}, states(got))
	require.Equal(t, first.MessageID, got["SHP-1"].RemoteID)

	got = export(t, n, o)
	require.Equal(t, map[string]tracking.State{"SHP-1": tracking.AlreadyPushed, "SHP-2": tracking.AlreadyPushed}, states(got))
	require.Len(t, mail.messages(), 2, "a rerun sends nothing twice")
}

func TestOrderFullyShippedListsEveryPackageOnce(t *testing.T) {
	mail := &recorder{}
	store := demoStore()
	store.Triggers = map[string]notify.Mode{notify.ShipmentShipped: notify.Off, notify.OrderFullyShipped: notify.On}
	n := newNotifier(t, mail, notify.WithStore(shop, store), notify.WithLedger(tracking.NewMemoryLedger()))
	o := demoOrder()
	o.Status = tracking.StatusPartiallyShipped

	got := export(t, n, o)
	require.Equal(t, map[string]tracking.State{"SHP-1": tracking.Waiting, "SHP-2": tracking.Waiting}, states(got))
	require.Contains(t, got["SHP-1"].Reason, "order-fully-shipped: the order is partially_shipped, not fully shipped yet")
	require.Empty(t, mail.messages())

	o.Status = tracking.StatusFullyShipped
	got = export(t, n, o)
	require.Equal(t, map[string]tracking.State{"SHP-1": tracking.Pushed, "SHP-2": tracking.Pushed}, states(got))
	require.Equal(t, got["SHP-1"].RemoteID, got["SHP-2"].RemoteID, "one email for the order")
	msgs := mail.messages()
	require.Len(t, msgs, 1)
	require.Equal(t, "", msgs[0].ShipmentID)
	for _, s := range o.Shipments {
		require.Contains(t, msgs[0].Text, s.TrackingNumber)
	}
	require.Contains(t, msgs[0].Text, "Pakket 2 van 2")

	got = export(t, n, o)
	require.Equal(t, map[string]tracking.State{"SHP-1": tracking.AlreadyPushed, "SHP-2": tracking.AlreadyPushed}, states(got))
	require.Len(t, mail.messages(), 1)
}

func TestTrackingUpdatedOncePerNewNumber(t *testing.T) {
	for _, first := range []string{notify.ShipmentShipped, notify.OrderFullyShipped} {
		t.Run("after "+first, func(t *testing.T) {
			mail := &recorder{}
			store := demoStore()
			store.Triggers = map[string]notify.Mode{notify.ShipmentShipped: notify.Off, first: notify.On}
			n := newNotifier(t, mail, notify.WithStore(shop, store), notify.WithLedger(tracking.NewMemoryLedger()))
			o := demoOrder()
			export(t, n, o)
			sentBefore := len(mail.messages())

			got := export(t, n, o)
			require.Equal(t, tracking.AlreadyPushed, got["SHP-1"].State, "an unchanged number sends nothing")

			old := o.Shipments[0].TrackingNumber
			o.Shipments[0].TrackingNumber = "3SDEVC7654321"
			got = export(t, n, o)
			require.Equal(t, tracking.Pushed, got["SHP-1"].State)
			require.Equal(t, tracking.AlreadyPushed, got["SHP-2"].State)
			msgs := mail.messages()[sentBefore:]
			require.Len(t, msgs, 1)
			require.Equal(t, notify.TrackingUpdated, msgs[0].Trigger)
			require.Equal(t, "Nieuwe track & trace-code voor je bestelling SC-1042", msgs[0].Subject)
			require.Contains(t, msgs[0].Text, "Vorige code: "+old)
			require.Contains(t, msgs[0].Text, "Track & trace-code: 3SDEVC7654321")
			require.Contains(t, msgs[0].Text, "https://jouw.postnl.nl/track-and-trace/3SDEVC7654321")

			export(t, n, o)
			require.Len(t, mail.messages(), sentBefore+1, "the same new number is announced once")

			o.Shipments[0].TrackingNumber = "3SDEVC1111111"
			export(t, n, o)
			msgs = mail.messages()
			require.Len(t, msgs, sentBefore+2, "a second change is a second email")
			require.Contains(t, msgs[len(msgs)-1].Text, "Vorige code: 3SDEVC7654321")
		})
	}
}

func TestCustomTrigger(t *testing.T) {
	express := &notify.Trigger{
		Name:    "express-dispatched",
		Default: notify.On,
		Due: func(e notify.Event) notify.Verdict {
			if e.Sent != nil || e.Package.Service != "express" {
				return notify.Verdict{}
			}
			if e.Package.TrackingNumber == "" {
				return notify.Wait("no tracking number yet")
			}
			return notify.SendNow()
		},
		Templates: []notify.Template{{
			Subject: "Express: {{.Order.Reference}}",
			Text:    "{{range .Packages}}{{.Carrier}} {{.TrackingNumber}} {{.TrackingURL}}{{end}}",
			HTML:    `{{range .Packages}}<a href="{{.TrackingURL}}">{{.TrackingNumber}}</a>{{end}}`,
		}},
	}
	mail := &recorder{}
	store := demoStore()
	store.Triggers = map[string]notify.Mode{notify.ShipmentShipped: notify.Off}
	n := newNotifier(t, mail, notify.WithStore(shop, store), notify.WithTriggers(express), notify.WithLedger(tracking.NewMemoryLedger()))
	require.Equal(t, []string{"shipment-shipped", "order-fully-shipped", "tracking-updated", "express-dispatched"}, n.Triggers())
	o := demoOrder()
	o.Shipments[1].Service = "express"

	got := export(t, n, o)
	require.Equal(t, tracking.Waiting, got["SHP-1"].State, "nothing is due for a standard package")
	require.Equal(t, tracking.Pushed, got["SHP-2"].State)
	msgs := mail.messages()
	require.Len(t, msgs, 1)
	require.Equal(t, "Express: SC-1042", msgs[0].Subject)
	require.Equal(t, "en", msgs[0].Locale, "a trigger with locale-less templates only speaks English")
	require.True(t, strings.HasPrefix(msgs[0].Text, "DHL Paket 00340434161094042557 https://"))
	require.Equal(t, tracking.AlreadyPushed, export(t, n, o)["SHP-2"].State)
}

func TestLocaleFallback(t *testing.T) {
	tests := []struct {
		customer, storeDefault string
		subject, locale        string
	}{
		{"nl-BE", "", "Je bestelling SC-1042 is onderweg", "nl"},
		{"nl_NL", "de", "Je bestelling SC-1042 is onderweg", "nl"},
		{"de-AT", "", "Ihre Bestellung SC-1042 ist unterwegs", "de"},
		{"FR", "", "Votre commande SC-1042 est en route", "fr"},
		{"it-IT", "fr-BE", "Votre commande SC-1042 est en route", "fr"},
		{"", "de", "Ihre Bestellung SC-1042 ist unterwegs", "de"},
		{"ja", "", "Your order SC-1042 is on its way", "en"},
		{"not a tag!", "", "Your order SC-1042 is on its way", "en"},
		{"es-MX", "", "Tu pedido SC-1042 está en camino", "es"},
		{"es", "", "Tu pedido SC-1042 está en camino", "es"},
	}
	for _, tt := range tests {
		t.Run(tt.customer+"/"+tt.storeDefault, func(t *testing.T) {
			store := demoStore()
			store.Locale = tt.storeDefault
			store.Templates = []notify.Template{{Locale: "es", Subject: "Tu pedido {{.Order.Reference}} está en camino", Text: "Hola", HTML: "<p>Hola</p>"}}
			n := newNotifier(t, &recorder{}, notify.WithStore(shop, store))
			o := demoOrder()
			o.Customer.Locale = tt.customer
			msgs, err := n.Preview(t.Context(), o, notify.ShipmentShipped)
			require.NoError(t, err)
			require.Equal(t, tt.subject, msgs[0].Subject)
			require.Equal(t, tt.locale, msgs[0].Locale)
		})
	}
}

func TestTemplatesFailAtConfiguration(t *testing.T) {
	store := demoStore()
	store.Templates = []notify.Template{
		{Trigger: notify.ShipmentShipped, Locale: "nl", Subject: "{{.Order.Reference"},                      // does not parse
		{Trigger: notify.OrderFullyShipped, HTML: "<p>{{.Customer.Nickname}}</p>"},                          // unknown field
		{Trigger: notify.TrackingUpdated, Text: "{{range .Packages}}{{.Weight}}{{end}}"},                    // unknown field in a list
		{Trigger: notify.ShipmentShipped, Locale: "de", Text: "{{if not .Customer.Name}}{{.Bogus}}{{end}}"}, // only on empty data
		{Trigger: "no-such-trigger", Subject: "x"},
		{Locale: "en_US!", Subject: "x"},
		{Locale: "it"},
	}
	store.Triggers = map[string]notify.Mode{"shipment-shiped": notify.On}
	store.ListUnsubscribe = []string{"javascript:alert(1)", "https://ok.example/u>, <https://evil.example"}
	custom := &notify.Trigger{Name: "no-templates", Due: func(notify.Event) notify.Verdict { return notify.SendNow() }}
	_, err := notify.New(&recorder{}, notify.WithStore(shop, store), notify.WithTriggers(custom))
	require.ErrorIs(t, err, notify.ErrConfig)
	msg := err.Error()
	for _, want := range []string{
		`store "demo-shop.myshopify.com" trigger "shipment-shipped" locale "nl" subject template: does not parse`,
		`trigger "order-fully-shipped" locale "de" html template: fails to render`, `can't evaluate field Nickname`,
		`can't evaluate field Weight`,
		`trigger "shipment-shipped" locale "de" text template: fails to render`, `can't evaluate field Bogus`,
		`trigger "no-such-trigger" template: names a trigger the Notifier does not have`,
		`locale "en_US!" template: the locale is not a language tag`,
		`locale "it" template: sets no part`,
		`triggers: unknown trigger "shipment-shiped"`,
		`list-unsubscribe: "javascript:alert(1)": want an https: URL or a mailto: URI`,
		`list-unsubscribe: "https://ok.example/u>, <https://evil.example" holds a character not allowed`,
		`trigger "no-templates" locale "en" subject, text, html template: none is set`,
	} {
		require.Contains(t, msg, want)
	}
	var ce *notify.ConfigError
	require.ErrorAs(t, err, &ce)
}

func TestNewChecksSettings(t *testing.T) {
	_, err := notify.New(nil)
	require.ErrorIs(t, err, notify.ErrConfig)
	require.Contains(t, err.Error(), "mailer: is nil")
	require.Contains(t, err.Error(), "stores: none")

	_, err = notify.New(&recorder{}, notify.WithStore(shop, notify.StoreConfig{From: "not an address", ReplyTo: "x", Locale: "??"}))
	for _, want := range []string{"from: \"not an address\" is not an email address", "reply-to:", "locale: \"??\" is not a language tag"} {
		require.Contains(t, err.Error(), want)
	}

	bad := []*notify.Trigger{{Name: "Bad Name", Due: func(notify.Event) notify.Verdict { return notify.Verdict{} }}, {Name: "no-due"}, {Name: notify.ShipmentShipped, Due: func(notify.Event) notify.Verdict { return notify.Verdict{} }}}
	_, err = notify.New(&recorder{}, notify.WithDefaultStore(demoStore()), notify.WithTriggers(bad...))
	for _, want := range []string{`name "Bad Name"`, `trigger "no-due" has no Due function`, `two triggers are named "shipment-shipped"`} {
		require.Contains(t, err.Error(), want)
	}
}

func TestUnknownStoreFailsWithAReason(t *testing.T) {
	n := newNotifier(t, &recorder{}, notify.WithLedger(tracking.NewMemoryLedger()))
	o := demoOrder()
	o.Store = "other-shop.myshopify.com"
	got := export(t, n, o)
	require.Equal(t, tracking.Failed, got["SHP-1"].State)
	require.Contains(t, got["SHP-1"].Reason, `store "other-shop.myshopify.com" store: has no notification settings: add WithStore for it, or WithDefaultStore`)
	require.ErrorIs(t, got["SHP-1"].Err, notify.ErrConfig)

	n = newNotifier(t, &recorder{}, notify.WithDefaultStore(demoStore()), notify.WithLedger(tracking.NewMemoryLedger()))
	require.Equal(t, tracking.Pushed, export(t, n, o)["SHP-1"].State)
	o.Store = strings.ToUpper(shop)
	n = newNotifier(t, &recorder{}, notify.WithLedger(tracking.NewMemoryLedger()))
	require.Equal(t, tracking.Pushed, export(t, n, o)["SHP-1"].State, "store keys ignore case")
}

func TestWithoutLedgerEveryPackageFails(t *testing.T) {
	n := newNotifier(t, &recorder{})
	got := export(t, n, demoOrder())
	require.Equal(t, tracking.Failed, got["SHP-1"].State)
	require.ErrorIs(t, got["SHP-1"].Err, notify.ErrNoLedger)
}

func TestCustomerAddressProblemsFailNamingTheOrder(t *testing.T) {
	for _, addr := range []string{"", "   ", "anna@", "Anna <anna@example.com>", "anna@example.com\r\nBcc: x@evil.example", "a b@example.com"} {
		t.Run(addr, func(t *testing.T) {
			mail := &recorder{}
			n := newNotifier(t, mail, notify.WithLedger(tracking.NewMemoryLedger()))
			o := demoOrder()
			o.Customer.Email = addr
			got := export(t, n, o)
			for _, id := range []string{"SHP-1", "SHP-2"} {
				require.Equal(t, tracking.Failed, got[id].State)
				require.ErrorIs(t, got[id].Err, notify.ErrAddress)
				require.Contains(t, got[id].Reason, `order "SC-1042"`)
			}
			require.Empty(t, mail.messages())
		})
	}
}

func TestFailedSendIsRetriedOnTheNextRun(t *testing.T) {
	fails := 1
	mail := &recorder{fail: func(m *notify.Message) error {
		if m.ShipmentID == "SHP-2" && fails > 0 {
			fails--
			return &notify.SendError{To: m.To, Code: 451, Temporary: true, Err: errors.New("451 4.7.1 greylisted")}
		}
		return nil
	}}
	n := newNotifier(t, mail, notify.WithLedger(tracking.NewMemoryLedger()))
	o := demoOrder()
	got := export(t, n, o)
	require.Equal(t, tracking.Pushed, got["SHP-1"].State)
	require.Equal(t, tracking.Failed, got["SHP-2"].State)
	require.Contains(t, got["SHP-2"].Reason, "451 4.7.1 greylisted")
	var se *notify.SendError
	require.ErrorAs(t, got["SHP-2"].Err, &se)
	require.True(t, se.Retryable())

	got = export(t, n, o)
	require.Equal(t, map[string]tracking.State{"SHP-1": tracking.AlreadyPushed, "SHP-2": tracking.Pushed}, states(got))
	require.Len(t, mail.messages(), 2)
}

func TestHostileValuesAreEscaped(t *testing.T) {
	mail := &recorder{}
	hostile := `<script>alert("x")</script>`
	n := newNotifier(t, mail, notify.WithLedger(tracking.NewMemoryLedger()),
		notify.WithItemNames(func(_ tracking.Order, l tracking.Line) string { return l.SKU + " " + hostile }),
		notify.WithOrderReference(func(tracking.Order) string { return "#1042\r\nBcc: victim@example.com" }))
	o := demoOrder()
	o.Customer.Name = `Anna"><img src=x onerror=alert(1)>`
	o.Shipments[1].TrackingURL = "javascript:alert(1)"
	got := export(t, n, o)
	require.Equal(t, tracking.Pushed, got["SHP-2"].State)
	require.Contains(t, strings.Join(got["SHP-2"].Warnings, " "), `tracking URL "javascript:alert(1)" is not an http(s) URL`)
	for _, m := range mail.messages() {
		require.NotContains(t, m.HTML, "<script>")
		require.Contains(t, m.HTML, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;")
		require.NotContains(t, m.HTML, "<img")
		require.NotContains(t, m.HTML, "javascript:")
		require.Contains(t, m.Text, hostile, "the text part shows the name as it is")
		require.NotContains(t, m.Subject, "\n")
		require.Equal(t, "Je bestelling #1042 Bcc: victim@example.com is onderweg", m.Subject)
	}
}
