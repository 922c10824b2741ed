package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/textproto"
	"strings"

	mail "github.com/wneessen/go-mail"
)

// classifySend turns an attempt's error into a SendError: temporary for
// 4xx replies and failures of the connection itself (RFC 5321 §4.2.1: 4yz
// is a transient negative completion, 5yz permanent), permanent for 5xx
// replies, addresses go-mail refuses, and TLS or AUTH setups that cannot
// work.
func classifySend(err error) *SendError {
	se := &SendError{Err: err}
	var ms *mail.SendError
	var te *textproto.Error
	switch {
	case errors.As(err, &ms):
		se.Code, se.EnhancedCode = ms.ErrorCode(), ms.EnhancedStatusCode()
		if se.Code == 0 {
			se.Temporary = !permanentReason(ms.Reason)
			return se
		}
	case errors.As(err, &te):
		se.Code = te.Code
	default:
		se.Temporary = temporaryFailure(err)
		return se
	}
	se.Temporary = se.Code >= 400 && se.Code < 500
	return se
}

// permanentReason reports the go-mail failures without a server reply
// that sending again cannot fix: the message's own addresses, or a server
// that cannot take unencoded mail.
func permanentReason(r mail.SendErrReason) bool {
	return r == mail.ErrGetSender || r == mail.ErrGetRcpts || r == mail.ErrNoUnencoded
}

// temporaryFailure classifies an error without an SMTP reply: the network
// and the context are temporary; a certificate the client does not trust,
// a server without STARTTLS or without a usable AUTH mechanism are setups
// that no retry fixes.
func temporaryFailure(err error) bool {
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var recordErr tls.RecordHeaderError
	var netErr net.Error
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return true
	case errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &hostErr), errors.As(err, &recordErr):
		return false
	case errors.Is(err, errPoolClosed):
		return false
	case errors.As(err, &netErr), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
		return true
	case errors.Is(err, mail.ErrNoSupportedAuthDiscovered):
		return false
	}
	// go-mail reports a server without STARTTLS or AUTH with plain
	// errors; everything else unknown is taken as temporary, as
	// tracking.Classify does, bounded by the retry count.
	return !isSetupError(err)
}

// keepAfter reports whether a connection can carry the next email after a
// failed one: after a reply the session goes on (go-mail sent RSET), except
// after 421, with which the server closes it; after a failure without a
// reply the connection is in an unknown state.
func keepAfter(err error) bool {
	se := classifySend(err)
	return se.Code != 0 && se.Code != 421
}

// isSetupError recognizes go-mail's plain errors for a server that lacks
// what the mailer requires. go-mail has no types for them, so their text
// is matched; a changed text only makes them temporary, which the retry
// count bounds.
func isSetupError(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "does not support STARTTLS") ||
		strings.Contains(msg, "does not support SMTP AUTH")
}
