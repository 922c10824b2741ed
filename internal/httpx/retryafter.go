package httpx

import (
	"math"
	"net/http"
	"strings"
	"time"
)

// ParseRetryAfter parses a Retry-After header value (RFC 9110 §10.2.3),
// which is either delay-seconds ("120") or an HTTP-date
// ("Fri, 31 Dec 1999 23:59:59 GMT"), into a wait measured from now.
//
// It reports false for an empty, negative or unparsable value so the caller
// falls back to its own backoff instead of trusting garbage. An HTTP-date in
// the past yields (0, true): the server says "now is fine". now is a
// parameter so callers and tests control the clock.
//
// As a deliberate leniency, delay-seconds may carry a decimal fraction
// ("2.0"): Shopify's REST API sends that form on 429, and rounding it away
// would either hammer the server or wait needlessly. Values too large for a
// time.Duration saturate rather than wrap; Backoff caps them anyway.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if c := v[0]; c >= '0' && c <= '9' {
		return parseDelaySeconds(v)
	}
	t, err := http.ParseTime(v) // IMF-fixdate, RFC 850 and asctime, as §5.6.7 requires
	if err != nil {
		return 0, false
	}
	d := t.Sub(now) // saturates on overflow
	if d < 0 {
		d = 0
	}
	return d, true
}

// parseDelaySeconds parses 1*DIGIT [ "." 1*DIGIT ] without going through
// strconv.ParseFloat, which would also accept "1e9", "0x1p3", "Inf" and "NaN".
func parseDelaySeconds(v string) (time.Duration, bool) {
	const maxSeconds = math.MaxInt64 / int64(time.Second)
	whole, frac, hasFrac := strings.Cut(v, ".")
	if whole == "" || (hasFrac && frac == "") {
		return 0, false
	}
	var secs int64
	saturated := false
	for i := 0; i < len(whole); i++ {
		c := whole[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if !saturated {
			secs = secs*10 + int64(c-'0')
			if secs > maxSeconds {
				saturated = true
			}
		}
	}
	var nanos int64
	scale := int64(time.Second)
	for i := 0; i < len(frac); i++ {
		c := frac[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if scale > 1 {
			scale /= 10
			nanos += int64(c-'0') * scale
		}
	}
	if saturated {
		return time.Duration(math.MaxInt64), true
	}
	d := time.Duration(secs) * time.Second
	if d > time.Duration(math.MaxInt64)-time.Duration(nanos) {
		return time.Duration(math.MaxInt64), true
	}
	return d + time.Duration(nanos), true
}
