package shopify_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/shopify"
	"github.com/shopctrl/tracksync/shopify/shopifytest"
	"github.com/shopctrl/tracksync/tracking"
)

// A server that always says there is another page cannot make a read go
// on forever.
func TestReadStopsAfterMaxPages(t *testing.T) {
	for _, moving := range []bool{true, false} {
		t.Run(fmt.Sprintf("cursor moves=%v", moving), func(t *testing.T) {
			var calls atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n := calls.Add(1)
				cursor := "c"
				if moving {
					cursor = fmt.Sprint("c", n)
				}
				body, _ := io.ReadAll(r.Body)
				lines := `{"pageInfo":{"hasNextPage":true,"endCursor":"` + cursor + `"},"nodes":[]}`
				data := `{"fulfillmentOrder":{"lineItems":` + lines + `}}`
				if strings.Contains(string(body), "TracksyncOrder(") {
					data = `{"order":{"id":"gid://shopify/Order/1","fulfillmentOrders":{"pageInfo":{"hasNextPage":false},"nodes":[{"id":"gid://shopify/FulfillmentOrder/1","status":"OPEN",
						"lineItems":` + lines + `,"fulfillments":{"pageInfo":{"hasNextPage":false},"nodes":[]}}]}}}`
				}
				_, _ = io.WriteString(w, `{"data":`+data+`}`)
			}))
			defer srv.Close()
			c, err := shopify.NewClient(shopDomain, shopToken, shopify.WithBaseURL(srv.URL))
			require.NoError(t, err)
			_, _, err = c.Order(t.Context(), "1")
			require.Error(t, err)
			retryable, _ := tracking.Classify(err)
			require.False(t, retryable, "a server that pages forever does not get better by trying again")
			if moving {
				require.ErrorIs(t, err, shopify.ErrPageLimit)
				require.EqualValues(t, shopify.MaxPages, calls.Load())
			} else {
				require.ErrorContains(t, err, "did not move")
				require.EqualValues(t, 2, calls.Load())
			}
		})
	}
}

// A shop reporting a restore rate of 0.0001 points a second would park a
// worker for hours; the client refuses at once, retryably. A rate so low
// that the wait overflows a Duration (1e-12) is refused the same way.
func TestImplausibleRestoreRateFailsRetryably(t *testing.T) {
	for _, rate := range []string{"0.0001", "1e-12"} {
		t.Run(rate, func(t *testing.T) {
			e := newEnv(t)
			ref := e.shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 1}}, FulfillmentOrders: []shopifytest.FOSeed{{Location: e.ams}}})
			e.srv.InjectFault(shopifytest.Fault{Operation: "order", Status: 200,
				Body: `{"data":{"order":null},"extensions":{"cost":{"requestedQueryCost":16,"actualQueryCost":1,"throttleStatus":{"maximumAvailable":2000.0,"currentlyAvailable":0,"restoreRate":` + rate + `}}}}`})
			o := hostOrder(ref, []int{1}, pkg("S1", "AMS", "ups", "1Z999AA10123456784", item("L0", 1)))
			res, err := e.exporter.Export(t.Context(), o)
			require.NoError(t, err)
			require.ErrorIs(t, res.Shipments[0].Err, shopify.ErrNotFound)

			start := time.Now()
			res, err = e.exporter.Export(t.Context(), o)
			require.NoError(t, err)
			require.Less(t, time.Since(start), time.Minute)
			r := res.Shipments[0]
			require.Equal(t, tracking.Failed, r.State)
			require.ErrorIs(t, r.Err, shopify.ErrWaitTooLong)
			require.Contains(t, r.Reason, "implausible")
			retryable, after := tracking.Classify(r.Err)
			require.True(t, retryable)
			require.Equal(t, shopify.DefaultMaxWait, after)
			require.Len(t, e.srv.Requests(), 1, "nothing sent the second time")
		})
	}
}

// A fulfillmentCreate answered with an empty fulfillment id is not a
// push: the outcome is read back.
func TestExportEmptyFulfillmentIDIsReadBack(t *testing.T) {
	e := newEnv(t)
	ref := e.shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 1}}, FulfillmentOrders: []shopifytest.FOSeed{{Location: e.ams}}})
	e.srv.InjectFault(shopifytest.Fault{Operation: "fulfillmentCreate", Status: 200,
		Body: `{"data":{"m0":{"fulfillment":{"id":"","status":"SUCCESS"},"userErrors":[]}},"extensions":{"cost":{"requestedQueryCost":10,"actualQueryCost":10,"throttleStatus":{"maximumAvailable":2000.0,"currentlyAvailable":1980,"restoreRate":100.0}}}}`})
	res, err := e.exporter.Export(t.Context(), hostOrder(ref, []int{1}, pkg("S1", "AMS", "ups", "1Z999AA10123456784", item("L0", 1))))
	require.NoError(t, err)
	require.Equal(t, []string{"S1=pushed"}, states(res))
	fs := e.shop.Fulfillments(ref.ID)
	require.Len(t, fs, 1, "the answer said nothing; the read showed nothing; sent once more")
	require.Equal(t, fs[0].ID, res.Shipments[0].RemoteID)
}

func TestErrorsSayWhetherToRetry(t *testing.T) {
	tests := []struct {
		err       error
		retryable bool
		after     time.Duration
	}{
		{&shopify.HTTPError{StatusCode: 503}, true, 0},
		{&shopify.HTTPError{StatusCode: 429, RetryIn: 2 * time.Second}, true, 2 * time.Second},
		{&shopify.HTTPError{StatusCode: 401}, false, 0},
		{&shopify.HTTPError{StatusCode: 404}, false, 0},
		{&shopify.ErrorResponse{Errors: []shopify.GraphQLError{{Message: "Throttled", Extensions: map[string]any{"code": "THROTTLED"}}}}, true, 0},
		{&shopify.ErrorResponse{Errors: []shopify.GraphQLError{{Message: "Access denied", Extensions: map[string]any{"code": "ACCESS_DENIED"}}}}, false, 0},
		{&shopify.ErrorResponse{Errors: []shopify.GraphQLError{{Message: "Field 'x' doesn't exist"}}}, false, 0},
		{&shopify.ThrottledError{Cost: 10, RetryIn: 3 * time.Second}, true, 3 * time.Second},
		{&shopify.UserErrors{Mutation: "fulfillmentCreate", Errors: []shopify.UserError{{Message: "no"}}}, false, 0},
		{&shopify.WaitError{Wait: time.Hour, Limit: 5 * time.Minute}, true, 5 * time.Minute},
		{fmt.Errorf("wrapped: %w", &shopify.HTTPError{StatusCode: 500}), true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.err.Error(), func(t *testing.T) {
			retryable, after := tracking.Classify(tt.err)
			require.Equal(t, tt.retryable, retryable)
			require.Equal(t, tt.after, after)
		})
	}
}
