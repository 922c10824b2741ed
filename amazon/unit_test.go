package amazon

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/shopctrl/tracksync/tracking"
	"github.com/stretchr/testify/require"
)

var testCreds = Credentials{ClientID: "amzn1.application-oa2-client.test", ClientSecret: "amzn1.oa2-cs.v1.SECRETSECRET", RefreshToken: "Atzr|REFRESHSECRET"}

func TestMarketplaceRegion(t *testing.T) {
	tests := []struct {
		region Region
		id     string
		ok     bool
		text   string
	}{
		{Europe, "A1PA6795UKMFR9", true, ""},
		{Europe, "A1805IZSGTT6HS", true, ""},
		{NorthAmerica, "ATVPDKIKX0DER", true, ""},
		{FarEast, "A1VC38T7YXB528", true, ""},
		{NorthAmerica, "A1PA6795UKMFR9", false, "belongs to region eu, but the client is for region na"},
		{Europe, "NOPE", false, "is unknown"},
	}
	for _, tt := range tests {
		err := tt.region.checkMarketplace(tt.id)
		if tt.ok {
			require.NoError(t, err)
			continue
		}
		require.ErrorIs(t, err, ErrMarketplace)
		require.ErrorContains(t, err, tt.text)
	}
}

func TestSplitStore(t *testing.T) {
	s, m, err := SplitStore("A2SELLER/A1PA6795UKMFR9")
	require.NoError(t, err)
	require.Equal(t, []string{"A2SELLER", "A1PA6795UKMFR9"}, []string{s, m})
	for _, bad := range []string{"", "A2SELLER", "/M", "S/", "S/M/X"} {
		_, _, err := SplitStore(bad)
		require.Error(t, err, bad)
	}
}

func TestPackageReferenceID(t *testing.T) {
	seen := map[string]bool{}
	for i := range 10000 {
		ref := PackageReferenceID(fmt.Sprint("SHP-", i))
		n, err := strconv.ParseUint(ref, 10, 64)
		require.NoError(t, err)
		require.True(t, n >= 1 && n < 1<<53, "a positive integer JSON numbers hold exactly")
		require.False(t, seen[ref])
		seen[ref] = true
	}
	require.Equal(t, PackageReferenceID("SHP-7010"), PackageReferenceID("SHP-7010"), "stable")
}

func TestConfirmShipmentRequestCheck(t *testing.T) {
	good := ConfirmShipmentRequest{MarketplaceID: "A1PA6795UKMFR9", PackageDetail: PackageDetail{PackageReferenceID: "17", CarrierCode: "UPS",
		TrackingNumber: "1Z999AA10123456784", ShipDate: "2026-11-24T09:00:00Z", OrderItems: []OrderItemQuantity{{"111", 1}}}}
	require.NoError(t, good.check(Europe))
	tests := []struct {
		mutate func(r *ConfirmShipmentRequest)
		text   string
	}{
		{func(r *ConfirmShipmentRequest) { r.PackageDetail.PackageReferenceID = "abc" }, `packageReferenceId "abc" is not a positive integer`},
		{func(r *ConfirmShipmentRequest) { r.PackageDetail.PackageReferenceID = "0" }, "not a positive integer"},
		{func(r *ConfirmShipmentRequest) { r.PackageDetail.CarrierCode = "" }, "carrierCode is empty"},
		{func(r *ConfirmShipmentRequest) { r.PackageDetail.CarrierCode = "Other" }, `carrierName is required with carrierCode "Other"`},
		{func(r *ConfirmShipmentRequest) { r.PackageDetail.ShipDate = "24-11-2026" }, "is not RFC 3339"},
		{func(r *ConfirmShipmentRequest) { r.PackageDetail.OrderItems = nil }, "orderItems is empty"},
		{func(r *ConfirmShipmentRequest) { r.PackageDetail.OrderItems[0].Quantity = 0 }, "quantity 0"},
		{func(r *ConfirmShipmentRequest) { r.MarketplaceID = "ATVPDKIKX0DER" }, "belongs to region na"},
	}
	for _, tt := range tests {
		r := good
		r.PackageDetail.OrderItems = append([]OrderItemQuantity(nil), good.PackageDetail.OrderItems...)
		tt.mutate(&r)
		require.ErrorContains(t, r.check(Europe), tt.text)
	}
}

func TestSecretsStayOutOfStrings(t *testing.T) {
	c, err := NewClient(testCreds, Europe)
	require.NoError(t, err)
	for _, s := range []string{testCreds.String(), fmt.Sprintf("%v %+v %#v", testCreds, testCreds, testCreds), c.String(), fmt.Sprintf("%#v", c)} {
		require.NotContains(t, s, "SECRET")
	}
}

// testTokenSource is the token source of a client whose LWA endpoint is
// lwa.
func testTokenSource(t *testing.T, creds Credentials, lwa string, hc *http.Client) *tokenSource {
	t.Helper()
	opts := []Option{WithTestEndpoints("http://127.0.0.1:1", lwa)}
	if hc != nil {
		opts = append(opts, WithHTTPClient(hc))
	}
	c, err := NewClient(creds, Europe, opts...)
	require.NoError(t, err)
	return c.tokens
}

