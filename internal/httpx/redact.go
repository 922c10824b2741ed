package httpx

import (
	"net/http"
	"net/url"
	"strings"
)

// redacted replaces every secret. A fixed word (rather than "***" or a hash)
// is easy to grep for and cannot be mistaken for, or correlated with, the
// original value.
const redacted = "REDACTED"

// fieldNames are parameter, JSON and struct field names whose value is a
// secret, matched with ASCII case folding. In a pattern, '?' stands for an
// optional '_' or '-', so "access?token" matches access_token, access-token
// and accessToken. client_id is deliberately absent: it is public, and it is
// what tells you which app a logged request came from.
var fieldNames = []string{
	"access?token", "refresh?token", "id?token", "session?token", "security?token",
	"client?secret", "api?key", "password", "passwd", "secret", "token", "signature",
	"x-amz-signature", "x-amz-credential", "x-amz-security-token",
}

// headerNames are headers that carry credentials or session state; their
// values are never logged, whatever they look like. In text they match at
// the start of a word, so "cookie" also catches "X-Session-Cookie:".
var headerNames = []string{
	"authorization", "proxy-authorization", "cookie", "set-cookie",
	"x-shopify-access-token", "x-amz-access-token", "x-amz-security-token", "x-api-key",
}

// sensitiveParam reports whether a query or form parameter carries a secret:
// one of fieldNames, or "code", the OAuth authorization code, which is
// exchangeable for a token.
func sensitiveParam(name string) bool {
	if strings.EqualFold(name, "code") {
		return true
	}
	for _, p := range fieldNames {
		if j, ok := matchName(name, 0, p); ok && j == len(name) {
			return true
		}
	}
	return false
}

func sensitiveHeader(name string) bool {
	for _, h := range headerNames {
		if strings.EqualFold(name, h) {
			return true
		}
	}
	return false
}

// Name lists indexed by lower-case first letter, so the scanner only tries
// the few names that can start at a given byte.
var (
	fieldIndex  = indexByFirst(fieldNames)
	headerIndex = indexByFirst(headerNames)
	jsonIndex   = indexByFirst(append(append([]string(nil), fieldNames...), headerNames...))
)

func indexByFirst(names []string) (idx [26][]string) {
	for _, n := range names {
		idx[n[0]-'a'] = append(idx[n[0]-'a'], n)
	}
	return idx
}

// Redact returns s with secrets replaced by REDACTED. It recognises:
//
//   - credential headers in text: "Authorization: ...", "Cookie: ..." (the
//     rest of the line), and fmt's rendering map[Authorization:[...]];
//   - secret parameters in query strings, form bodies and prose:
//     access_token=, refresh_token=, client_secret=, password=, token=,
//     X-Amz-Signature=, ... and code= after '?' or '&' (an OAuth code);
//   - secret JSON fields, also when the JSON is itself quoted inside a
//     string: "access_token":"...", \"refresh_token\":\"...\";
//   - fmt-rendered maps and structs: map[password:...], {ClientSecret:...};
//   - "Bearer <token>" and the password in scheme://user:password@host;
//   - token-shaped strings anywhere: Shopify shpat_, shpca_, shppa_, shpss_
//     and Login with Amazon Atza|, Atzr| (also URL-encoded as Atzr%7C)
//     and amzn1.oa2-cs.v1. (an LWA client secret).
//
// Everything that may reach a log or an error message should pass through
// here, because a token in a log is a leaked token: logs are shipped, indexed
// and read by people who must not be able to act as our merchants. Names are
// matched ASCII-case-insensitively. client_id and other public identifiers
// are kept, since they are what makes a log line useful.
//
// Redact errs on the side of hiding too much, never panics and is
// idempotent. Text without secrets costs one pass and no allocation. It is a
// hand-written scanner rather than a set of regexps because RE2 cannot
// accelerate case-insensitive alternations: a regexp version of these rules
// measured about 8µs on a clean 114-byte log line and 60-120µs on one with
// secrets, against about 0.6µs and 1-2µs here on the same machine.
func Redact(s string) string {
	// One pass hides every secret it finds, but hiding one can expose
	// another: a replaced value may have held the delimiter that made an
	// earlier candidate fail (",abc" left nothing after "token:", REDACTED
	// does). Repeating until nothing changes makes Redact idempotent by
	// construction. Real text settles in one pass, or two with secrets;
	// the cap only guards against pathological input.
	for range maxPasses {
		r := redactPass(s)
		if r == s {
			break
		}
		s = r
	}
	return s
}

