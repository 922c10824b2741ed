package notifytest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/shopctrl/tracksync/tracking/notify"
	"github.com/shopctrl/tracksync/tracking/notify/notifytest"
)

// A test sends through the real SMTP mailer to the test server, makes the
// server greylist the first try, and reads what arrived.
func Example() {
	srv := notifytest.NewServer()
	defer srv.Close()
	srv.InjectFault(notifytest.Fault{Stage: notifytest.AtRcpt, Code: 451})

	mailer, err := notify.NewSMTPMailer(srv.Host(), srv.Port(),
		notify.WithAuth(srv.Username(), notify.Secret(srv.Password())),
		notify.WithTLSConfig(srv.ClientTLSConfig()),
		notify.WithRetry(2, 0, 0))
	if err != nil {
		panic(err)
	}
	defer mailer.Close()
	err = mailer.Send(context.Background(), &notify.Message{
		From: "Demo Shop <shop@demo.example>", To: "anna@example.com", Subject: "Your order #1042 is on its way",
		Text: "Track it: https://track.example/1", HTML: `<a href="https://track.example/1">Track it</a>`,
		MessageID: "1042.tracksync@demo.example", Date: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC),
	})
	fmt.Println("sent:", err == nil)
	for _, m := range srv.Messages() {
		fmt.Println(m.Subject, "|", m.ContentType, m.Parts, "| tls:", m.TLS, "| connection", m.Conn)
	}
	// Output:
	// sent: true
	// Your order #1042 is on its way | multipart/alternative [text/plain text/html] | tls: true | connection 1
}
