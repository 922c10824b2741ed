package amazon_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/amazon"
	"github.com/shopctrl/tracksync/internal/httpx/httpxtest"
)

// Fuzz targets for what a broken or hostile SP-API or Login with Amazon
// may answer (issue 10). Each runs the public client against in-memory
// servers inside a synctest bubble, so waits cost no wall time and are
// measured. Properties, for every answer: no panic; a bounded number of
// requests and a bounded wait; success only on the operation's success
// status; failures typed (*ErrorResponse with the status, *RedirectError
// for a 3xx, *LWAError);
// never a token, refresh token or client secret in an error.

// fuzzBounds: two calls against a server that keeps saying "later" (429
// with Retry-After, a tiny x-amzn-RateLimit-Limit) may wait, but not the
// hours a hostile header asks for.
var fuzzBounds = httpxtest.Bounds{Requests: 40, Wait: time.Hour}

const fuzzOrderID = "028-1234567-1234567"

// fuzzSPAPI answers SP-API requests with a fixed status, rate-limit header
// and body, and token requests with lwaStatus and lwaBody.
type fuzzSPAPI struct {
	status    int
	rateLimit string
	body      []byte
	lwaStatus int
	lwaBody   []byte
}

func (s fuzzSPAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if r.URL.Path == "/auth/o2/token" {
		w.WriteHeader(s.lwaStatus)
		_, _ = w.Write(s.lwaBody)
		return
	}
	w.Header().Set("x-amzn-RequestId", "fuzz-request")
	if s.rateLimit != "" {
		w.Header().Set("x-amzn-RateLimit-Limit", s.rateLimit)
	}
	w.WriteHeader(s.status)
	_, _ = w.Write(s.body)
}

func (s fuzzSPAPI) String() string {
	return fmt.Sprintf("answers %d (rate limit %q) %.200q, and token requests %d %.200q", s.status, s.rateLimit, s.body, s.lwaStatus, s.lwaBody)
}

// fuzzCall runs call with a client of s within fuzzBounds and checks that
// no secret is in its error. The client has a one-request burst for
// getOrder, so a second call waits for the usage plan as retuned by the
// fuzzed x-amzn-RateLimit-Limit.
func fuzzCall(t *testing.T, s fuzzSPAPI, call func(ctx context.Context, c *amazon.Client) error) error {
	err := httpxtest.RunBounded(t, s, fuzzBounds, s.String(), func(ctx context.Context, hc *http.Client) error {
		c, err := amazon.NewClient(hostileCreds, amazon.Europe, amazon.WithHTTPClient(hc), amazon.WithRetryMax(2),
			amazon.WithUsagePlan("getOrder", 0.5, 1))
		require.NoError(t, err)
		return call(ctx, c)
	})
	if err != nil {
		for _, secret := range []string{hostileAccessToken, hostileCreds.ClientSecret, hostileCreds.RefreshToken} {
			require.NotContains(t, err.Error(), secret)
		}
	}
	return err
}

