package httpx

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// redacted replaces every secret. A fixed word (rather than "***" or a hash)
// is easy to grep for and cannot be mistaken for, or correlated with, the
// original value.
const redacted = "REDACTED"

// sensitiveHeaders carry credentials or session state; their values are
// never logged, whatever they look like.
var sensitiveHeaders = []string{
	"Authorization",
	"Proxy-Authorization",
	"Cookie",
	"Set-Cookie",
	"X-Shopify-Access-Token",
	"X-Amz-Access-Token",
	"X-Amz-Security-Token",
	"X-Api-Key",
}

// sensitiveParam reports whether a query or form parameter carries a secret.
// "code" is the OAuth authorization code, exchangeable for a token.
// client_id is deliberately absent: it is public and useful when debugging.
func sensitiveParam(name string) bool {
	switch strings.ToLower(name) {
	case "access_token", "refresh_token", "id_token", "client_secret", "code",
		"token", "password", "passwd", "secret", "api_key", "apikey",
		"signature", "x-amz-signature", "x-amz-credential", "x-amz-security-token":
		return true
	}
	return false
}

func sensitiveHeader(name string) bool {
	for _, h := range sensitiveHeaders {
		if strings.EqualFold(name, h) {
			return true
		}
	}
	return false
}

// A rule finds secrets in free text. Group 1 of re is kept (it says what was
// redacted, which helps debugging), group 2 is the secret and is replaced.
// need is a set of keyword bits (see scanKeywords); the regexp only runs when
// one of them occurs, which keeps the common no-secret case to a single
// allocation-free pass over the string.
type rule struct {
	re   *regexp.Regexp
	need uint16
}

const (
	kwToken uint16 = 1 << iota
	kwSecret
	kwPassword
	kwCode
	kwSignature
	kwCredential
	kwKey
	kwAuthorization
	kwCookie
	kwBearer
	kwShopify
	kwLWA
	kwScheme
)

// Name alternations shared by several rules, matched case-insensitively.
const (
	secretFieldNames = `access[_-]?token|refresh[_-]?token|id[_-]?token|session[_-]?token|` +
		`security[_-]?token|client[_-]?secret|password|passwd|secret|token|api[_-]?key|` +
		`x-amz-signature|x-amz-credential|x-amz-security-token|signature`
	headerNames = `authorization|cookie|x-shopify-access-token|x-amz-access-token|` +
		`x-amz-security-token|x-api-key`
)

// rules run in order; each is idempotent on its own output and none creates
// text an earlier rule would match, so Redact(Redact(s)) == Redact(s).
var rules = []rule{
	// Shopify tokens: shpat_ (Admin API access token), shpca_ (custom app),
	// shppa_ (private app), shpss_ (shared secret).
	{regexp.MustCompile(`(?i)(shp(?:at|ca|pa|ss)_)([a-z0-9_-]+)`), kwShopify},
	// Login with Amazon tokens: Atza| access, Atzr| refresh; also
	// URL-encoded (Atzr%7C) as they appear in form bodies.
	{regexp.MustCompile(`(?i)(atz[ar](?:\||%7c))([a-z0-9._~+/=%-]+)`), kwLWA},
	// user:password@ in URLs.
	{regexp.MustCompile(`(?i)([a-z][a-z0-9+.-]*://[^\s/?#@:]*:)([^\s/?#@]*)@`), kwScheme},
	// "Bearer <token>" anywhere. The value runs to the next delimiter, not
	// just over token68 characters, so nothing after it can be glued onto
	// REDACTED by a later pass.
	{regexp.MustCompile(`(?i)\b(bearer[ \t]+)([^\s"'\\,;&\])}>]+)`), kwBearer},
	// fmt's rendering of an http.Header: map[Authorization:[Bearer x] ...].
	{regexp.MustCompile(`(?i)((?:` + headerNames + `):\[)([^\]\r\n]*)`), kwAuthorization | kwCookie | kwToken | kwKey},
	// "Authorization: ..." header lines (dumped requests, error text): the
	// rest of the line is the value.
	{regexp.MustCompile(`(?i)((?:` + headerNames + `)[ \t]*[:=][ \t]*)([^\[\r\n][^\r\n]*)`), kwAuthorization | kwCookie | kwToken | kwKey},
	// JSON: "access_token":"...". The value may be truncated (no closing
	// quote), as in a clipped response body.
	{regexp.MustCompile(`(?is)("(?:` + secretFieldNames + `|` + headerNames + `)"\s*:\s*")((?:[^"\\]|\\.)*)`),
		kwToken | kwSecret | kwPassword | kwSignature | kwCredential | kwKey | kwAuthorization | kwCookie},
	// JSON quoted inside a string, e.g. an error built with %q: \"token\":\"...\".
	{regexp.MustCompile(`(?i)(\\"(?:` + secretFieldNames + `|` + headerNames + `)\\"\s*:\s*\\")((?:[^"\\]|\\[^"])*)`),
		kwToken | kwSecret | kwPassword | kwSignature | kwCredential | kwKey | kwAuthorization | kwCookie},
	// key=value in query strings, form bodies and prose. "code" is only a
	// secret in a query or form ("status code=500" is not), so it needs a
	// query/form boundary.
	{regexp.MustCompile(`(?i)((?:^|[?&;,\s"'(\[{])(?:` + secretFieldNames + `)=|(?:^|[?&])code=)([^&\s"'#<>]*)`),
		kwToken | kwSecret | kwPassword | kwCode | kwSignature | kwCredential | kwKey},
}

