package httpx

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/hashicorp/go-retryablehttp"
)

// Reasons returned by Classify. They are fixed strings so log queries and
// tests can match them exactly.
const (
	reasonContextDone     = "context done"
	reasonRateLimited     = "429 too many requests: the server did not process the request"
	reasonServerSafe      = "server error on an idempotent request"
	reasonServerUnsafe    = "server error on a non-idempotent request: it may have been processed"
	reasonFinalStatus     = "final status"
	reasonNotSent         = "connection failed before the request was sent"
	reasonTransportSafe   = "transport error on an idempotent request"
	reasonTransportUnsafe = "transport error on a non-idempotent request: it may have been processed"
	reasonCertificate     = "TLS certificate error"
	reasonNotTLS          = "server does not speak TLS"
	reasonScheme          = "unsupported protocol scheme"
	reasonRedirects       = "too many redirects"
	reasonRedirectRefused = "redirect to another host refused"
	reasonInvalidHeader   = "invalid header"
	reasonNoResponse      = "no response and no error"
)

// idempotentKey is the context key set by Idempotent.
type idempotentKey struct{}

// Idempotent returns a context that marks requests made with it as safe to
// replay even though their method is not idempotent by definition.
//
// Use it when the operation is idempotent by construction: a GraphQL query
// sent as POST, or an Amazon confirmShipment carrying a stable package
// reference that the server deduplicates. Without the mark such a request is
// only retried when it provably never left this process or on 429.
func Idempotent(ctx context.Context) context.Context {
	return context.WithValue(ctx, idempotentKey{}, true)
}

func markedIdempotent(ctx context.Context) bool {
	if ctx == nil {
		return false
	}
	v, _ := ctx.Value(idempotentKey{}).(bool)
	return v
}

// idempotentMethod reports whether RFC 9110 §9.2.2 defines method as
// idempotent: the safe methods (GET, HEAD, OPTIONS, TRACE) plus PUT and
// DELETE. Replaying such a request has the same effect on the server as
// sending it once, so a lost or failed response can be retried blindly.
func idempotentMethod(method string) bool {
	switch method {
	case "", http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace,
		http.MethodPut, http.MethodDelete:
		// "" is how net/http spells GET.
		return true
	}
	return false
}

// decision is the full outcome of classify; Classify exposes the two fields
// callers need, CheckRetry also logs the rest.
type decision struct {
	retry  bool
	reason string
	ctxErr error
	req    *http.Request // nil when unknown
	method string
}

// Classify decides whether an attempt that produced resp/err should be
// retried, and says why in a short human-readable reason.
//
// It is written as one readable function (in the spirit of stripe-go's
// shouldRetry and aws-sdk-go-v2's retry classifiers) because this is the rule
// set reviewers must be able to audit at a glance:
//
//   - ctx cancelled or past its deadline: stop; the caller gave up.
//   - 429: retry for any method; the server rejected the request before
//     processing it.
//   - 500, 502, 503, 504: retry only when the request is safe to replay.
//     501 and other statuses are final.
//   - transport errors: retry safe requests; retry unsafe ones only when the
//     error proves the request never left (dial or DNS failure). Never retry
//     certificate errors, unsupported schemes, too many redirects, a refused
//     cross-host redirect (*RedirectError) or invalid headers: the next
//     attempt would fail the same way.
//
// ctx is the caller's context; retryablehttp passes the request's context.
// A request is safe when its method is idempotent (RFC 9110 §9.2.2) or its
// context was marked with Idempotent. The request is taken from
// resp.Request, or, when there is no response, from the error wrapped by
// NewClient's transport (following redirects back to the request the caller
// sent, since that is what a retry replays); failing both, from
// (*url.Error).Op, the method name net/http records in its errors. An
// unknown method counts as unsafe.
func Classify(ctx context.Context, resp *http.Response, err error) (retry bool, reason string) {
	d := classify(ctx, resp, err)
	return d.retry, d.reason
}

func classify(ctx context.Context, resp *http.Response, err error) decision {
	var d decision
	d.req, d.method = requestOf(resp, err)

	// Only the caller's ctx counts. The recorded request's context is not a
	// substitute: with http.Client.Timeout set, net/http runs each attempt
	// under a derived context that it cancels as soon as the attempt ends,
	// so it always looks cancelled by the time CheckRetry runs.
	if ctx != nil && ctx.Err() != nil {
		d.ctxErr = ctx.Err()
		d.reason = reasonContextDone
		return d
	}

	// When neither the request nor its method is known, only the context
	// mark can make the attempt safe.
	safe := markedIdempotent(ctx)
	switch {
	case d.req != nil:
		safe = safe || markedIdempotent(d.req.Context()) || idempotentMethod(d.req.Method)
	case d.method != "":
		safe = safe || idempotentMethod(d.method)
	}

	switch {
	case err != nil:
		d.retry, d.reason = classifyError(err, safe)
	case resp == nil:
		d.reason = reasonNoResponse
	default:
		d.retry, d.reason = classifyStatus(resp.StatusCode, safe)
	}
	return d
}

