package httpx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/internal/httpx/httpxtest"
)

const (
	shopToken    = "shpat_0123456789abcdef0123456789abcdef"
	amazonToken  = "Atza|IwEBIAccessTokenValue"
	clientSecret = "amzn1.oa2-cs.v1.secretsecret"
	refreshToken = "Atzr|IwEBIRefreshTokenValue"
)

// A redirect to another host never gets the credential: not in a header,
// not in a re-posted body. The victim server proves it by recording
// nothing at all, and the caller gets a final *RedirectError.
func TestRedirectToAnotherHostIsRefused(t *testing.T) {
	lwaForm := url.Values{
		"grant_type": {"refresh_token"}, "refresh_token": {refreshToken},
		"client_id": {"amzn1.application-oa2-client.x"}, "client_secret": {clientSecret},
	}.Encode()
	for _, tc := range []struct {
		name   string
		method string
		status int
		header [2]string
		body   string
		secret string
	}{
		{"shopify token on 302", http.MethodPost, http.StatusFound, [2]string{"X-Shopify-Access-Token", shopToken}, `{"query":"{shop{name}}"}`, shopToken},
		{"shopify token on 301", http.MethodPost, http.StatusMovedPermanently, [2]string{"X-Shopify-Access-Token", shopToken}, `{"query":"{shop{name}}"}`, shopToken},
		{"sp-api token on 302", http.MethodGet, http.StatusFound, [2]string{"x-amz-access-token", amazonToken}, "", amazonToken},
		{"sp-api token on 303", http.MethodPost, http.StatusSeeOther, [2]string{"x-amz-access-token", amazonToken}, `{}`, amazonToken},
		{"lwa form re-posted on 307", http.MethodPost, http.StatusTemporaryRedirect, [2]string{"Content-Type", "application/x-www-form-urlencoded"}, lwaForm, clientSecret},
		{"lwa form re-posted on 308", http.MethodPost, http.StatusPermanentRedirect, [2]string{"Content-Type", "application/x-www-form-urlencoded"}, lwaForm, refreshToken},
	} {
		t.Run(tc.name, func(t *testing.T) {
			victim := httpxtest.NewRecorder(t, nil)
			origin := httpxtest.NewRecorder(t, httpxtest.RedirectTo(tc.status, victim.URL+"/steal?x=1"))

			var body any
			if tc.body != "" {
				body = []byte(tc.body)
			}
			req, err := retryablehttp.NewRequestWithContext(Idempotent(context.Background()), tc.method, origin.URL+"/api", body)
			require.NoError(t, err)
			req.Header.Set(tc.header[0], tc.header[1])
			resp, err := NewClient(WithRetryMax(3)).Do(req)
			if resp != nil {
				_ = resp.Body.Close()
			}

			var re *RedirectError
			require.ErrorAs(t, err, &re)
			require.ErrorIs(t, err, ErrRedirect)
			require.Equal(t, tc.status, re.StatusCode)
			require.False(t, re.Retryable())
			require.Empty(t, victim.Requests(), "the other host must receive nothing")
			require.Len(t, origin.Requests(), 1, "a refused redirect is final, not retried")
			require.NotContains(t, err.Error(), tc.secret)
			require.Contains(t, re.To, strings.TrimPrefix(victim.URL, "http://"))
		})
	}
}

// Another port or another scheme on the same host name is another origin.
func TestRedirectOriginIsSchemeHostPort(t *testing.T) {
	victim := httpxtest.NewRecorder(t, nil)
	first := httpxtest.NewRecorder(t, httpxtest.RedirectTo(http.StatusFound, victim.URL+"/x")) // same IP, the victim's port
	require.Equal(t, mustURL(t, first.URL).Hostname(), mustURL(t, victim.URL).Hostname())
	_, err := doRequest(t, NewClient(), context.Background(), http.MethodGet, first.URL, "")
	require.ErrorIs(t, err, ErrRedirect)
	require.Empty(t, victim.Requests())

	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"https://Shop.Example/x", "https://shop.example:443/y", true},
		{"http://shop.example/x", "http://shop.example:80/y", true},
		{"https://shop.example/x", "http://shop.example/x", false},
		{"https://shop.example/x", "https://shop.example:8443/x", false},
		{"https://shop.example/x", "https://evil.example/x", false},
		{"https://[::1]:8080/x", "https://[::1]:8080/y", true},
		{"https://shop.example/x", "https://shop.example.evil.example/x", false},
	} {
		require.Equal(t, tc.same, origin(mustURL(t, tc.a)) == origin(mustURL(t, tc.b)), "%s vs %s", tc.a, tc.b)
	}
}

