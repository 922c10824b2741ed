package notify_test

import (
	"testing"
	"time"

	"github.com/shopctrl/tracksync/tracking/notify"
	"github.com/shopctrl/tracksync/tracking/notify/notifytest"
)

// BenchmarkRender renders one email (subject, text and HTML parts, with
// the carrier link): the goal is under 50 µs.
func BenchmarkRender(b *testing.B) {
	n := newNotifier(b, &recorder{})
	o := demoOrder()
	o.Shipments = o.Shipments[:1]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := n.Preview(b.Context(), o, notify.ShipmentShipped); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSend1000 sends 1 000 emails to the test SMTP server (STARTTLS,
// AUTH) with the default settings: one connection. It reports the wall
// time of 1 000 emails and the connections they used.
func BenchmarkSend1000(b *testing.B) {
	srv := notifytest.NewServer()
	defer srv.Close()
	m := newMailer(b, srv)
	msgs := make([]*notify.Message, 1000)
	for i := range msgs {
		msgs[i] = testMessage(i)
	}
	b.ReportAllocs()
	start, conns := time.Now(), srv.Connections()
	for b.Loop() {
		for _, msg := range msgs {
			if err := m.Send(b.Context(), msg); err != nil {
				b.Fatal(err)
			}
		}
		srv.Reset()
	}
	b.ReportMetric(float64(time.Since(start).Milliseconds())/float64(b.N), "ms/1000emails")
	b.ReportMetric(float64(srv.Connections()-conns), "connections-in-all")
}
