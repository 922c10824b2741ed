package httpx

import (
	"crypto/tls"
	"net/http"
)

// transport wraps the base RoundTripper of every client built by NewClient.
//
// It has two jobs:
//
//  1. Set the User-Agent when the caller did not, so every request from this
//     module identifies itself the same way.
//  2. Remember which request a transport error belongs to. retryablehttp calls
//     CheckRetry(ctx, resp, err) and, when the connection failed, resp is nil:
//     the policy would not know whether the failed request was a GET (safe to
//     replay) or a POST (maybe already processed). Wrapping the error here, at
//     the only place that sees both the request and the failure, carries the
//     request through net/http's *url.Error to Classify. This works for every
//     way of sending (Client.Do, StandardClient, Get/Post helpers) without a
//     bespoke Do wrapper callers could forget to use, and without shared
//     mutable state keyed by context.
type transport struct {
	base      http.RoundTripper
	userAgent string
}

// RoundTrip implements http.RoundTripper.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	out := req
	// A present-but-empty User-Agent is the documented net/http way to send
	// none at all; respect it rather than overwrite it.
	if len(req.Header.Values("User-Agent")) == 0 {
		// RoundTrippers must not modify the caller's request; work on a
		// shallow copy with its own header map.
		out = new(http.Request)
		*out = *req
		out.Header = req.Header.Clone()
		if out.Header == nil {
			out.Header = make(http.Header)
		}
		out.Header.Set("User-Agent", t.userAgent)
	}

	resp, err := t.base.RoundTrip(out)
	if err != nil {
		if resp != nil && resp.Body != nil {
			// Contract violation by the base transport; net/http would
			// ignore the response, so close it instead of leaking it.
			_ = resp.Body.Close()
		}
		// net/http inspects this exact type (not errors.As) to turn an
		// HTTP reply on a TLS port into ErrSchemeMismatch; keep it bare.
		if _, ok := err.(tls.RecordHeaderError); ok {
			return nil, err
		}
		return nil, &attemptError{req: out, err: err}
	}
	// http.Transport always sets Request; some test doubles and third-party
	// transports do not. Classify relies on it to know the method.
	if resp.Request == nil {
		resp.Request = out
	}
	return resp, nil
}

// CloseIdleConnections forwards to the base transport. http.Client only
// reaches the connection pool through this method, and retryablehttp calls it
// after giving up so broken keep-alive connections are not reused.
func (t *transport) CloseIdleConnections() {
	if c, ok := t.base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// attemptError carries the request that failed up to Classify (see
// transport). It is invisible otherwise: the message is the wrapped error's
// and Unwrap keeps errors.Is/As working (syscall.ECONNREFUSED,
// context.Canceled, *net.OpError, ...).
type attemptError struct {
	req *http.Request
	err error
}

func (e *attemptError) Error() string { return e.err.Error() }

func (e *attemptError) Unwrap() error { return e.err }

// Timeout forwards the wrapped error's Timeout, because (*url.Error).Timeout
// uses a type assertion on its direct child rather than errors.As.
func (e *attemptError) Timeout() bool {
	t, ok := e.err.(interface{ Timeout() bool })
	return ok && t.Timeout()
}
