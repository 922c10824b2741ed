package httpx

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// maxRedirects is net/http's own limit, kept when the caller's client has
// no CheckRedirect of its own. The message matches net/http's so Classify
// recognises it.
const maxRedirects = 10

// RedirectError reports a redirect the client refused to follow because it
// leads to another origin (scheme, host or port) than the request the
// caller sent.
//
// Credentials belong to one host: an access token in a header, a client
// secret in a form body, a presigned URL's signature. net/http strips only
// Authorization and Cookie on a cross-host redirect and resends a 307/308
// body as it is, so following such a redirect would hand the credential to
// whoever the Location names, and would also escape the checks that pin a
// client to *.myshopify.com or to a loopback test server. Neither Shopify's
// Admin API, SP-API nor Login with Amazon redirects API calls to another
// host, so a refusal is the safe answer; it is final (Retryable is false):
// the same request would be redirected again.
//
// Fix: point the client at the host that answers (check the shop domain,
// region or base URL); a proxy or gateway that redirects must be bypassed.
type RedirectError struct {
	StatusCode int    // the redirect's status: 301, 302, 303, 307 or 308
	From       string // origin of the request sent, e.g. "https://shop.myshopify.com"
	To         string // the Location, redacted
}

// ErrRedirect is the sentinel of *RedirectError, for errors.Is.
var ErrRedirect = errors.New("httpx: redirect to another host refused")

// Error says what was refused and why, without any secret.
func (e *RedirectError) Error() string {
	return fmt.Sprintf("httpx: refused a %d redirect from %s to %s: credentials are only sent to the host they belong to; point the client at the host that answers",
		e.StatusCode, e.From, e.To)
}

// Is makes errors.Is(err, ErrRedirect) true.
func (e *RedirectError) Is(target error) bool { return target == ErrRedirect }

// Retryable reports false: the server would redirect the same request again
// (tracking.Classify reads this).
func (e *RedirectError) Retryable() bool { return false }

// checkRedirect wraps next (the caller's http.Client.CheckRedirect, or nil
// for net/http's default of ten redirects) with the credential rules:
//
//   - every credential header (see RedactHeader) is removed from the
//     redirected request, whatever its target: a redirect is never part of
//     the APIs' documented flow, so nothing legitimate needs the credential
//     on the next hop, and a same-origin path the server chose (an error
//     page, a login form) has no business receiving it either;
//   - a redirect to another origin than the original request's is refused
//     with *RedirectError before anything is sent, so neither a header nor
//     a re-posted 307/308 body (an LWA client secret and refresh token)
//     leaves for another host.
//
// net/http calls it after copying the original headers onto the new
// request and before sending it, so deleting headers here is effective.
// The caller's own policy runs last and cannot undo either rule.
func checkRedirect(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		for name := range req.Header {
			if sensitiveHeader(name) {
				req.Header.Del(name)
			}
		}
		if len(via) > 0 && origin(req.URL) != origin(via[0].URL) {
			e := &RedirectError{From: origin(via[0].URL), To: RedactURL(req.URL)}
			if req.Response != nil {
				e.StatusCode = req.Response.StatusCode
			}
			return e
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= maxRedirects {
			return fmt.Errorf("stopped after %d redirects", maxRedirects)
		}
		return nil
	}
}

// origin is scheme://host:port with the scheme and host lower-cased and the
// scheme's default port made explicit, so "https://Shop.example" and
// "https://shop.example:443" are the same origin. Only ASCII letters are
// folded: a host with other characters never equals an ASCII one, which
// errs towards refusing.
func origin(u *url.URL) string {
	scheme := lowerASCII(u.Scheme)
	port := u.Port()
	if port == "" {
		switch scheme {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	host := lowerASCII(u.Hostname())
	if strings.Contains(host, ":") { // IPv6 literal
		host = "[" + host + "]"
	}
	return scheme + "://" + host + ":" + port
}

func lowerASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, s)
}