// A redirect within the origin is followed, but without the credential
// headers: nothing in these APIs redirects, so no legitimate next hop
// needs them.
func TestRedirectSameOriginDropsCredentialHeaders(t *testing.T) {
	srv := httpxtest.NewRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/start" {
			http.Redirect(w, r, "/next", http.StatusFound)
			return
		}
		_, _ = io.WriteString(w, "ok")
	})
	req, err := retryablehttp.NewRequest(http.MethodGet, srv.URL+"/start", nil)
	require.NoError(t, err)
	for _, h := range []string{"X-Shopify-Access-Token", "x-amz-access-token", "Authorization", "Cookie", "X-Api-Key"} {
		req.Header.Set(h, "secret-"+h)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := NewClient().Do(req)
	require.NoError(t, err)
	require.Equal(t, "ok", readBody(t, resp))

	got := srv.Requests()
	require.Len(t, got, 2)
	require.Equal(t, "secret-X-Shopify-Access-Token", got[0].Header.Get("X-Shopify-Access-Token"))
	require.Equal(t, "/next", got[1].Path)
	for name := range got[1].Header {
		require.False(t, sensitiveHeader(name), "credential header %s followed the redirect", name)
	}
	require.Equal(t, "application/json", got[1].Header.Get("Accept"), "other headers are kept")
}

// The caller's own CheckRedirect still runs, after the credential rules,
// and cannot re-enable a cross-host redirect.
func TestRedirectCallerPolicy(t *testing.T) {
	victim := httpxtest.NewRecorder(t, nil)
	origin := httpxtest.NewRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/cross":
			http.Redirect(w, r, victim.URL+"/x", http.StatusFound)
		case "/same":
			http.Redirect(w, r, "/other", http.StatusFound)
		default:
			_, _ = io.WriteString(w, "ok")
		}
	})
	errMine := errors.New("caller refuses every redirect")
	calls := 0
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { calls++; return errMine }}

	_, err := doRequest(t, NewClient(WithHTTPClient(hc)), context.Background(), http.MethodGet, origin.URL+"/cross", "")
	require.ErrorIs(t, err, ErrRedirect)
	require.Zero(t, calls, "the credential rule decides first")

	_, err = doRequest(t, NewClient(WithHTTPClient(hc), WithRetryMax(0)), context.Background(), http.MethodGet, origin.URL+"/same", "")
	require.ErrorIs(t, err, errMine)
	require.Equal(t, 1, calls)
	require.Empty(t, victim.Requests())
	require.ErrorIs(t, hc.CheckRedirect(nil, nil), errMine, "the caller's client is not modified")
	require.Equal(t, 2, calls)
}

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	require.NoError(t, err)
	return u
}

// A client built by NewClient refuses a redirect to another host: the
// token never leaves for it.
func ExampleRedirectError() {
	other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { fmt.Println("the other host got a request") }))
	defer other.Close()
	shop := httptest.NewServer(http.RedirectHandler(other.URL+"/steal", http.StatusFound))
	defer shop.Close()

	req, _ := retryablehttp.NewRequest(http.MethodGet, shop.URL, nil)
	req.Header.Set("X-Shopify-Access-Token", "shpat_0123456789")
	_, err := NewClient().Do(req)
	var re *RedirectError
	fmt.Println(errors.As(err, &re), re.StatusCode, re.Retryable())
	// Output:
	// true 302 false
}