// FuzzClientResponse fuzzes the answer to getOrder: status, the
// x-amzn-RateLimit-Limit header the client retunes its pacing by, and the
// body (an order, or an SP-API error list).
func FuzzClientResponse(f *testing.F) {
	for _, s := range []struct {
		status    int
		rateLimit string
		body      string
	}{
		{200, "0.5", `{"order":{"orderId":"` + fuzzOrderID + `","salesChannel":{"marketplaceId":"A1PA6795UKMFR9"},"fulfillment":{"fulfillmentStatus":"UNSHIPPED"},` +
			`"orderItems":[{"orderItemId":"111","quantityOrdered":2,"fulfillment":{"quantityFulfilled":1}}],` +
			`"packages":[{"packageReferenceId":"17","carrier":"UPS","trackingNumber":"1Z999AA10123456784","shipTime":"2026-11-24T09:00:00Z","packageStatus":{"status":"IN_TRANSIT"},"packageItems":[{"orderItemId":"111","quantity":1}]}]}}`},
		{200, "", `{"order":null}`},
		{200, "abc", `{}`},
		{200, "1e6", `[]`},
		{200, "0.05", `{"order":{"orderItems":[null],"packages":[{"packageItems":[{"quantity":-5}]}]}}`},
		{200, "0.0001", `{"order":{"orderId":"` + fuzzOrderID + `"}}`}, // a rate that would park the next call for hours
		{200, "1e-300", `{"order":{"orderId":"` + fuzzOrderID + `"}}`},
		{400, "", `{"errors":[{"code":"InvalidInput","message":"Invalid Input","details":""}]}`},
		{403, "", `{"errors":[{"code":"Unauthorized","message":"Access to requested resource is denied.","details":"The access token you provided has expired."}]}`},
		{404, "0.5", `{"errors":[{"code":"NotFound","message":"Order not found"}]}`},
		{429, "", `{"errors":[{"code":"QuotaExceeded","message":"You exceeded your quota for the requested resource."}]}`},
		{500, "", `{"errors":[{"code":"InternalFailure","message":"We encountered an internal error. Please try again."}]}`},
		{503, "", `<html>Service Unavailable</html>`},
		{204, "", ``},
	} {
		f.Add(s.status, s.rateLimit, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, status int, rateLimit string, body []byte) {
		if !httpxtest.HeaderValue(rateLimit) {
			return
		}
		s := fuzzSPAPI{status: httpxtest.FinalStatus(status), rateLimit: rateLimit, body: body, lwaStatus: http.StatusOK, lwaBody: hostileTokenBody}
		var got *amazon.Order
		err := fuzzCall(t, s, func(ctx context.Context, c *amazon.Client) error {
			for range 2 {
				o, _, err := c.GetOrder(ctx, fuzzOrderID)
				if err != nil {
					return err
				}
				got = o
			}
			return nil
		})
		if err == nil {
			require.Equal(t, http.StatusOK, s.status, "success on HTTP %d", s.status)
			require.NotNil(t, got)
			return
		}
		switch {
		case s.status/100 == 3: // never followed: credentials stay on their host
			var re *amazon.RedirectError
			require.True(t, errors.As(err, &re), "HTTP %d reported as %T: %v", s.status, err, err)
			require.Equal(t, s.status, re.StatusCode)
		case s.status != http.StatusOK:
			var er *amazon.ErrorResponse
			require.True(t, errors.As(err, &er), "HTTP %d reported as %T: %v", s.status, err, err)
			require.Equal(t, s.status, er.StatusCode)
			require.Equal(t, "getOrder", er.Operation)
		}
	})
}

// FuzzLWAResponse fuzzes Login with Amazon's answer to a token request.
// A refusal is an *LWAError; a 200 without a usable token is an error;
// neither holds the client secret or the refresh token the request carried.
func FuzzLWAResponse(f *testing.F) {
	for _, s := range []struct {
		status int
		body   string
	}{
		{200, string(hostileTokenBody)},
		{200, `{"access_token":"","expires_in":3600}`},
		{200, `{"access_token":"Atza|x","expires_in":-1}`},
		{200, `{"access_token":"Atza|x","expires_in":1e30}`},
		{200, `{"access_token":"Atza|x","expires_in":1}`},
		{200, `{"access_token":"Atza|x","expires_in":9223372036854775807}`},
		{400, `{"error_description":"The request has an invalid grant parameter : refresh_token","error":"invalid_grant"}`},
		{401, `{"error_description":"Client authentication failed","error":"invalid_client"}`},
		{500, `{"error":"server_error"}`},
		{503, `<html/>`},
	} {
		f.Add(s.status, []byte(s.body))
	}
	order := []byte(`{"order":{"orderId":"` + fuzzOrderID + `"}}`)
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		s := fuzzSPAPI{status: http.StatusOK, body: order, lwaStatus: httpxtest.FinalStatus(status), lwaBody: body}
		err := fuzzCall(t, s, func(ctx context.Context, c *amazon.Client) error {
			for range 2 {
				if _, _, err := c.GetOrder(ctx, fuzzOrderID); err != nil {
					return err
				}
			}
			return nil
		})
		if s.lwaStatus/100 == 3 {
			var re *amazon.RedirectError
			require.ErrorAs(t, err, &re)
		} else if s.lwaStatus != http.StatusOK {
			require.ErrorIs(t, err, amazon.ErrLWA)
			var le *amazon.LWAError
			require.True(t, errors.As(err, &le))
			require.Equal(t, s.lwaStatus, le.StatusCode)
		}
	})
}

