package shopify_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/internal/httpx/httpxtest"
	"github.com/shopctrl/tracksync/shopify"
)

// Fuzz targets for what a broken or hostile Shopify may answer (issue 10).
// Each runs the public client against an in-memory server that gives the
// fuzzed answer to every request, inside a synctest bubble so that waits
// cost no wall time and can be measured. Properties, for every answer:
// no panic; a bounded number of requests and a bounded wait (a server
// must not be able to spin or park a worker); a success only on HTTP 200;
// a non-200 reported as *HTTPError with its status; never the access
// token in an error.

const fuzzToken = "shpat_fuzz0000000000000000000000000000"

// fuzzBounds bound one call against a server that keeps saying "later" or
// "there is more": a wait generous beside Retry-After's five-minute cap
// but far below the hours a hostile restoreRate asks for, and the requests
// of paging, throttle retries and transport retries together.
var fuzzBounds = httpxtest.Bounds{Requests: 100, Wait: time.Hour}

// fuzzAnswer is what the fuzzed server says to every request.
type fuzzAnswer struct {
	status     int
	retryAfter string
	body       []byte
}

func (a fuzzAnswer) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if a.retryAfter != "" {
		w.Header().Set("Retry-After", a.retryAfter)
	}
	w.Header().Set("X-Shopify-API-Version", shopify.DefaultAPIVersion)
	w.WriteHeader(a.status)
	_, _ = w.Write(a.body)
}

// fuzzCall runs call against the fuzzed answer within fuzzBounds and
// checks the properties every call shares.
func fuzzCall(t *testing.T, a fuzzAnswer, call func(ctx context.Context, c *shopify.Client) error) {
	what := fmt.Sprintf("always answers %d %.300q", a.status, a.body)
	err := httpxtest.RunBounded(t, a, fuzzBounds, what, func(ctx context.Context, hc *http.Client) error {
		c, err := shopify.NewClient("fuzz.myshopify.com", fuzzToken, shopify.WithHTTPClient(hc),
			shopify.WithRetryMax(2), shopify.WithThrottleRetries(2))
		require.NoError(t, err)
		return call(ctx, c)
	})
	if err == nil {
		require.Equal(t, http.StatusOK, a.status, "success on HTTP %d", a.status)
		return
	}
	require.NotContains(t, err.Error(), fuzzToken)
	if a.status != http.StatusOK {
		var he *shopify.HTTPError
		require.True(t, errors.As(err, &he), "HTTP %d reported as %T: %v", a.status, err, err)
		require.Equal(t, a.status, he.StatusCode)
	}
}

// throttleBody is a THROTTLED answer with the given bucket state.
func throttleBody(available, restoreRate string) []byte {
	return []byte(`{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED","documentation":"https://shopify.dev/api/usage/rate-limits"}}],` +
		`"extensions":{"cost":{"requestedQueryCost":12,"actualQueryCost":null,"throttleStatus":{"maximumAvailable":2000.0,"currentlyAvailable":` + available + `,"restoreRate":` + restoreRate + `}}}}`)
}

