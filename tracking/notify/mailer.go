package notify

import (
	"context"
	"fmt"
	"strings"
)

// A Mailer sends one email. SMTPMailer is the real one; a host may put its
// email provider's API behind this interface. Send must be safe for
// concurrent use and return an error that tells whether trying again can
// help: a *SendError, or any error with a Retryable() bool method.
type Mailer interface {
	Send(ctx context.Context, m *Message) error
}

// SendError reports an email the mail server did not take.
type SendError struct {
	To string // the recipient address
	// Code is the server's reply code (421, 451, 550, ...); 0 when there
	// was no reply (the connection failed, the context ended).
	Code int
	// EnhancedCode is the RFC 3463 status code of the reply, such as
	// "5.1.1", when the server sent one.
	EnhancedCode string
	// Temporary is set for what may work later: 4xx replies, connection
	// failures, timeouts. A 5xx reply, a refused or malformed address are
	// permanent.
	Temporary bool
	Attempts  int // how many times the email was tried
	Err       error
}

// Error says what happened and whether a later run helps.
func (e *SendError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "notify: sending to %q failed", e.To)
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	if e.Temporary {
		b.WriteString(" (temporary: a later run tries again)")
	} else {
		b.WriteString(" (permanent: the server refused it; fix the address or the mail setup)")
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *SendError) Unwrap() error { return e.Err }

// Retryable reports whether trying again later can help; tracking.Classify
// reads it.
func (e *SendError) Retryable() bool { return e.Temporary }

// MailerFunc adapts a function to Mailer, for tests and for hosts that
// hand emails to their own queue.
type MailerFunc func(ctx context.Context, m *Message) error

// Send calls f.
func (f MailerFunc) Send(ctx context.Context, m *Message) error { return f(ctx, m) }
