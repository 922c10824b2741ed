package amazontest

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestUsagePlanBurstThrottleAndRefill(t *testing.T) {
	e := newEnv(t)
	e.addOrderA()
	path := "/orders/2026-01-01/orders/" + orderA
	for i := range 30 { // the burst of getOrder
		r := e.call(http.MethodGet, path, nil)
		require.Equal(t, http.StatusOK, r.status, "request %d", i)
	}
	r := e.call(http.MethodGet, path, nil)
	require.Equal(t, http.StatusTooManyRequests, r.status)
	require.Equal(t, apiError{Code: "QuotaExceeded", Message: "You exceeded your quota for the requested resource."}, r.onlyError(t))
	require.Empty(t, r.header.Get("Retry-After"), "Amazon sends no Retry-After")
	require.Empty(t, r.header.Get("x-amzn-RateLimit-Limit"), "429 answers carry no rate limit")
	require.NotEmpty(t, r.header.Get("x-amzn-RequestId"))
	require.Equal(t, 1, e.srv.Throttled())

	// At 0.5 per second, a token comes back after two seconds, not one.
	e.clock.Advance(time.Second)
	require.Equal(t, http.StatusTooManyRequests, e.call(http.MethodGet, path, nil).status)
	e.clock.Advance(time.Second)
	require.Equal(t, http.StatusOK, e.call(http.MethodGet, path, nil).status)
	require.Equal(t, http.StatusTooManyRequests, e.call(http.MethodGet, path, nil).status)
	require.Equal(t, 3, e.srv.Throttled())

	// Buckets are per operation: getOrderItems still has its burst.
	require.Equal(t, http.StatusOK, e.call(http.MethodGet, "/orders/v0/orders/"+orderA+"/orderItems", nil).status)

	// A long pause refills no more than the burst.
	e.clock.Advance(59 * time.Minute)
	e.login()
	ok := 0
	for range 40 {
		if e.call(http.MethodGet, path, nil).status == http.StatusOK {
			ok++
		}
	}
	require.Equal(t, 30, ok)

	limited := 0
	for _, rq := range e.srv.Requests() {
		if rq.RateLimited {
			limited++
			require.Equal(t, http.StatusTooManyRequests, rq.Status)
		}
	}
	require.Equal(t, e.srv.Throttled(), limited)
}

func TestUsagePlansArePerSeller(t *testing.T) {
	e := newEnv(t, WithUsagePlan(OpGetOrderV0, 1, 2))
	e.addOrderA()
	two := e.srv.AddSeller("A2SELLERTWO", Credentials{ClientID: testClientID, ClientSecret: testClientSecret, RefreshToken: "Atzr|two"})
	_, err := two.AddOrder(OrderSeed{AmazonOrderID: orderA, Items: []ItemSeed{{Quantity: 1}}})
	require.NoError(t, err)
	r := e.lwa(tokenForm("Atzr|two"))
	var tok tokenResponse
	r.decode(t, &tok)

	path := "/orders/v0/orders/" + orderA
	for range 2 {
		require.Equal(t, http.StatusOK, e.call(http.MethodGet, path, nil).status)
	}
	require.Equal(t, http.StatusTooManyRequests, e.call(http.MethodGet, path, nil).status)
	other := e.rawCall(http.MethodGet, path, nil, "x-amz-access-token", tok.AccessToken, "User-Agent", testUserAgent)
	require.Equal(t, http.StatusOK, other.status, "another seller has its own bucket")
	require.Equal(t, "1.0", other.header.Get("x-amzn-RateLimit-Limit"), "the header reports the configured rate")
}