// FuzzFeedDocumentResponse fuzzes the answer to createFeedDocument: the
// URL the client then uploads a feed to must be an https URL with a host,
// wherever the answer points.
func FuzzFeedDocumentResponse(f *testing.F) {
	for _, b := range []string{
		`{"feedDocumentId":"amzn1.tortuga.4.eu.x","url":"https://tortuga-prod-eu.s3-eu-west-1.amazonaws.com/x?X-Amz-Signature=abc"}`,
		`{"feedDocumentId":"d","url":"http://evil.example/x"}`,
		`{"feedDocumentId":"d","url":"file:///etc/passwd"}`,
		`{"feedDocumentId":"d","url":"https:///nohost"}`,
		`{"feedDocumentId":"d","url":"//evil.example/x"}`,
		`{"feedDocumentId":"d"}`,
		`{"url":"https://user:pass@evil.example/"}`,
	} {
		f.Add([]byte(b))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		s := fuzzSPAPI{status: http.StatusCreated, body: body, lwaStatus: http.StatusOK, lwaBody: hostileTokenBody}
		var doc *amazon.FeedDocument
		err := fuzzCall(t, s, func(ctx context.Context, c *amazon.Client) error {
			d, _, err := c.CreateFeedDocument(ctx, amazon.FeedContentType)
			doc = d
			return err
		})
		if err != nil {
			return
		}
		u, perr := url.Parse(doc.URL)
		require.NoError(t, perr)
		require.Equal(t, "https", u.Scheme, "upload URL %q accepted", doc.URL)
		require.NotEmpty(t, u.Host, "upload URL %q accepted", doc.URL)
	})
}

// FuzzDownloadFeedDocument fuzzes a processing report's bytes, plain or
// declared GZIP: a corrupt or truncated stream is an error, never a panic
// or a hang.
func FuzzDownloadFeedDocument(f *testing.F) {
	f.Add([]byte("<?xml version=\"1.0\"?><AmazonEnvelope/>"), false)
	f.Add([]byte{0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}, true)
	f.Add([]byte{0x1f, 0x8b, 0x08}, true)
	f.Add([]byte("not gzip"), true)
	f.Fuzz(func(t *testing.T, content []byte, gz bool) {
		h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(content) })
		doc := &amazon.FeedDocument{FeedDocumentID: "amzn1.tortuga.4.eu.report", URL: "https://tortuga-prod-eu.s3-eu-west-1.amazonaws.com/report"}
		if gz {
			doc.CompressionAlgorithm = "GZIP"
		}
		var data []byte
		err := httpxtest.RunBounded(t, h, fuzzBounds, fmt.Sprintf("serves %.100q", content), func(ctx context.Context, hc *http.Client) error {
			c, err := amazon.NewClient(hostileCreds, amazon.Europe, amazon.WithHTTPClient(hc))
			require.NoError(t, err)
			data, err = c.DownloadFeedDocument(ctx, doc)
			return err
		})
		if err == nil && !gz {
			require.Equal(t, content, data, "a plain document arrives as served")
		}
	})
}

// FuzzSplitStore fuzzes tracking.Order.Store of an Amazon order: an
// accepted store splits into two non-empty parts that rebuild it.
func FuzzSplitStore(f *testing.F) {
	for _, s := range []string{"A2SELLER/A1PA6795UKMFR9", " S/M ", "", "/", "S/", "/M", "S/M/X", "S//M", "S\x00/M"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, store string) {
		seller, mkt, err := amazon.SplitStore(store)
		if err != nil {
			require.Empty(t, seller+mkt)
			return
		}
		require.NotEmpty(t, seller)
		require.NotEmpty(t, mkt)
		require.NotContains(t, mkt, "/")
		require.Equal(t, strings.TrimSpace(store), seller+"/"+mkt)
	})
}