// lwaServer counts token requests and issues tokens that expire after ttl.
func lwaHandler(calls *atomic.Int32, ttl int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		_ = r.ParseForm()
		if r.Form.Get("refresh_token") != testCreds.RefreshToken || r.Form.Get("client_secret") != testCreds.ClientSecret {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"error":"invalid_grant","error_description":"The request has an invalid grant parameter : refresh_token"}`)
			return
		}
		_, _ = fmt.Fprintf(w, `{"access_token":"Atza|token-%d","token_type":"bearer","expires_in":%d,"refresh_token":"%s"}`, n, ttl, testCreds.RefreshToken)
	}
}

func TestTokenSourceOneRefreshForManyGoroutines(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(lwaHandler(&calls, 3600))
	defer srv.Close()
	ts := testTokenSource(t, testCreds, srv.URL, nil)
	var wg sync.WaitGroup
	tokens := make([]string, 50)
	for i := range 50 {
		wg.Go(func() {
			tok, err := ts.get(t.Context())
			require.NoError(t, err)
			tokens[i] = tok
		})
	}
	wg.Wait()
	require.Equal(t, int32(1), calls.Load())
	for _, tok := range tokens {
		require.Equal(t, "Atza|token-1", tok)
	}
}

func TestTokenSourceErrors(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(lwaHandler(&calls, 3600))
	defer srv.Close()
	bad := testCreds
	bad.RefreshToken = "Atzr|WRONG"
	ts := testTokenSource(t, bad, srv.URL, nil)
	_, err := ts.get(t.Context())
	var le *LWAError
	require.ErrorAs(t, err, &le)
	require.ErrorIs(t, err, ErrLWA)
	require.Equal(t, "invalid_grant", le.Code)
	require.NotContains(t, err.Error(), "WRONG")
}

// memTransport serves requests with a handler in memory, so that token
// expiry can be tested on the fake clock of a synctest bubble.
type memTransport struct{ h http.Handler }

func (m memTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	m.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

func TestTokenSourceRefreshesAMinuteEarly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var calls atomic.Int32
		ts := testTokenSource(t, testCreds, "http://127.0.0.1/auth/o2/token", &http.Client{Transport: memTransport{lwaHandler(&calls, 3600)}})
		tok, err := ts.get(t.Context())
		require.NoError(t, err)
		require.Equal(t, "Atza|token-1", tok)
		time.Sleep(3600*time.Second - refreshEarly - time.Second)
		tok, _ = ts.get(t.Context())
		require.Equal(t, "Atza|token-1", tok, "still valid for more than a minute")
		time.Sleep(2 * time.Second)
		tok, _ = ts.get(t.Context())
		require.Equal(t, "Atza|token-2", tok, "refreshed within the last minute")
		require.Equal(t, int32(2), calls.Load())
		ts.invalidate("Atza|token-2")
		tok, _ = ts.get(t.Context())
		require.Equal(t, "Atza|token-3", tok)
	})
}

func TestTokenSourceWaiterHonoursItsContext(t *testing.T) {
	started, block := make(chan struct{}), make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-block
		_, _ = io.WriteString(w, `{"access_token":"Atza|x","expires_in":3600}`)
	}))
	defer srv.Close()
	defer close(block)
	ts := testTokenSource(t, testCreds, srv.URL, nil)
	go func() { _, _ = ts.get(context.Background()) }()
	<-started // the refresh is in flight
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := ts.get(ctx)
	require.ErrorIs(t, err, context.Canceled)
}

func TestErrorResponse(t *testing.T) {
	e := &ErrorResponse{Operation: "confirmShipment", StatusCode: 400, RequestID: "rid-1", Errors: []Error{{Code: "InvalidInput", Message: "Invalid packageReferenceId", Details: "must be numeric"}}}
	require.ErrorIs(t, e, ErrInvalidInput)
	require.True(t, e.HasCode("invalidinput"))
	require.Equal(t, "amazon: confirmShipment: HTTP 400 Bad Request: InvalidInput: Invalid packageReferenceId (must be numeric) (request rid-1)", e.Error())
	require.True(t, strings.Contains(e.text(), "numeric"))
}

func TestPacerRefusesAnImplausiblyLongWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// x-amzn-RateLimit-Limit: 0.0001 would park the next request for
		// almost three hours.
		p := newPacer(UsagePlan{Rate: 2, Burst: 1})
		p.retune(0.0001)
		_, err := p.wait(t.Context())
		require.NoError(t, err, "the burst token")
		p.answered(time.Now(), http.StatusOK)

		start := time.Now()
		_, err = p.wait(t.Context())
		require.ErrorIs(t, err, ErrWaitTooLong)
		var we *WaitError
		require.ErrorAs(t, err, &we)
		require.Greater(t, we.Wait, time.Hour)
		require.Equal(t, time.Duration(0), time.Since(start), "refused at once, not after waiting")
		retryable, after := tracking.Classify(err)
		require.True(t, retryable)
		require.Equal(t, we.Wait, after)

		p.retune(2) // a plausible rate again: the refused wait held no token
		_, err = p.wait(t.Context())
		require.NoError(t, err)
	})
}
