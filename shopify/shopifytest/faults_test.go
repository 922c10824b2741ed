package shopifytest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/shopify/shopifytest"
)

func TestFaults(t *testing.T) {
	tests := []struct {
		name  string
		fault shopifytest.Fault
		// timeout of the client, 0 for the default.
		timeout     time.Duration
		wantErr     bool
		wantStatus  int
		wantBody    string
		wantApplied bool
		wantHeader  map[string]string
	}{
		{name: "status with body", fault: shopifytest.Fault{Operation: "fulfillmentCreate", Status: 503, Body: `{"errors":"Service Unavailable"}`},
			wantStatus: 503, wantBody: `{"errors":"Service Unavailable"}`},
		{name: "429 with Shopify's body and Retry-After", fault: shopifytest.Fault{Status: 429},
			wantStatus: 429, wantBody: `{"errors":"Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."}`,
			wantHeader: map[string]string{"Retry-After": "1.0"}},
		{name: "500 by operation name", fault: shopifytest.Fault{Operation: "Create", Status: 500},
			wantStatus: 500, wantBody: `{"errors":"Internal Server Error"}`},
		{name: "drop before commit", fault: shopifytest.Fault{DropBeforeCommit: true},
			wantErr: true},
		{name: "drop after commit: applied although the client got an error", fault: shopifytest.Fault{DropAfterCommit: true},
			wantErr: true, wantApplied: true},
		{name: "delay the client outwaits", fault: shopifytest.Fault{Delay: 50 * time.Millisecond},
			wantStatus: 200, wantApplied: true},
		{name: "delay past the client's timeout: not applied", fault: shopifytest.Fault{Delay: 2 * time.Second},
			timeout: 100 * time.Millisecond, wantErr: true},
		{name: "fault for another shop", fault: shopifytest.Fault{Shop: "other.myshopify.com", Status: 500},
			wantStatus: 200, wantApplied: true},
		{name: "fault for another operation", fault: shopifytest.Fault{Operation: "fulfillmentOrderMove", Status: 500},
			wantStatus: 200, wantApplied: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.srv.InjectFault(tt.fault)
			body := []byte(mustJSON(t, map[string]any{"query": createMutation, "variables": fulfillmentVars(foInput(f.ref.FulfillmentOrderIDs[0]))}))
			req, err := http.NewRequest("POST", f.srv.URL()+"/admin/api/2026-10/graphql.json", bytesReader(body))
			require.NoError(t, err)
			req.Host = testDomain
			req.Header.Set("X-Shopify-Access-Token", testToken)
			timeout := tt.timeout
			if timeout == 0 {
				timeout = 5 * time.Second
			}
			resp, err := (&http.Client{Timeout: timeout}).Do(req)
			if tt.wantErr {
				require.Error(t, err)
			} else {
				require.NoError(t, err)
				defer resp.Body.Close()
				require.Equal(t, tt.wantStatus, resp.StatusCode)
				if tt.wantBody != "" {
					require.JSONEq(t, tt.wantBody, readAll(t, resp))
				}
				for k, v := range tt.wantHeader {
					require.Equal(t, v, resp.Header.Get(k))
				}
			}
			// Let a handler still sleeping notice its client left.
			require.Eventually(t, func() bool { return len(f.srv.Requests()) == 1 }, 5*time.Second, 5*time.Millisecond)
			if tt.wantApplied {
				require.Len(t, f.shop.Fulfillments(f.ref.ID), 1)
			} else {
				require.Empty(t, f.shop.Fulfillments(f.ref.ID))
			}
			rec := f.srv.Requests()[0]
			require.Equal(t, tt.wantApplied, rec.Executed)
			if tt.wantErr && tt.timeout == 0 {
				require.Equal(t, 0, rec.Status, "dropped")
				require.True(t, rec.Fault)
			}

			// Faults fire once by default: the next request goes through.
			r := f.c.do(`{ shop { id } }`, nil)
			require.Equal(t, 200, r.Status)
		})
	}
}

func TestFaultsAreConsumedInOrder(t *testing.T) {
	f := newFixture(t)
	f.srv.InjectFault(shopifytest.Fault{Operation: "fulfillmentCreate", Status: 502, Times: 2})
	f.srv.InjectFault(shopifytest.Fault{Status: 503})
	f.srv.InjectFault(shopifytest.Fault{Status: 504})

	q := `{ shop { id } }`
	require.Equal(t, 503, f.c.do(q, nil).Status, "the first fault matching a query is the second one")
	mutation := func() int {
		return f.c.do(createMutation, fulfillmentVars(foInput(f.ref.FulfillmentOrderIDs[0]))).Status
	}
	require.Equal(t, 502, mutation())
	require.Equal(t, 502, mutation())
	require.Equal(t, 504, mutation())
	require.Equal(t, 200, mutation())
	require.Len(t, f.shop.Fulfillments(f.ref.ID), 1)
}

func TestLatency(t *testing.T) {
	f := newFixture(t, shopifytest.WithLatency(30*time.Millisecond))
	start := time.Now()
	f.c.do(`{ shop { id } }`, nil)
	require.GreaterOrEqual(t, time.Since(start), 30*time.Millisecond)
}

func TestDropAfterCommitOfAThrottledRequest(t *testing.T) {
	f := newFixture(t, shopifytest.WithBucket(5, 1))
	f.srv.InjectFault(shopifytest.Fault{DropAfterCommit: true})
	_, err := f.c.try(createMutation, fulfillmentVars(foInput(f.ref.FulfillmentOrderIDs[0])))
	require.Error(t, err)
	rec := f.srv.Requests()[0]
	require.True(t, rec.Throttled)
	require.False(t, rec.Executed, "dropped, but nothing was applied")
	require.Equal(t, []string{"fulfillmentCreate"}, rec.Fields)
	require.Empty(t, f.shop.Fulfillments(f.ref.ID))
}
