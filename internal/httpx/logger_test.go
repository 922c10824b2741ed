package httpx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/stretchr/testify/require"
)

func newJSONLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// Secrets used by the logging tests. Each is distinctive so a leak anywhere
// in the output is found by a plain substring search.
const (
	secretBearer  = "SeCrEtBeArEr0123456789"
	secretShopify = "shpat_0123456789abcdef0123456789abcdef"
	secretLWA     = "Atza|IwEBIsEcReTlWa-0123456789_abcdefABCDEF"
	secretQuery   = "QuErYsEcReT987654321"
)

// leakProbes are the parts of the secrets that must never be logged (the
// token prefixes themselves may stay; they say what kind of token was hidden).
var leakProbes = []string{
	secretBearer,
	strings.TrimPrefix(secretShopify, "shpat_"),
	strings.TrimPrefix(secretLWA, "Atza|"),
	secretQuery,
}

func requireNoLeak(t *testing.T, out string) {
	t.Helper()
	for _, p := range leakProbes {
		require.NotContains(t, out, p)
	}
}

// A retrying client with credentials in headers and URL, talking to a fake
// that fails in every way that makes retryablehttp log (transport errors
// whose text echoes the request, 503s, giving up), must not log a secret.
func TestLoggerRedactsRetryingClient(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var logs bytes.Buffer
		f := &fakeTransport{respond: func(n int, req *http.Request) (*http.Response, error) {
			if n%2 == 0 {
				// A transport error echoing the whole request, as some
				// proxies and test doubles do.
				return nil, fmt.Errorf("upstream rejected %s %s with headers %v and body %s",
					req.Method, req.URL, req.Header, `{"access_token":"`+secretShopify+`"}`)
			}
			return response(503, "down"), nil
		}}
		c := fakeClient(f, WithLogger(newJSONLogger(&logs)), WithRetryMax(3))

		req, err := retryablehttp.NewRequest(http.MethodGet,
			"https://shop.example/admin/api/2025-01/orders.json?status=any&access_token="+secretQuery, nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+secretBearer)
		req.Header.Set("X-Shopify-Access-Token", secretShopify)
		req.Header.Set("x-amz-access-token", secretLWA)

		resp, err := c.Do(req)
		require.NoError(t, err)
		require.Equal(t, 503, resp.StatusCode)
		require.Equal(t, 4, f.attempts())

		out := logs.String()
		requireNoLeak(t, out)

		// The log is still useful: valid JSON lines, retryablehttp's own
		// messages, our decisions, and the non-secret parts of the URL.
		lines := strings.Split(strings.TrimSpace(out), "\n")
		for _, l := range lines {
			require.True(t, json.Valid([]byte(l)), l)
		}
		for _, want := range []string{
			`"msg":"performing request"`, `"msg":"request failed"`, `"msg":"retrying request"`,
			`"msg":"retry decision"`, reasonTransportSafe, reasonServerSafe,
			"/admin/api/2025-01/orders.json", "status=any", "access_token=REDACTED",
		} {
			require.Contains(t, out, want)
		}
	})
}

type stringer struct{ s string }

func (s stringer) String() string { return s.s }

type nilErr struct{}

func (*nilErr) Error() string { panic("boom") }

func TestLoggerValueKinds(t *testing.T) {
	var logs bytes.Buffer
	l := NewLeveledLogger(newJSONLogger(&logs))

	u, err := url.Parse("https://user:pw-" + secretQuery + "@shop.example/x?token=" + secretQuery)
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, u.String(), nil)
	require.NoError(t, err)
	h := http.Header{"Authorization": {"Bearer " + secretBearer}, "Accept": {"application/json"}}
	var typedNil *nilErr

	l.Error("failed with "+secretShopify,
		"string", "Bearer "+secretBearer,
		"bytes", []byte(`refresh_token=`+secretLWA+`&client_id=amzn1.app`),
		"url", u,
		"urlValue", *u,
		"request", req,
		"response", &http.Response{Status: "401 Unauthorized", Request: req},
		"header", h,
		"error", errors.New("bad token "+secretShopify),
		"stringer", stringer{"key " + secretLWA},
		"typedNil", typedNil,
		"panics", &nilErr{},
		"other", map[string]string{"password": secretQuery},
		"count", 3,
		"wait", 2*time.Second,
		slog.String("attr", secretShopify),
		"dangling",
	)
	l.Warn("w")
	l.Info("i")
	l.Debug("d")

	out := logs.String()
	requireNoLeak(t, out)
	for _, want := range []string{
		`"level":"ERROR"`, `"level":"WARN"`, `"level":"INFO"`, `"level":"DEBUG"`,
		`"msg":"failed with shpat_REDACTED"`,
		`"request":"POST https://user:REDACTED@shop.example/x?token=REDACTED"`,
		`"Accept":["application/json"]`, `"Authorization":["REDACTED"]`,
		`client_id=amzn1.app`, `"count":3`, `"wait":2000000000`,
		`"response":"401 Unauthorized (POST https://user:REDACTED@shop.example/x?token=REDACTED)"`,
		`"!BADKEY":"dangling"`, `"typedNil":"<nil>"`, `"panics":"%!v(PANIC=Error method: boom)"`,
		`"other":"map[password:REDACTED]"`,
	} {
		require.Contains(t, out, want)
	}
}

// Disabled levels cost nothing and emit nothing.
func TestLoggerRespectsLevel(t *testing.T) {
	var logs bytes.Buffer
	l := NewLeveledLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn})))
	l.Debug("hidden", "k", "v")
	l.Info("hidden")
	require.Empty(t, logs.String())
	NewLeveledLogger(nil).Error("discarded")
	CheckRetry(nil)(context.Background(), nil, errors.New("x"))
}
