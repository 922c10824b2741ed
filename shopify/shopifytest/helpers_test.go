package shopifytest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/shopify/shopifytest"
)

const (
	testDomain  = "acme.myshopify.com"
	testToken   = "shpat_test"
	testVersion = "2026-10"
)

// response is a decoded answer of the fake.
type response struct {
	Status int
	Header http.Header
	Raw    []byte
	Body   map[string]any
}

// data walks the response's data by keys and indexes.
func (r response) data(path ...any) any {
	var v any = r.Body["data"]
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func (r response) errors() []any {
	l, _ := r.Body["errors"].([]any)
	return l
}

// errorCodes are the extensions.code of the response's errors.
func (r response) errorCodes() []string {
	var out []string
	for _, e := range r.errors() {
		ext, _ := e.(map[string]any)["extensions"].(map[string]any)
		code, _ := ext["code"].(string)
		out = append(out, code)
	}
	return out
}

func (r response) cost() map[string]any {
	ext, _ := r.Body["extensions"].(map[string]any)
	c, _ := ext["cost"].(map[string]any)
	return c
}

func (r response) throttle() map[string]any {
	t, _ := r.cost()["throttleStatus"].(map[string]any)
	return t
}

// client posts GraphQL to one shop of a fake with a plain net/http client.
type client struct {
	t       *testing.T
	srv     *shopifytest.Server
	domain  string
	token   string
	version string
}

func newClient(t *testing.T, srv *shopifytest.Server) *client {
	return &client{t: t, srv: srv, domain: testDomain, token: testToken, version: testVersion}
}

// do posts and decodes, failing the test on a transport error.
func (c *client) do(query string, vars map[string]any) response {
	c.t.Helper()
	r, err := c.try(query, vars)
	require.NoError(c.t, err)
	return r
}

// try posts and decodes, returning a transport error.
func (c *client) try(query string, vars map[string]any) (response, error) {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return response{}, err
	}
	return c.raw(http.MethodPost, body)
}

func (c *client) raw(method string, body []byte) (response, error) {
	base, hc := c.srv.URL(), &http.Client{Timeout: 10 * time.Second}
	if base == "" { // NewInProcess: through Transport
		base, hc = "https://"+c.domain, c.srv.Client()
	}
	req, err := http.NewRequest(method, base+"/admin/api/"+c.version+"/graphql.json", bytes.NewReader(body))
	if err != nil {
		return response{}, err
	}
	req.Host = c.domain
	req.Header.Set("Content-Type", "application/json")
	if c.token != "" {
		req.Header.Set("X-Shopify-Access-Token", c.token)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return response{}, err
	}
	out := response{Status: resp.StatusCode, Header: resp.Header, Raw: raw}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out.Body); err != nil {
			return out, err
		}
	}
	return out, nil
}

// fakeClock is a settable clock for WithClock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2025, 10, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fixture is a server with one shop, two locations and a seeded order:
// line 0 (MUG ×3) and line 1 (TEE ×1) in one OPEN FO at "Warehouse".
type fixture struct {
	srv   *shopifytest.Server
	shop  *shopifytest.Shop
	c     *client
	clock *fakeClock
	wh    string // Warehouse location
	store string // Store location
	ref   shopifytest.OrderRef
}

func newFixture(t *testing.T, opts ...shopifytest.Option) *fixture {
	t.Helper()
	clock := newFakeClock()
	srv := shopifytest.NewServer(append([]shopifytest.Option{shopifytest.WithClock(clock.Now)}, opts...)...)
	t.Cleanup(srv.Close)
	shop := srv.AddShop(testDomain, testToken)
	f := &fixture{srv: srv, shop: shop, c: newClient(t, srv), clock: clock}
	f.wh = shop.AddLocation("Warehouse")
	f.store = shop.AddLocation("Store")
	f.ref = shop.AddOrder(shopifytest.OrderSeed{
		Name:  "#1001",
		Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 3}, {SKU: "TEE", Quantity: 1}},
	})
	return f
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}