// FuzzClientResponse fuzzes the answer to a GraphQL query: status,
// Retry-After and body (top-level errors, extensions.cost and its
// throttleStatus, HTTP error bodies).
func FuzzClientResponse(f *testing.F) {
	for _, s := range []struct {
		status     int
		retryAfter string
		body       string
	}{
		{200, "", `{"data":{"shop":{"name":"Fuzz"}},"extensions":{"cost":{"requestedQueryCost":1,"actualQueryCost":1,"throttleStatus":{"maximumAvailable":2000.0,"currentlyAvailable":1999,"restoreRate":100.0}}}}`},
		{200, "", string(throttleBody("0", "100.0"))},
		{200, "", string(throttleBody("10", "50"))},
		{200, "", string(throttleBody("0", "0.0001"))}, // a restore rate that would park a worker for hours (defect 4)
		{200, "", `{"errors":[{"message":"Access denied for shop field.","extensions":{"code":"ACCESS_DENIED"}}],"data":null}`},
		{200, "", `{"errors":[{"message":"Query cost is 2002, which exceeds the single query max cost limit (1000).","extensions":{"code":"MAX_COST_EXCEEDED","cost":2002,"maxCost":1000}}]}`},
		{200, "", `{"data":null}`},
		{200, "", `not json`},
		{200, "", ``},
		{401, "", `{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}`},
		{402, "", `{"errors":"Unavailable Shop"}`},
		{403, "", `{"errors":["forbidden"]}`},
		{404, "", `{"errors":"Not Found"}`},
		{423, "", `{"errors":"This shop is locked"}`},
		{429, "2.0", `{"errors":"Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."}`},
		{429, "99999999999", ``},
		{500, "", `{"errors":"Internal Server Error"}`},
		{503, "Fri, 31 Dec 2099 23:59:59 GMT", `<html>down</html>`},
	} {
		f.Add(s.status, s.retryAfter, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, status int, retryAfter string, body []byte) {
		if !httpxtest.HeaderValue(retryAfter) {
			return
		}
		fuzzCall(t, fuzzAnswer{httpxtest.FinalStatus(status), retryAfter, body}, func(ctx context.Context, c *shopify.Client) error {
			var out struct {
				Shop struct{ Name string } `json:"shop"`
			}
			_, err := c.Do(ctx, `{ shop { name } }`, nil, &out)
			return err
		})
	})
}

// fuzzOrderBody is a realistic first page of the order read.
const fuzzOrderBody = `{"data":{"order":{"id":"gid://shopify/Order/1001","name":"#1001","cancelledAt":null,"displayFulfillmentStatus":"UNFULFILLED",
"fulfillmentOrders":{"pageInfo":{"hasNextPage":false,"endCursor":"c1"},"nodes":[{"id":"gid://shopify/FulfillmentOrder/11","status":"OPEN",
"assignedLocation":{"location":{"id":"gid://shopify/Location/1"}},"supportedActions":[{"action":"CREATE_FULFILLMENT"},{"action":"MOVE"}],"fulfillmentHolds":[],
"lineItems":{"pageInfo":{"hasNextPage":false,"endCursor":"l1"},"nodes":[{"id":"gid://shopify/FulfillmentOrderLineItem/111","remainingQuantity":2,"totalQuantity":2,"lineItem":{"id":"gid://shopify/LineItem/5"}}]}}]},
"fulfillments":[{"id":"gid://shopify/Fulfillment/7","status":"SUCCESS","trackingInfo":[{"company":"DHL Express","number":"1234567890","url":"https://www.dhl.com/x"}]}]}},
"extensions":{"cost":{"requestedQueryCost":180,"actualQueryCost":20,"throttleStatus":{"maximumAvailable":2000.0,"currentlyAvailable":1980,"restoreRate":100.0}}}}`

