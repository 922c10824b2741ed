package shopify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

const secretToken = "shpat_0123456789abcdefSECRET"

// scripted is a server that answers each request with the next reply.
type scripted struct {
	t       *testing.T
	mu      sync.Mutex
	replies []reply
	seen    []*http.Request
	bodies  []string
}

type reply struct {
	status int
	header map[string]string
	body   string
}

func (s *scripted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, _ := io.ReadAll(r.Body)
	s.seen = append(s.seen, r)
	s.bodies = append(s.bodies, string(b))
	if len(s.replies) == 0 {
		s.t.Errorf("unexpected request %d", len(s.seen))
		w.WriteHeader(500)
		return
	}
	rp := s.replies[0]
	s.replies = s.replies[1:]
	for k, v := range rp.header {
		w.Header().Set(k, v)
	}
	w.Header().Set("X-Request-Id", fmt.Sprintf("req-%d", len(s.seen)))
	w.WriteHeader(rp.status)
	_, _ = io.WriteString(w, rp.body)
}

func costJSON(requested, actual, avail float64) string {
	return fmt.Sprintf(`"extensions":{"cost":{"requestedQueryCost":%g,"actualQueryCost":%g,"throttleStatus":{"maximumAvailable":2000.0,"currentlyAvailable":%g,"restoreRate":1000.0}}}`, requested, actual, avail)
}

func newScripted(t *testing.T, opts []Option, replies ...reply) (*Client, *scripted) {
	t.Helper()
	s := &scripted{t: t, replies: replies}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c, err := NewClient("demo", secretToken, append([]Option{WithBaseURL(srv.URL), WithRetryMax(1)}, opts...)...)
	require.NoError(t, err)
	return c, s
}

func TestDoSendsTheShopifyWireFormat(t *testing.T) {
	c, s := newScripted(t, nil, reply{200, map[string]string{"X-Shopify-API-Version": DefaultAPIVersion}, `{"data":{"shop":{"name":"Demo"}},` + costJSON(1, 1, 1999) + `}`})
	var out struct {
		Shop struct{ Name string } `json:"shop"`
	}
	resp, err := c.Do(t.Context(), `query { shop { name } }`, nil, &out)
	require.NoError(t, err)
	require.Equal(t, "Demo", out.Shop.Name)
	require.Equal(t, 1999.0, resp.Cost.ThrottleStatus.CurrentlyAvailable)
	require.Equal(t, "req-1", resp.RequestID)
	r := s.seen[0]
	require.Equal(t, "/admin/api/"+DefaultAPIVersion+"/graphql.json", r.URL.Path)
	require.Equal(t, "demo.myshopify.com", r.Host, "the shop travels as Host to the loopback fake")
	require.Equal(t, secretToken, r.Header.Get("X-Shopify-Access-Token"))
	require.True(t, strings.HasPrefix(r.Header.Get("User-Agent"), "tracksync/"))
	require.JSONEq(t, `{"query":"query { shop { name } }"}`, s.bodies[0])
	st, ok := c.Throttle()
	require.True(t, ok)
	require.Equal(t, ThrottleStatus{MaximumAvailable: 2000, CurrentlyAvailable: 1999, RestoreRate: 1000}, st)
}

