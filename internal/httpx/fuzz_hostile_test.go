package httpx

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// FuzzCheckRedirect fuzzes the Location a hostile server redirects to
// (issue 10, defect 1): whatever it says, the redirected request carries
// no credential header, and it is refused unless it stays on the original
// origin. net/http resolves Location against the request URL first; so
// does this target.
func FuzzCheckRedirect(f *testing.F) {
	for _, loc := range []string{
		"/next", "https://shop.example/next", "https://SHOP.example:443/x", "http://shop.example/x", "https://shop.example:8443/",
		"https://evil.example/", "//evil.example/x", "https://shop.example.evil.example/", "https://shop.example@evil.example/",
		"https://[::1]/", "https://shop.example./x", "HTTPS://shop.example/x", "?x=1", "", "https://xn--shp-ooa.example/",
	} {
		f.Add(loc, 302)
	}
	f.Fuzz(func(t *testing.T, loc string, status int) {
		first, err := http.NewRequest(http.MethodPost, "https://shop.example/admin/api/graphql.json", nil)
		require.NoError(t, err)
		target, err := first.URL.Parse(loc)
		if err != nil || target.Host == "" {
			return // net/http refuses such a Location itself
		}
		next := &http.Request{Method: http.MethodPost, URL: target, Header: http.Header{},
			Response: &http.Response{StatusCode: status}}
		for _, h := range headerNames {
			next.Header.Set(h, "secret-value-0451")
		}
		next.Header.Set("Accept", "application/json")

		err = checkRedirect(nil)(next, []*http.Request{first})

		for name := range next.Header {
			require.False(t, sensitiveHeader(name), "%s kept on a redirect to %q", name, loc)
		}
		require.Equal(t, "application/json", next.Header.Get("Accept"))
		sameOrigin := lowerASCII(target.Scheme) == "https" && lowerASCII(target.Hostname()) == "shop.example" &&
			(target.Port() == "" || target.Port() == "443")
		if sameOrigin {
			require.NoError(t, err, "same-origin redirect to %q refused", loc)
			return
		}
		var re *RedirectError
		require.ErrorAs(t, err, &re, "redirect to %q (%s) followed", loc, target.Redacted())
		require.Equal(t, status, re.StatusCode)
		require.NotContains(t, re.Error(), "secret-value-0451")
	})
}

// FuzzBackoff fuzzes the Retry-After a hostile server sends with a 429 or
// 503 (issue 10, defect 4): the wait is never negative, never below the
// floor and never above the larger of the client's cap and five minutes,
// for any attempt number.
func FuzzBackoff(f *testing.F) {
	for _, v := range []string{"", "0", "1", "2.5", "300", "301", "99999999999999999999", "-1", "1e9", "Fri, 31 Dec 9999 23:59:59 GMT", "Mon, 01 Jan 0001 00:00:00 GMT", "NaN"} {
		f.Add(v, 3)
	}
	f.Fuzz(func(t *testing.T, retryAfter string, attempt int) {
		resp := &http.Response{StatusCode: http.StatusTooManyRequests, Header: http.Header{}}
		resp.Header.Set("Retry-After", retryAfter)
		minWait, maxWait := 250*time.Millisecond, 30*time.Second
		d := Backoff(minWait, maxWait, attempt, resp)
		require.GreaterOrEqual(t, d, minWait, "Retry-After %q", retryAfter)
		require.LessOrEqual(t, d, max(maxWait, maxRetryAfter), "Retry-After %q", retryAfter)
	})
}