func classifyStatus(code int, safe bool) (bool, string) {
	switch code {
	case http.StatusTooManyRequests:
		return true, reasonRateLimited
	case http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		if safe {
			return true, reasonServerSafe
		}
		return false, reasonServerUnsafe
	}
	return false, reasonFinalStatus
}

func classifyError(err error, safe bool) (bool, string) {
	// Mirror retryablehttp's own non-retryable checks, by type where
	// net/http exposes one and by message where it does not.
	msg := err.Error()
	switch {
	case isCertError(err) || strings.Contains(msg, "certificate is not trusted"):
		return false, reasonCertificate
	case errors.Is(err, http.ErrSchemeMismatch) || errors.As(err, new(tls.RecordHeaderError)):
		return false, reasonNotTLS
	case strings.Contains(msg, "unsupported protocol scheme"):
		return false, reasonScheme
	case errors.Is(err, ErrRedirect):
		return false, reasonRedirectRefused
	case strings.Contains(msg, "stopped after ") && strings.HasSuffix(msg, " redirects"):
		return false, reasonRedirects
	case strings.Contains(msg, "invalid header"):
		return false, reasonInvalidHeader
	case neverSent(err):
		return true, reasonNotSent
	case safe:
		return true, reasonTransportSafe
	}
	return false, reasonTransportUnsafe
}

func isCertError(err error) bool {
	var (
		verify    *tls.CertificateVerificationError
		authority x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
	)
	return errors.As(err, &verify) || errors.As(err, &authority) ||
		errors.As(err, &hostname) || errors.As(err, &invalid)
}

// neverSent reports whether err proves no byte of the request reached the
// server, which makes even a POST safe to retry. A dial error (connection
// refused, no route, dial timeout), a DNS failure or a failure to set up the
// proxy tunnel all happen before net/http writes the request.
func neverSent(err error) bool {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	// Walk the chain by hand: a "proxyconnect" *net.OpError may wrap the
	// "dial" one, and errors.As would stop at the outer one.
	for e := err; e != nil; e = errors.Unwrap(e) {
		if op, ok := e.(*net.OpError); ok && (op.Op == "dial" || op.Op == "proxyconnect") {
			return true
		}
	}
	return false
}

// requestOf finds the request an attempt was made with; see Classify.
func requestOf(resp *http.Response, err error) (*http.Request, string) {
	if resp != nil && resp.Request != nil {
		r := originalRequest(resp.Request)
		return r, methodName(r)
	}
	var ae *attemptError
	if errors.As(err, &ae) && ae.req != nil {
		r := originalRequest(ae.req)
		return r, methodName(r)
	}
	// http.Client flattens some errors (Client.Timeout) into a new error
	// built from the message, losing attemptError; its *url.Error still
	// records the method, title-cased ("Get", "Post").
	var ue *url.Error
	if errors.As(err, &ue) && ue.Op != "" {
		return nil, strings.ToUpper(ue.Op)
	}
	return nil, ""
}

// originalRequest follows redirects back to the request the caller sent.
// A retry replays that request, not the last hop: a POST answered with 303
// See Other continues as a GET, and a 503 on that GET must not be taken as
// licence to send the POST again.
func originalRequest(r *http.Request) *http.Request {
	for range 100 { // http.Client stops at 10 redirects by default; never loop forever
		if r.Response == nil || r.Response.Request == nil {
			break
		}
		r = r.Response.Request
	}
	return r
}

// methodName returns req.Method, spelling net/http's "" shorthand as GET.
func methodName(req *http.Request) string {
	if req.Method == "" {
		return http.MethodGet
	}
	return req.Method
}

// CheckRetry adapts Classify to retryablehttp.CheckRetry and logs every
// decision with its reason at debug level, so "why did (or didn't) this
// retry?" is answerable from the logs.
//
// When ctx is done it returns ctx.Err() (usable with errors.Is) and closes
// any response body, because retryablehttp leaves that to CheckRetry when it
// stops and the caller must ignore a response returned with an error.
// Otherwise it never returns an error: with PassthroughErrorHandler the caller
// then gets the last response, or the transport error, as is.
//
// A nil logger discards.
func CheckRetry(logger *slog.Logger) retryablehttp.CheckRetry {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return func(ctx context.Context, resp *http.Response, err error) (bool, error) {
		d := classify(ctx, resp, err)
		if logger.Enabled(ctx, slog.LevelDebug) {
			logDecision(ctx, logger, d, resp, err)
		}
		if d.ctxErr != nil {
			if resp != nil && resp.Body != nil {
				_ = resp.Body.Close()
			}
			return false, d.ctxErr
		}
		return d.retry, nil
	}
}

func logDecision(ctx context.Context, logger *slog.Logger, d decision, resp *http.Response, err error) {
	attrs := make([]slog.Attr, 0, 6)
	attrs = append(attrs, slog.Bool("retry", d.retry), slog.String("reason", d.reason))
	if d.method != "" {
		attrs = append(attrs, slog.String("method", d.method))
	}
	if d.req != nil {
		attrs = append(attrs, slog.String("url", RedactURL(d.req.URL)))
	}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", Redact(err.Error())))
	}
	logger.LogAttrs(ctx, slog.LevelDebug, "retry decision", attrs...)
}