// FuzzOrderResponse fuzzes the answers to the order read, which pages
// through fulfillment orders, their line items and fulfillments: the
// server answers every page with the same body.
func FuzzOrderResponse(f *testing.F) {
	f.Add([]byte(fuzzOrderBody))
	// A server that always says there is another page (issue 10, defect 4).
	f.Add([]byte(strings.Replace(fuzzOrderBody, `"hasNextPage":false,"endCursor":"c1"`, `"hasNextPage":true,"endCursor":"c1"`, 1)))
	f.Add([]byte(strings.ReplaceAll(fuzzOrderBody, `"hasNextPage":false`, `"hasNextPage":true`)))
	f.Add([]byte(`{"data":{"order":null}}`))
	f.Add([]byte(`{"data":{"order":{"id":"gid://shopify/Order/1001","fulfillmentOrders":{"nodes":[null]},"fulfillments":null}}}`))
	f.Add([]byte(`{"data":{"order":{"fulfillmentOrders":{"nodes":[{"lineItems":{"nodes":[{"remainingQuantity":-1,"totalQuantity":1e300}]}}]}}}}`))
	f.Add([]byte(`{"data":{"order":{"fulfillments":[{},{},{},{},{},{},{},{},{},{}]}}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		fuzzCall(t, fuzzAnswer{status: http.StatusOK, body: body}, func(ctx context.Context, c *shopify.Client) error {
			o, _, err := c.Order(ctx, "1001")
			if err == nil {
				require.NotNil(t, o, "no order and no error")
			}
			return err
		})
	})
}

// FuzzCreateFulfillmentsResponse fuzzes the answer to a batch of
// fulfillmentCreate mutations. A result reports either an error or the
// new fulfillment's id: a fulfillment recorded under an empty id could
// never be found again (issue 10, defect 8).
func FuzzCreateFulfillmentsResponse(f *testing.F) {
	f.Add([]byte(`{"data":{"m0":{"fulfillment":{"id":"gid://shopify/Fulfillment/9","status":"SUCCESS"},"userErrors":[]},"m1":{"fulfillment":null,"userErrors":[{"field":["fulfillment"],"message":"Invalid fulfillment order line item quantity requested."}]}}}`))
	f.Add([]byte(`{"data":{"m0":null,"m1":{}}}`))
	f.Add([]byte(`{"data":{"m0":{"fulfillment":{}}}}`)) // found by this target: an empty id taken as pushed (defect 8)
	f.Add([]byte(`{"data":{"m0":{"fulfillment":{"id":""}},"m1":{"fulfillment":{"id":""}}}}`))
	f.Add([]byte(`{"data":{"m0":{"fulfillment":{"id":"gid://shopify/Fulfillment/9"}},"m1":{"userErrors":[{"field":null,"message":""}]}}}`))
	f.Add([]byte(`{"data":{"m0":{"fulfillment":{"id":7}}}}`))
	f.Add([]byte(`{"data":{"m0":"x"}}`))
	inputs := []shopify.FulfillmentInput{
		{LineItemsByFulfillmentOrder: []shopify.FulfillmentOrderLineItems{{FulfillmentOrderID: "gid://shopify/FulfillmentOrder/11"}},
			TrackingInfo: &shopify.TrackingInfo{Company: "DHL Express", Number: "1234567890"}},
		{LineItemsByFulfillmentOrder: []shopify.FulfillmentOrderLineItems{{FulfillmentOrderID: "gid://shopify/FulfillmentOrder/12",
			LineItems: []shopify.LineItemQuantity{{ID: "gid://shopify/FulfillmentOrderLineItem/121", Quantity: 1}}}}},
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var results []shopify.FulfillmentResult
		fuzzCall(t, fuzzAnswer{status: http.StatusOK, body: body}, func(ctx context.Context, c *shopify.Client) error {
			r, _, err := c.CreateFulfillments(ctx, inputs)
			results = r
			return err
		})
		require.LessOrEqual(t, len(results), len(inputs))
		for i, r := range results {
			require.True(t, r.Err != nil || r.FulfillmentID != "", "result %d: no error and no fulfillment id, from %.300q", i, body)
		}
	})
}

// FuzzGID fuzzes the ids an order-management system hands over as
// ChannelOrderID: an accepted id is the canonical global id, stable under
// a second pass.
func FuzzGID(f *testing.F) {
	for _, s := range []string{"1001", "gid://shopify/Order/1001", " 42 ", "+1", "0", "-1", "18446744073709551616", "gid://shopify/Order/", "gid://shopify/Order/gid://shopify/Order/1", "1e3", "٣"} {
		f.Add("Order", s)
	}
	f.Fuzz(func(t *testing.T, kind, id string) {
		g, err := shopify.GID(kind, id)
		if err != nil {
			require.Empty(t, g)
			return
		}
		prefix := "gid://shopify/" + kind + "/"
		require.True(t, strings.HasPrefix(g, prefix), "%q", g)
		n, perr := strconv.ParseUint(strings.TrimPrefix(g, prefix), 10, 64)
		require.NoError(t, perr, "%q", g)
		require.NotZero(t, n)
		again, err := shopify.GID(kind, g)
		require.NoError(t, err)
		require.Equal(t, g, again)
	})
}
