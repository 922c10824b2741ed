package notify

import (
	"bytes"
	"context"
	"mime"
	"net/mail"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shopctrl/tracksync/tracking"
)

// tagPattern finds the start of every tag; templateTags are those the
// built-in HTML template writes. Any other tag came from the data.
var (
	tagPattern   = regexp.MustCompile(`</?([A-Za-z!][A-Za-z0-9]*)`)
	templateTags = map[string]bool{"!doctype": true, "html": true, "head": true, "meta": true, "title": true, "body": true,
		"div": true, "p": true, "table": true, "tr": true, "th": true, "td": true, "a": true, "br": true, "s": true}
)

// FuzzTemplateData puts hostile strings everywhere outside data reaches an
// email — customer name, order reference, item name and SKU, carrier code,
// tracking number, tracking URL — and checks what the customer would
// receive: no panic, no markup from the data in the HTML part, no header
// lines from the data, a subject on one line.
func FuzzTemplateData(f *testing.F) {
	for _, s := range []string{
		`<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`, "a\r\nBcc: victim@example.com", "\u202etxt.exe",
		"javascript:alert(1)", "{{.Customer.Email}}", "é\x00\x1b[31m", strings.Repeat("x", 300), "https://evil.example/\"><script>",
	} {
		f.Add(s, s, s)
	}
	n, err := New(MailerFunc(func(context.Context, *Message) error { return nil }), WithDefaultStore(StoreConfig{Name: "Shop", From: "Shop <shop@example.com>"}),
		WithItemNames(func(_ tracking.Order, l tracking.Line) string { return l.SKU }),
		WithOrderReference(func(o tracking.Order) string { return o.ChannelOrderID }))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, name, item, number string) {
		o := tracking.Order{
			ID: "SO-1", Channel: "shopify", Store: "shop.myshopify.com", ChannelOrderID: name + item, Status: tracking.StatusFullyShipped,
			Lines: []tracking.Line{{ID: "L1", SKU: item, Quantity: 1}},
			Shipments: []tracking.Shipment{{ID: "S1", Carrier: item, TrackingNumber: number, TrackingURL: number, ShippedAt: time.Unix(0, 0),
				Items: []tracking.Item{{LineID: "L1", Quantity: 1}}}},
			Customer: tracking.Customer{Email: "anna@example.com", Name: name, Locale: item},
		}
		if number == "" {
			o.Shipments[0].TrackingNumber = "X"
		}
		msgs, err := n.Preview(t.Context(), o, ShipmentShipped)
		if err != nil {
			t.Fatalf("preview: %v", err)
		}
		m := msgs[0]
		if strings.ContainsAny(m.Subject, "\r\n") {
			t.Fatalf("subject spans lines: %q", m.Subject)
		}
		for _, tag := range tagPattern.FindAllStringSubmatch(m.HTML, -1) {
			if !templateTags[strings.ToLower(tag[1])] {
				t.Fatalf("HTML part holds a <%s> tag from the data:\n%s", tag[1], m.HTML)
			}
		}
		if strings.Contains(strings.ToLower(m.HTML), `href="javascript`) {
			t.Fatalf("HTML part links to javascript:\n%s", m.HTML)
		}
		gm, err := buildMsg(m)
		if err != nil {
			t.Fatalf("build: %v", err)
		}
		var buf bytes.Buffer
		if _, err := gm.WriteTo(&buf); err != nil {
			t.Fatalf("write: %v", err)
		}
		parsed, err := mail.ReadMessage(&buf)
		if err != nil {
			t.Fatalf("the MIME does not parse: %v", err)
		}
		for _, h := range []string{"Bcc", "Cc"} {
			if _, ok := parsed.Header[h]; ok {
				t.Fatalf("data added a %s header", h)
			}
		}
		if got := len(parsed.Header["Subject"]); got != 1 {
			t.Fatalf("%d Subject headers", got)
		}
		subject, err := new(mime.WordDecoder).DecodeHeader(parsed.Header.Get("Subject"))
		if err != nil || subject != m.Subject {
			t.Fatalf("subject %q decodes to %q (%v)", m.Subject, subject, err)
		}
	})
}