// Redact returns s with secrets replaced by REDACTED: credential headers
// ("Authorization: ..."), secret query/form parameters (access_token=...,
// client_secret=...), secret JSON fields ("refresh_token":"..."), bearer
// tokens, URL passwords, and token-shaped strings anywhere (Shopify shpat_...,
// shpca_..., shppa_..., shpss_...; Login with Amazon Atza|..., Atzr|...).
//
// Everything that may reach a log or an error message passes through here,
// because a token in a log is a leaked token: logs are shipped, indexed and
// read by people who must not be able to act as our merchants. Redact errs
// on the side of hiding too much, never panics, and is idempotent.
func Redact(s string) string {
	kw := scanKeywords(s)
	if kw == 0 {
		return s
	}
	for i := range rules {
		if kw&rules[i].need != 0 {
			s = rules[i].apply(s)
		}
	}
	return s
}

func (r *rule) apply(s string) string {
	matches := r.re.FindAllStringSubmatchIndex(s, -1)
	if matches == nil {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	for _, m := range matches {
		start, end := m[4], m[5] // group 2, the secret
		if start < 0 || start == end || end == len(redacted)+start && s[start:end] == redacted {
			continue // nothing to hide, or already hidden
		}
		b.WriteString(s[last:start])
		b.WriteString(redacted)
		last = end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// scanKeywords makes one case-insensitive pass over s and reports which rule
// keywords occur, so Redact runs only the regexps that can possibly match.
func scanKeywords(s string) uint16 {
	var kw uint16
	for i := 0; i < len(s); i++ {
		switch s[i] | 0x20 { // ASCII lower-case; harmless for other bytes
		case 't':
			if hasPrefixFold(s[i:], "token") {
				kw |= kwToken
			}
		case 's':
			if hasPrefixFold(s[i:], "secret") {
				kw |= kwSecret
			} else if hasPrefixFold(s[i:], "signature") {
				kw |= kwSignature
			} else if hasPrefixFold(s[i:], "shp") {
				kw |= kwShopify
			}
		case 'p':
			if hasPrefixFold(s[i:], "passw") {
				kw |= kwPassword
			}
		case 'c':
			if hasPrefixFold(s[i:], "code") {
				kw |= kwCode
			} else if hasPrefixFold(s[i:], "cookie") {
				kw |= kwCookie
			} else if hasPrefixFold(s[i:], "credential") {
				kw |= kwCredential
			}
		case 'k':
			if hasPrefixFold(s[i:], "key") {
				kw |= kwKey
			}
		case 'a':
			if hasPrefixFold(s[i:], "authorization") {
				kw |= kwAuthorization
			} else if hasPrefixFold(s[i:], "atz") {
				kw |= kwLWA
			}
		case 'b':
			if hasPrefixFold(s[i:], "bearer") {
				kw |= kwBearer
			}
		case ':' | 0x20: // ':' is 0x3a, already "lower-case"
			if s[i] == ':' && strings.HasPrefix(s[i:], "://") {
				kw |= kwScheme
			}
		}
	}
	return kw
}

// hasPrefixFold is strings.HasPrefix with ASCII case folding; prefix must be
// lower-case.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if s[i]|0x20 != prefix[i] {
			return false
		}
	}
	return true
}

// RedactURL renders u for logs with secrets removed: the userinfo password,
// secret query parameters (access_token, client_secret, X-Amz-Signature, ...)
// and anything Redact recognises elsewhere (a token in the path). Parameter
// order and all non-secret parameters are kept, since they are what makes a
// logged URL useful. A nil URL renders as "".
func RedactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	if c.User != nil {
		if _, ok := c.User.Password(); ok {
			c.User = url.UserPassword(c.User.Username(), redacted)
		}
	}
	c.RawQuery = redactQuery(c.RawQuery)
	if strings.Contains(c.Fragment, "=") { // OAuth implicit flow puts tokens here
		c.Fragment = redactQuery(c.Fragment)
		c.RawFragment = ""
	}
	return Redact(c.String())
}

// redactQuery redacts secret parameters of an encoded query, keeping order.
func redactQuery(q string) string {
	if q == "" {
		return q
	}
	parts := strings.Split(q, "&")
	changed := false
	for i, p := range parts {
		k, v, ok := strings.Cut(p, "=")
		if !ok || v == "" || v == redacted {
			continue
		}
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		if sensitiveParam(name) {
			parts[i] = k + "=" + redacted
			changed = true
		}
	}
	if !changed {
		return q
	}
	return strings.Join(parts, "&")
}

// RedactHeader returns a copy of h that is safe to log: credential headers
// (Authorization, Cookie, X-Shopify-Access-Token, x-amz-access-token, ...)
// have every value replaced, and all other values go through Redact in case
// a token turns up somewhere unexpected. h itself is not modified, because it
// usually belongs to a request that is still being sent.
func RedactHeader(h http.Header) http.Header {
	if h == nil {
		return nil
	}
	out := make(http.Header, len(h))
	for k, vs := range h {
		c := make([]string, len(vs))
		secret := sensitiveHeader(k)
		for i, v := range vs {
			if secret {
				c[i] = redacted
			} else {
				c[i] = Redact(v)
			}
		}
		out[k] = c
	}
	return out
}