func TestDoErrors(t *testing.T) {
	tests := []struct {
		name     string
		replies  []reply
		sentinel error
		text     string
		requests int
	}{
		{"401", []reply{{401, nil, `{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}`}},
			ErrUnauthorized, "HTTP 401 Unauthorized: [API] Invalid API key or access token", 1},
		{"403", []reply{{403, nil, `{"errors":"Forbidden"}`}}, ErrForbidden, "HTTP 403", 1},
		{"404", []reply{{404, nil, `{"errors":"Not Found"}`}}, ErrNotFound, "HTTP 404 Not Found: Not Found (request req-1)", 1},
		{"5xx is retried for a query, then reported", []reply{{503, nil, `oops`}, {502, nil, `{"errors":"Bad Gateway"}`}}, ErrServer, "HTTP 502", 2},
		{"access denied", []reply{{200, nil, `{"errors":[{"message":"Access denied for fulfillmentCreate field.","extensions":{"code":"ACCESS_DENIED"}}],` + costJSON(10, 10, 1990) + `}`}},
			ErrAccessDenied, "Access denied for fulfillmentCreate field. [ACCESS_DENIED]", 1},
		{"max cost", []reply{{200, nil, `{"errors":[{"message":"Query cost is 1250, which exceeds the single query max cost limit (1000).","extensions":{"code":"MAX_COST_EXCEEDED"}}]}`}},
			ErrMaxCost, "exceeds the single query max cost limit", 1},
		{"garbage", []reply{{200, nil, `{"data":`}}, nil, "decode response", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, s := newScripted(t, nil, tt.replies...)
			_, err := c.Do(t.Context(), `query { shop { name } }`, nil, nil)
			require.Error(t, err)
			if tt.sentinel != nil {
				require.ErrorIs(t, err, tt.sentinel)
			}
			require.ErrorContains(t, err, tt.text)
			require.NotContains(t, err.Error(), secretToken)
			require.Len(t, s.seen, tt.requests)
		})
	}
}

func TestMutationIsNotResentAfterAServerError(t *testing.T) {
	c, s := newScripted(t, nil, reply{503, nil, `{"errors":"Service Unavailable"}`})
	_, _, err := c.CreateFulfillments(t.Context(), []FulfillmentInput{{LineItemsByFulfillmentOrder: []FulfillmentOrderLineItems{{FulfillmentOrderID: "gid://shopify/FulfillmentOrder/1"}}}})
	require.ErrorIs(t, err, ErrServer)
	require.Len(t, s.seen, 1, "a write whose outcome is unknown is not resent blindly")
}

func TestThrottledIsRetriedAfterTheBucketRefills(t *testing.T) {
	throttled := `{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED","documentation":"https://shopify.dev/api/usage/rate-limits"}}],"extensions":{"cost":{"requestedQueryCost":50,"actualQueryCost":null,"throttleStatus":{"maximumAvailable":2000.0,"currentlyAvailable":45.0,"restoreRate":1000.0}}}}`
	c, s := newScripted(t, nil,
		reply{200, nil, throttled},
		reply{200, nil, `{"data":{"shop":{"name":"Demo"}},` + costJSON(50, 1, 1994) + `}`})
	resp, err := c.Do(t.Context(), `query { shop { name } }`, nil, nil)
	require.NoError(t, err)
	require.Len(t, s.seen, 2)
	require.Equal(t, 1994.0, resp.Cost.ThrottleStatus.CurrentlyAvailable)
}

func TestThrottledGivesUpAfterTheRetries(t *testing.T) {
	throttled := `{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}],"extensions":{"cost":{"requestedQueryCost":1,"actualQueryCost":null,"throttleStatus":{"maximumAvailable":2000.0,"currentlyAvailable":2000.0,"restoreRate":1000.0}}}}`
	c, s := newScripted(t, []Option{WithThrottleRetries(2)}, reply{200, nil, throttled}, reply{200, nil, throttled}, reply{200, nil, throttled})
	_, err := c.Do(t.Context(), `query { shop { name } }`, nil, nil)
	var te *ThrottledError
	require.ErrorAs(t, err, &te)
	require.ErrorIs(t, err, ErrThrottled)
	require.Len(t, s.seen, 3)
}

func TestVersionFallForwardIsLoggedOnce(t *testing.T) {
	var logs bytes.Buffer
	ok := reply{200, map[string]string{"X-Shopify-API-Version": "2025-01"}, `{"data":{},` + costJSON(1, 1, 1999) + `}`}
	c, _ := newScripted(t, []Option{WithAPIVersion("2023-04"), WithLogger(slog.New(slog.NewTextHandler(&logs, nil)))}, ok, ok)
	for range 2 {
		_, err := c.Do(t.Context(), `query { shop { name } }`, nil, nil)
		require.NoError(t, err)
	}
	require.Equal(t, 1, strings.Count(logs.String(), "served another API version"))
	require.Contains(t, logs.String(), "requested=2023-04 served=2025-01")
}

