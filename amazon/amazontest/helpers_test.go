package amazontest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The fixtures here are the tests' own: no test reads the reference
// models, which a user's clone does not have.

const (
	testClientID     = "amzn1.application-oa2-client.tracksynctest"
	testClientSecret = "amzn1.oa2-cs.v1.secret"
	testRefresh      = "Atzr|seller-one"
	testSellerID     = "A1SELLERONE"
	testUserAgent    = "tracksync-test/1.0 (Language=Go)"
	orderA           = "111-0000001-0000001"
	itemA1           = "10000000000001"
	itemA2           = "10000000000002"
)

// t0 is the fake clock's start; orders are bought an hour before.
var t0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// fakeClock is a settable clock, safe for concurrent use.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: t0} }

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

// env is a server with a fake clock and one seller.
type env struct {
	t      *testing.T
	srv    *Server
	clock  *fakeClock
	seller *Seller
	token  string
}

func newEnv(t *testing.T, opts ...Option) *env {
	t.Helper()
	clock := newClock()
	srv := NewServer(append([]Option{WithClock(clock.Now)}, opts...)...)
	t.Cleanup(srv.Close)
	e := &env{t: t, srv: srv, clock: clock}
	e.seller = srv.AddSeller(testSellerID, Credentials{ClientID: testClientID, ClientSecret: testClientSecret, RefreshToken: testRefresh})
	return e
}

// addOrderA seeds the standard order: item A1 × 3, item A2 × 1.
func (e *env) addOrderA(mutate ...func(*OrderSeed)) Order {
	e.t.Helper()
	seed := OrderSeed{
		AmazonOrderID: orderA,
		PurchaseDate:  t0.Add(-time.Hour),
		Items: []ItemSeed{
			{OrderItemID: itemA1, SKU: "MUG-RED", Quantity: 3},
			{OrderItemID: itemA2, SKU: "CAP-BLUE", Quantity: 1},
		},
	}
	for _, m := range mutate {
		m(&seed)
	}
	o, err := e.seller.AddOrder(seed)
	require.NoError(e.t, err)
	return o
}

// result is an answer, read whole.
type result struct {
	status int
	header http.Header
	body   []byte
}

func (r result) errors(t *testing.T) []apiError {
	t.Helper()
	var l errorList
	require.NoError(t, json.Unmarshal(r.body, &l), "body: %s", r.body)
	return l.Errors
}

// onlyError is the single error of an ErrorList answer.
func (r result) onlyError(t *testing.T) apiError {
	t.Helper()
	errs := r.errors(t)
	require.Len(t, errs, 1, "body: %s", r.body)
	return errs[0]
}

func (r result) decode(t *testing.T, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal(r.body, v), "body: %s", r.body)
}

// send makes one request with plain net/http and reads the answer.
func send(t *testing.T, client *http.Client, req *http.Request) result {
	t.Helper()
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return result{status: resp.StatusCode, header: resp.Header, body: b}
}

// lwa posts a token request with the given form.
func (e *env) lwa(form url.Values) result {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL()+"/auth/o2/token", strings.NewReader(form.Encode()))
	require.NoError(e.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
	return send(e.t, http.DefaultClient, req)
}

func tokenForm(refresh string) url.Values {
	return url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}, "client_id": {testClientID}, "client_secret": {testClientSecret}}
}

// login gets an access token for the test seller and keeps it.
func (e *env) login() string {
	e.t.Helper()
	r := e.lwa(tokenForm(testRefresh))
	require.Equal(e.t, http.StatusOK, r.status, "body: %s", r.body)
	var tok tokenResponse
	r.decode(e.t, &tok)
	e.token = tok.AccessToken
	return tok.AccessToken
}

// call makes an SP-API request with the kept token and a user-agent.
// body may be nil, a string (sent as is) or a value (sent as JSON).
func (e *env) call(method, path string, body any, headers ...string) result {
	e.t.Helper()
	if e.token == "" {
		e.login()
	}
	return e.rawCall(method, path, body, append([]string{"x-amz-access-token", e.token, "User-Agent", testUserAgent}, headers...)...)
}

// rawCall makes a request with exactly the given headers (pairs); a
// User-Agent of "" sends none.
func (e *env) rawCall(method, path string, body any, headers ...string) result {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		require.NoError(e.t, err)
		rd = bytes.NewReader(raw)
	}
	target := path
	if strings.HasPrefix(path, "/") {
		target = e.srv.URL() + path
	}
	req, err := http.NewRequest(method, target, rd)
	require.NoError(e.t, err)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("User-Agent", "") // Go sends none for an empty value
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return send(e.t, http.DefaultClient, req)
}

// confirmBody is a valid confirmShipment body for order A.
func confirmBody(ref string, items ...map[string]any) map[string]any {
	if len(items) == 0 {
		items = []map[string]any{{"orderItemId": itemA1, "quantity": 1}}
	}
	return map[string]any{
		"marketplaceId": DefaultMarketplaceID,
		"packageDetail": map[string]any{
			"packageReferenceId": ref,
			"carrierCode":        "UPS",
			"shippingMethod":     "UPS Ground",
			"trackingNumber":     "1Z999AA10123456784",
			"shipDate":           t0.Add(-10 * time.Minute).Format(time.RFC3339),
			"orderItems":         items,
		},
	}
}

func item(id string, qty int) map[string]any {
	return map[string]any{"orderItemId": id, "quantity": qty}
}

// pd is the packageDetail of a confirmShipment body, for tests to alter.
func pd(body map[string]any) map[string]any { return body["packageDetail"].(map[string]any) }

func (e *env) confirm(orderID string, body any) result {
	e.t.Helper()
	return e.call(http.MethodPost, "/orders/v0/orders/"+orderID+"/shipmentConfirmation", body)
}
