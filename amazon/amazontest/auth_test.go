package amazontest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSPAPIAuthErrors(t *testing.T) {
	e := newEnv(t)
	e.addOrderA()
	good := e.login()
	path := "/orders/v0/orders/" + orderA
	tests := []struct {
		name    string
		headers []string
		status  int
		want    apiError
	}{
		{"no token", []string{"User-Agent", testUserAgent}, 403,
			apiError{Code: "Unauthorized", Message: "Access to requested resource is denied.", Details: "Access token is missing in the request header."}},
		{"unknown token", []string{"x-amz-access-token", "Atza|forged", "User-Agent", testUserAgent}, 403,
			apiError{Code: "Unauthorized", Message: "Access to requested resource is denied.", Details: "The access token you provided is revoked, malformed or invalid."}},
		{"refresh token used as access token", []string{"x-amz-access-token", testRefresh, "User-Agent", testUserAgent}, 403,
			apiError{Code: "Unauthorized", Message: "Access to requested resource is denied.", Details: "The access token you provided is revoked, malformed or invalid."}},
		{"no user-agent", []string{"x-amz-access-token", good}, 400,
			apiError{Code: "InvalidInput", Message: msgBadRequest, Details: "The user-agent header is required; send one that names your application and version."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.rawCall(http.MethodGet, path, nil, tc.headers...)
			require.Equal(t, tc.status, r.status, "body: %s", r.body)
			require.Equal(t, tc.want, r.onlyError(t))
			require.NotEmpty(t, r.header.Get("x-amzn-RequestId"))
			if tc.status == http.StatusForbidden {
				require.Empty(t, r.header.Get("x-amzn-RateLimit-Limit"), "403 answers carry no rate limit")
				require.Equal(t, "AccessDeniedException", r.header.Get("x-amzn-ErrorType"))
			} else {
				require.Equal(t, "0.5", r.header.Get("x-amzn-RateLimit-Limit"), "400 answers carry the rate limit")
			}
		})
	}
	// Refused requests are recorded without a seller and charge nothing.
	for _, rq := range e.srv.Requests() {
		if rq.Operation == OpGetOrderV0 && rq.Status == http.StatusForbidden {
			require.Empty(t, rq.Seller)
		}
	}
}

func TestRequestIDsAreUnique(t *testing.T) {
	e := newEnv(t)
	e.addOrderA()
	seen := map[string]bool{}
	last := ""
	for range 20 {
		r := e.call(http.MethodGet, "/orders/v0/orders/"+orderA, nil)
		last = r.header.Get("x-amzn-RequestId")
		require.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, last)
		require.False(t, seen[last], "duplicate request id %s", last)
		seen[last] = true
	}
	reqs := e.srv.Requests()
	require.Equal(t, last, reqs[len(reqs)-1].RequestID, "Requests records the id answered")
}

func TestUnknownPathsAndMethods(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct{ method, path string }{
		{http.MethodGet, "/orders/v0/orders"},
		{http.MethodPut, "/orders/v0/orders/" + orderA},
		{http.MethodGet, "/orders/v0/orders/" + orderA + "/shipmentConfirmation"},
		{http.MethodPut, "/feeds/2021-06-30/feeds"},
		{http.MethodGet, "/nothing/here"},
		{http.MethodGet, "/orders/v0/orders//orderItems"},
	} {
		r := e.call(tc.method, tc.path, nil)
		require.Equal(t, http.StatusNotFound, r.status, "%s %s", tc.method, tc.path)
		require.Equal(t, CodeNotFound, r.onlyError(t).Code)
	}
}