func TestWithUsagePlanTinyHugeAndUnlimited(t *testing.T) {
	t.Run("tiny", func(t *testing.T) {
		e := newEnv(t, WithUsagePlan(OpConfirmShipment, 0.1, 1))
		e.addOrderA()
		require.Equal(t, http.StatusNoContent, e.confirm(orderA, confirmBody("1")).status)
		r := e.confirm(orderA, confirmBody("2"))
		require.Equal(t, http.StatusTooManyRequests, r.status)
		require.Len(t, e.seller.Packages(orderA), 1, "a throttled confirmation is not applied")
		e.clock.Advance(10 * time.Second)
		require.Equal(t, http.StatusNoContent, e.confirm(orderA, confirmBody("2")).status)
	})
	t.Run("huge", func(t *testing.T) {
		e := newEnv(t, WithUsagePlan(OpGetOrderV0, 1000, 1000))
		e.addOrderA()
		for range 500 {
			require.Equal(t, http.StatusOK, e.call(http.MethodGet, "/orders/v0/orders/"+orderA, nil).status)
		}
		require.Zero(t, e.srv.Throttled())
	})
	t.Run("unlimited", func(t *testing.T) {
		e := newEnv(t, WithUsagePlan(OpGetOrderV0, 0, 0))
		e.addOrderA()
		for range 100 {
			r := e.call(http.MethodGet, "/orders/v0/orders/"+orderA, nil)
			require.Equal(t, http.StatusOK, r.status)
			require.Empty(t, r.header.Get("x-amzn-RateLimit-Limit"))
		}
	})
}

func TestDefaultUsagePlans(t *testing.T) {
	require.Equal(t, map[string]UsagePlan{
		OpConfirmShipment:    {Rate: 2, Burst: 10},
		OpGetOrderV0:         {Rate: 0.5, Burst: 30},
		OpGetOrderItems:      {Rate: 0.5, Burst: 30},
		OpGetOrder:           {Rate: 0.5, Burst: 30},
		OpCreateFeedDocument: {Rate: 0.5, Burst: 15},
		OpCreateFeed:         {Rate: 0.0083, Burst: 15},
		OpGetFeeds:           {Rate: 0.0222, Burst: 10},
		OpGetFeed:            {Rate: 2, Burst: 15},
		OpCancelFeed:         {Rate: 2, Burst: 15},
		OpGetFeedDocument:    {Rate: 0.0222, Burst: 10},
	}, DefaultUsagePlans())
	for rate, want := range map[float64]string{2: "2.0", 0.5: "0.5", 0.0083: "0.0083", 0.0222: "0.0222", 10: "10.0"} {
		require.Equal(t, want, formatRate(rate))
	}
}

func TestRateLimitHeaderByStatus(t *testing.T) {
	e := newEnv(t, WithUsagePlan(OpConfirmShipment, 2, 3))
	e.addOrderA()
	e.srv.InjectFault(Fault{Operation: OpConfirmShipment, Status: http.StatusInternalServerError})
	e.srv.InjectFault(Fault{Operation: OpConfirmShipment, Status: http.StatusServiceUnavailable})
	tests := []struct {
		name   string
		do     func() result
		status int
		header bool
	}{
		{"500 injected", func() result { return e.confirm(orderA, confirmBody("1")) }, 500, false},
		{"503 injected", func() result { return e.confirm(orderA, confirmBody("1")) }, 503, false},
		{"204", func() result { return e.confirm(orderA, confirmBody("1")) }, 204, true},
		{"404", func() result { return e.confirm("111-9999999-9999999", confirmBody("1")) }, 404, true},
		{"400", func() result { return e.confirm(orderA, confirmBody("x")) }, 400, true},
		{"429", func() result { return e.confirm(orderA, confirmBody("1")) }, 429, false},
		{"403", func() result {
			return e.rawCall(http.MethodPost, "/orders/v0/orders/"+orderA+"/shipmentConfirmation", confirmBody("1"), "User-Agent", testUserAgent)
		}, 403, false},
	}
	for _, tc := range tests {
		r := tc.do()
		require.Equal(t, tc.status, r.status, "%s: %s", tc.name, r.body)
		if tc.header {
			require.Equal(t, "2.0", r.header.Get("x-amzn-RateLimit-Limit"), tc.name)
		} else {
			require.Empty(t, r.header.Get("x-amzn-RateLimit-Limit"), tc.name)
		}
		require.NotEmpty(t, r.header.Get("x-amzn-RequestId"), tc.name)
	}
}