func TestSecretsStayOutOfStringsAndLogs(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, _ := newScripted(t, []Option{WithLogger(logger)}, reply{500, nil, `{"errors":"boom"}`}, reply{500, nil, `{"errors":"boom ` + secretToken + `"}`})
	_, err := c.Do(t.Context(), `query { shop { name } }`, nil, nil)
	require.Error(t, err)
	for _, s := range []string{c.String(), fmt.Sprintf("%v %+v %#v", c, c, c), err.Error(), logs.String()} {
		require.NotContains(t, s, secretToken)
		require.NotContains(t, s, "SECRET")
	}
	require.NotEmpty(t, logs.String())
}

func TestNewClientValidates(t *testing.T) {
	_, err := NewClient("evil.com", "t")
	require.ErrorIs(t, err, ErrShopDomain)
	_, err = NewClient("demo", "")
	require.Error(t, err)
	_, err = NewClient("demo", "t", WithBaseURL("https://example.com"))
	require.ErrorContains(t, err, "not a loopback address")
	_, err = NewClient("demo", "t", WithAPIVersion("latest"))
	require.ErrorContains(t, err, "want YYYY-MM")
}

func TestRequestBodiesAreValidJSONForBatches(t *testing.T) {
	ok := reply{200, nil, `{"data":{"m0":{"fulfillment":{"id":"gid://shopify/Fulfillment/1","status":"SUCCESS"},"userErrors":[]},"m1":{"fulfillment":null,"userErrors":[{"field":["fulfillment"],"message":"Fulfillment order does not exist."}]}},` + costJSON(20, 20, 1980) + `}`}
	c, s := newScripted(t, nil, ok)
	res, _, err := c.CreateFulfillments(t.Context(), []FulfillmentInput{
		{LineItemsByFulfillmentOrder: []FulfillmentOrderLineItems{{FulfillmentOrderID: "gid://shopify/FulfillmentOrder/1", LineItems: []LineItemQuantity{{ID: "gid://shopify/FulfillmentOrderLineItem/5", Quantity: 2}}}},
			TrackingInfo: &TrackingInfo{Company: "UPS", Number: "1Z999AA10123456784", URL: "https://www.ups.com/track?tracknum=1Z999AA10123456784"}},
		{LineItemsByFulfillmentOrder: []FulfillmentOrderLineItems{{FulfillmentOrderID: "gid://shopify/FulfillmentOrder/9"}}},
	})
	require.NoError(t, err)
	require.Equal(t, "gid://shopify/Fulfillment/1", res[0].FulfillmentID)
	require.ErrorIs(t, res[1].Err, ErrUserErrors)
	require.EqualError(t, res[1].Err, "shopify: fulfillmentCreate: fulfillment: Fulfillment order does not exist.")
	var body struct {
		Query     string                     `json:"query"`
		Variables map[string]json.RawMessage `json:"variables"`
	}
	require.NoError(t, json.Unmarshal([]byte(s.bodies[0]), &body))
	require.JSONEq(t, `{"lineItemsByFulfillmentOrder":[{"fulfillmentOrderId":"gid://shopify/FulfillmentOrder/1","fulfillmentOrderLineItems":[{"id":"gid://shopify/FulfillmentOrderLineItem/5","quantity":2}]}],"notifyCustomer":false,"trackingInfo":{"company":"UPS","number":"1Z999AA10123456784","url":"https://www.ups.com/track?tracknum=1Z999AA10123456784"}}`, string(body.Variables["fulfillment0"]))
	require.JSONEq(t, `{"lineItemsByFulfillmentOrder":[{"fulfillmentOrderId":"gid://shopify/FulfillmentOrder/9"}],"notifyCustomer":false}`, string(body.Variables["fulfillment1"]))
}
