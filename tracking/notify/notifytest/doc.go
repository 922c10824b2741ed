// Package notifytest runs an in-process SMTP server for tests, the way
// net/http/httptest runs an HTTP server: a real server (github.com/emersion/go-smtp)
// on a loopback address, with STARTTLS or implicit TLS under a certificate it
// generates, and AUTH PLAIN, so that tracksync's SMTP mailer, or any other
// SMTP client, talks to it unchanged.
//
// A test starts a Server, points its mailer at Host and Port with the
// server's credentials and ClientTLSConfig, and afterwards inspects what the
// server received:
//
//	srv := notifytest.NewServer()
//	defer srv.Close()
//	mailer, _ := notify.NewSMTPMailer(srv.Host(), srv.Port(),
//		notify.WithAuth(srv.Username(), notify.Secret(srv.Password())),
//		notify.WithTLSConfig(srv.ClientTLSConfig()))
//	// … send …
//	for _, m := range srv.Messages() {
//		// m.Header, m.Subject, m.Text, m.HTML, m.Conn
//	}
//
// What it does like a real submission server (RFC 6409, RFC 5321, RFC 3207,
// RFC 4954):
//
//   - It refuses MAIL before AUTH (530 5.7.0), and offers AUTH only after TLS.
//   - A 421 reply closes the connection after it is sent (RFC 5321 §3.8).
//   - It counts connections, so a test can check that a batch reused one.
//   - Every received message is kept raw and parsed: headers, the decoded
//     Subject, and the decoded text/plain and text/html parts.
//
// Faults (InjectFault) make it answer MAIL, RCPT or DATA with a chosen
// reply (451 greylisting, 421 shutting down, 550 no such user), drop the
// connection without a reply, or hold a reply back; Reject refuses one
// address for good.
package notifytest