// maxPasses bounds Redact's fixpoint loop. In millions of generated inputs
// no string needed more than two rewriting passes (plus one to confirm).
const maxPasses = 8

func redactPass(s string) string {
	var b strings.Builder
	last := 0 // s[last:] has not been copied to b yet
	for i := 0; i < len(s); {
		// Inline fast path for the bytes that cannot start a secret: most
		// punctuation, and letters inside a word other than the first
		// letters of token shapes (s for shp..._, a for Atz.|).
		c := s[i]
		if cl := classes[c]; cl&cStart == 0 ||
			cl&cLetter != 0 && i > 0 && classes[s[i-1]]&(cLetter|cDigit) != 0 && c|0x20 != 's' && c|0x20 != 'a' {
			i++
			continue
		}
		keep, end, ok := matchAt(s, i)
		if !ok {
			i++
			continue
		}
		// s[i:keep] names the secret and is kept; s[keep:end] is the secret.
		if s[keep:end] != redacted {
			if last == 0 {
				b.Grow(len(s))
			}
			b.WriteString(s[last:keep])
			b.WriteString(redacted)
			last = end
		}
		i = end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// matchAt reports whether a secret is introduced at s[i]. On a match
// i < keep < end <= len(s).
func matchAt(s string, i int) (keep, end int, ok bool) {
	c := s[i]
	if !is(c, cLetter) {
		switch c {
		case '"':
			return matchJSON(s, i, `"`)
		case '\\':
			return matchJSON(s, i, `\"`)
		case ':':
			return matchUserinfo(s, i)
		}
		return 0, 0, false
	}
	l := c | 0x20
	// Token shapes count anywhere, even glued to other text.
	switch l {
	case 's':
		if keep, end, ok = matchShopify(s, i); ok {
			return keep, end, ok
		}
	case 'a':
		if keep, end, ok = matchLWA(s, i); ok {
			return keep, end, ok
		}
		if keep, end, ok = matchLWASecret(s, i); ok {
			return keep, end, ok
		}
	}
	// Names start a word; this also keeps the common case, a letter inside
	// a word, cheap.
	if i > 0 && is(s[i-1], cLetter|cDigit) {
		return 0, 0, false
	}
	if l == 'b' && (i == 0 || !is(s[i-1], cWord)) {
		if keep, end, ok = matchBearer(s, i); ok {
			return keep, end, ok
		}
	}
	if keep, end, ok = matchHeader(s, i, headerIndex[l-'a']); ok {
		return keep, end, ok
	}
	if i > 0 && !is(s[i-1], cBoundary) {
		return 0, 0, false
	}
	if l == 'c' && (i == 0 || s[i-1] == '?' || s[i-1] == '&') {
		// The OAuth authorization code, only in a query or form: "status
		// code=500" in prose is not a secret.
		if j, ok := matchName(s, i, "code"); ok && j < len(s) && s[j] == '=' {
			if end := runUntil(s, j+1, cKVStop); end > j+1 {
				return j + 1, end, true
			}
		}
	}
	return matchField(s, i, fieldIndex[l-'a'])
}

// matchShopify matches shpat_, shpca_, shppa_ and shpss_ tokens.
func matchShopify(s string, i int) (keep, end int, ok bool) {
	if len(s)-i < 7 || !hasPrefixFold(s[i:], "shp") || s[i+5] != '_' {
		return 0, 0, false
	}
	switch k := [2]byte{s[i+3] | 0x20, s[i+4] | 0x20}; k {
	case [2]byte{'a', 't'}, [2]byte{'c', 'a'}, [2]byte{'p', 'a'}, [2]byte{'s', 's'}:
	default:
		return 0, 0, false
	}
	keep = i + 6
	end = runWhile(s, keep, cWord|cDash)
	return keep, end, end > keep
}

// matchLWA matches Login with Amazon tokens: Atza| (access) and Atzr|
// (refresh), plus their URL-encoded form Atzr%7C.
func matchLWA(s string, i int) (keep, end int, ok bool) {
	if len(s)-i < 6 || !hasPrefixFold(s[i:], "atz") {
		return 0, 0, false
	}
	if k := s[i+3] | 0x20; k != 'a' && k != 'r' {
		return 0, 0, false
	}
	switch {
	case s[i+4] == '|':
		keep = i + 5
	case hasPrefixFold(s[i+4:], "%7c"):
		keep = i + 7
	default:
		return 0, 0, false
	}
	end = runWhile(s, keep, cLWA)
	return keep, end, end > keep
}

// lwaSecretPrefix starts every Login with Amazon client secret, as Seller
// Central shows it: "amzn1.oa2-cs.v1." and 64 hex digits. A server that
// echoes the secret back in an error message (an LWA invalid_client
// description, an SP-API error) must not carry it into our errors.
const lwaSecretPrefix = "amzn1.oa2-cs.v1."

// matchLWASecret matches an LWA client secret.
func matchLWASecret(s string, i int) (keep, end int, ok bool) {
	if !hasPrefixFold(s[i:], lwaSecretPrefix) {
		return 0, 0, false
	}
	keep = i + len(lwaSecretPrefix)
	end = runWhile(s, keep, cWord|cDash)
	return keep, end, end > keep
}

// matchBearer matches "Bearer <token>". The token runs to the next
// delimiter rather than over token68 characters only, so nothing after it
// can be glued onto REDACTED on a second pass.
func matchBearer(s string, i int) (keep, end int, ok bool) {
	if !hasPrefixFold(s[i:], "bearer") {
		return 0, 0, false
	}
	keep = runWhile(s, i+6, cBlank)
	if keep == i+6 {
		return 0, 0, false
	}
	end = runUntil(s, keep, cBearerStop)
	return keep, end, end > keep
}

// matchHeader matches a credential header rendered as text: fmt's
// "Authorization:[v1 v2]" or a header line "Authorization: v", where the
// value is the rest of the line.
func matchHeader(s string, i int, names []string) (keep, end int, ok bool) {
	for _, n := range names {
		j, ok := matchName(s, i, n)
		if !ok {
			continue
		}
		if j+1 < len(s) && s[j] == ':' && s[j+1] == '[' {
			keep = j + 2
			end = runUntil(s, keep, cBracketStop)
			return keep, end, end > keep
		}
		j = runWhile(s, j, cBlank)
		if j == len(s) || (s[j] != ':' && s[j] != '=') {
			return 0, 0, false
		}
		keep = runWhile(s, j+1, cBlank)
		end = runUntil(s, keep, cLineStop)
		return keep, end, end > keep
	}
	return 0, 0, false
}

// matchField matches a secret field name followed by "=value" (query, form,
// prose) or ":value" / ":[values]" (fmt's rendering of maps and %+v
// structs). A colon followed by a space is prose ("invalid token: expired")
// and does not match.
func matchField(s string, i int, names []string) (keep, end int, ok bool) {
	for _, n := range names {
		j, ok := matchName(s, i, n)
		if !ok || j == len(s) {
			continue
		}
		switch s[j] {
		case '=':
			keep = j + 1
			end = extendScheme(s, keep, runUntil(s, keep, cKVStop), cKVStop)
		case ':':
			keep = j + 1
			if keep < len(s) && s[keep] == '[' {
				keep++
				end = runUntil(s, keep, cBracketStop)
			} else {
				end = extendScheme(s, keep, runUntil(s, keep, cFmtStop), cFmtStop)
			}
		default:
			continue
		}
		return keep, end, end > keep
	}
	return 0, 0, false
}

// extendScheme makes "token=Bearer abc" hide abc too, not just "Bearer".
func extendScheme(s string, start, end int, stop uint32) int {
	if end-start != 6 || !hasPrefixFold(s[start:], "bearer") {
		return end
	}
	k := runWhile(s, end, cBlank)
	if k == end {
		return end
	}
	if e := runUntil(s, k, stop); e > k {
		return e
	}
	return end
}

// matchJSON matches "name": "value" for a secret name, with q = `"` for
// plain JSON and q = `\"` for JSON quoted inside a string (an error built
// with %q). The value may be truncated, as in a clipped response body.
func matchJSON(s string, i int, q string) (keep, end int, ok bool) {
	if !strings.HasPrefix(s[i:], q) {
		return 0, 0, false
	}
	j := i + len(q)
	if j == len(s) || !is(s[j], cLetter) {
		return 0, 0, false
	}
	for _, n := range jsonIndex[(s[j]|0x20)-'a'] {
		e, ok := matchName(s, j, n)
		if !ok || !strings.HasPrefix(s[e:], q) {
			continue
		}
		k := runWhile(s, e+len(q), cSpace)
		if k == len(s) || s[k] != ':' {
			return 0, 0, false
		}
		k = runWhile(s, k+1, cSpace)
		if !strings.HasPrefix(s[k:], q) {
			return 0, 0, false
		}
		keep = k + len(q)
		end = keep
		for end < len(s) && s[end] != '"' {
			if s[end] == '\\' {
				if end+1 == len(s) || (len(q) > 1 && s[end+1] == '"') {
					break // closing \" of quoted JSON, or a dangling escape
				}
				end++
			}
			end++
		}
		return keep, end, end > keep
	}
	return 0, 0, false
}

// matchUserinfo matches the password in scheme://user:password@host. It is
// anchored at the colon before the password, looking back for "://", so
// that the user part is scanned like any other text first.
func matchUserinfo(s string, j int) (keep, end int, ok bool) {
	k := j - 1
	for k >= 0 && !is(s[k], cUserStop) {
		k--
	}
	if k < 3 || s[k] != '/' || s[k-1] != '/' || s[k-2] != ':' || !is(s[k-3], cScheme) {
		return 0, 0, false
	}
	keep = j + 1
	end = runUntil(s, keep, cPassStop)
	if end == len(s) || s[end] != '@' {
		return 0, 0, false
	}
	return keep, end, end > keep
}

// matchName matches pattern (see fieldNames) at s[i], folding ASCII case,
// and returns the index just past the name.
func matchName(s string, i int, pattern string) (int, bool) {
	j := i
	for p := 0; p < len(pattern); p++ {
		if pattern[p] == '?' {
			if j < len(s) && (s[j] == '_' || s[j] == '-') {
				j++
			}
			continue
		}
		if j == len(s) || !eqFold(s[j], pattern[p]) {
			return 0, false
		}
		j++
	}
	return j, true
}

// Byte classes, looked up in a table because the scanner asks about every
// byte of every logged string.
const (
	cLetter      uint32 = 1 << iota // ASCII letter
	cDigit                          // ASCII digit
	cWord                           // letter, digit or '_'
	cDash                           // '-'
	cSpace                          // what \s matches: space, \t, \n, \f, \r
	cBlank                          // space or tab
	cBoundary                       // may precede a field name
	cKVStop                         // ends key=value
	cFmtStop                        // ends fmt's key:value
	cBearerStop                     // ends a bearer token
	cBracketStop                    // ends [value]
	cLineStop                       // ends a header line
	cUserStop                       // ends the user in scheme://user:password@
	cPassStop                       // ends the password there
	cScheme                         // may end a URL scheme
	cLWA                            // may appear in a Login with Amazon token
	cStart                          // may start a match: a letter, '"', '\\' or ':'
)

var classes = func() (t [256]uint32) {
	set := func(chars string, cl uint32) {
		for i := 0; i < len(chars); i++ {
			t[chars[i]] |= cl
		}
	}
	const (
		lower  = "abcdefghijklmnopqrstuvwxyz"
		upper  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		digits = "0123456789"
		space  = " \t\n\f\r"
	)
	set(lower+upper, cLetter|cWord|cScheme|cLWA|cStart)
	set(`"\:`, cStart)
	set(digits, cDigit|cWord|cScheme|cLWA)
	set("_", cWord|cLWA)
	set("-", cDash|cScheme|cLWA)
	set("+.", cScheme)
	set(".~+/=%", cLWA)
	set(space, cSpace|cBoundary|cKVStop|cFmtStop|cBearerStop|cUserStop|cPassStop)
	set(" \t", cBlank)
	set(`?&;,"'([{`, cBoundary)
	set(`&"'#<>`, cKVStop)
	set(`[]{}(),"'`, cFmtStop)
	set(`"'\,;&])}>`, cBearerStop)
	set("]\r\n", cBracketStop)
	set("\r\n", cLineStop)
	set("/?#@:", cUserStop)
	set("/?#@", cPassStop)
	return t
}()

func is(c byte, cl uint32) bool { return classes[c]&cl != 0 }

// runWhile returns the index of the first byte at or after i that is not in
// class cl, or len(s).
func runWhile(s string, i int, cl uint32) int {
	for i < len(s) && classes[s[i]]&cl != 0 {
		i++
	}
	return i
}

// runUntil returns the index of the first byte at or after i that is in
// class cl, or len(s).
func runUntil(s string, i int, cl uint32) int {
	for i < len(s) && classes[s[i]]&cl == 0 {
		i++
	}
	return i
}

// hasPrefixFold is strings.HasPrefix with ASCII case folding; prefix must be
// lower-case.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if !eqFold(s[i], prefix[i]) {
			return false
		}
	}
	return true
}

// eqFold reports whether c equals the lower-case byte p, folding ASCII
// letters only ('\r'|0x20 == '-', so a plain bit trick is not enough).
func eqFold(c, p byte) bool { return c == p || is(c, cLetter) && c|0x20 == p }

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
