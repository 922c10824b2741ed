package amazon_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/amazon"
	"github.com/shopctrl/tracksync/amazon/amazontest"
	"github.com/shopctrl/tracksync/tracking"
)

// memClient is a client of srv served in memory, for synctest bubbles.
func memClient(t *testing.T, srv *amazontest.Server, opts ...amazon.Option) *amazon.Client {
	t.Helper()
	c, err := amazon.NewClient(amazon.Credentials(creds), amazon.Europe, append([]amazon.Option{amazon.WithTestEndpoints(srv.URL(), srv.LWAEndpoint()),
		amazon.WithHTTPClient(&http.Client{Transport: memTransport{srv.Handler()}})}, opts...)...)
	require.NoError(t, err)
	return c
}

func confirmReq(itemID string, ref int) amazon.ConfirmShipmentRequest {
	return amazon.ConfirmShipmentRequest{MarketplaceID: mktDE, PackageDetail: amazon.PackageDetail{PackageReferenceID: fmt.Sprint(ref), CarrierCode: "UPS",
		TrackingNumber: fmt.Sprint("1Z", ref), ShipDate: amazon.ShipDate(time.Now()), OrderItems: []amazon.OrderItemQuantity{{OrderItemID: itemID, Quantity: 1}}}}
}

func TestTestEndpointsAreAllOrNothing(t *testing.T) {
	srv := amazontest.NewServer()
	defer srv.Close()
	for _, tc := range []struct {
		name string
		opts []amazon.Option
		ok   bool
	}{
		{"SP-API only", []amazon.Option{amazon.WithBaseURL(srv.URL())}, false},
		{"LWA only", []amazon.Option{amazon.WithLWAEndpoint(srv.LWAEndpoint())}, false},
		{"both", []amazon.Option{amazon.WithBaseURL(srv.URL()), amazon.WithLWAEndpoint(srv.LWAEndpoint())}, true},
		{"one option", []amazon.Option{amazon.WithTestEndpoints(srv.URL(), srv.LWAEndpoint())}, true},
		{"not loopback", []amazon.Option{amazon.WithTestEndpoints("https://sellingpartnerapi-eu.amazon.com", srv.LWAEndpoint())}, false},
		{"test endpoints and sandbox", []amazon.Option{amazon.WithTestEndpoints(srv.URL(), srv.LWAEndpoint()), amazon.WithSandbox()}, false},
		{"production", nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := amazon.NewClient(amazon.Credentials(creds), amazon.Europe, tc.opts...)
			if tc.ok {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, amazon.ErrConfig)
			retry, _ := tracking.Classify(err)
			require.False(t, retry)
		})
	}
}

// A redirect from the SP-API or LWA is never followed: the access token,
// client secret and refresh token stay with the host they were sent to.
func TestCredentialsNeverFollowRedirects(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		w.WriteHeader(http.StatusOK)
	}))
	defer other.Close()
	// The other host is another loopback address (localhost vs 127.0.0.1):
	// another host to a client.
	target := strings.Replace(other.URL, "127.0.0.1", "localhost", 1) + "/steal?x=1"
	srv := amazontest.NewServer()
	defer srv.Close()
	srv.AddSeller(sellerID, creds)
	redirect := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target, http.StatusTemporaryRedirect)
	})
	for _, tc := range []struct {
		name     string
		spapi    string
		lwa      string
		spapiRed bool
	}{
		{"LWA redirects", srv.URL(), "", false},
		{"SP-API redirects", "", srv.LWAEndpoint(), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			red := httptest.NewServer(redirect)
			defer red.Close()
			spapi, lwa := tc.spapi, tc.lwa
			if spapi == "" {
				spapi = red.URL
			}
			if lwa == "" {
				lwa = red.URL + "/auth/o2/token"
			}
			c, err := amazon.NewClient(amazon.Credentials(creds), amazon.Europe, amazon.WithTestEndpoints(spapi, lwa), amazon.WithRetryMax(1))
			require.NoError(t, err)
			_, _, err = c.GetOrder(t.Context(), "028-1234567-1234567")
			var re *amazon.RedirectError
			require.ErrorAs(t, err, &re)
			require.Equal(t, http.StatusTemporaryRedirect, re.StatusCode)
			require.NotContains(t, err.Error(), "x=1", "no query of the Location")
			require.Zero(t, elsewhere.Load(), "nothing reached the other host")
		})
	}
}

// A request waiting in the bucket longer than the access token lives is
// sent with a fresh token.
func TestTokenOutlivedByTheBucketWaitIsRefreshed(t *testing.T) {
	srv := amazontest.NewServer(amazontest.WithTokenTTL(10*time.Minute), amazontest.WithUsagePlan(amazontest.OpGetOrder, 0, 0))
	defer srv.Close()
	seller := srv.AddSeller(sellerID, creds)
	synctest.Test(t, func(t *testing.T) {
		ao, err := seller.AddOrder(amazontest.OrderSeed{MarketplaceID: mktDE, Items: []amazontest.ItemSeed{{SKU: "A", Quantity: 1}}})
		require.NoError(t, err)
		c := memClient(t, srv, amazon.WithUsagePlan("getOrder", 1.0/1200, 1), amazon.WithRetryMax(0))
		for range 2 { // the second waits 20 minutes for its token
			_, _, err := c.GetOrder(t.Context(), ao.AmazonOrderID)
			require.NoError(t, err)
		}
		require.Equal(t, 2, srv.LWACalls())
	})
}

// Every attempt draws from the bucket, retries included: a retry after a
// 503 waits for its token like a new request.
func TestRetriesDrawFromTheBucket(t *testing.T) {
	srv := amazontest.NewServer()
	defer srv.Close()
	seller := srv.AddSeller(sellerID, creds)
	synctest.Test(t, func(t *testing.T) {
		ao, err := seller.AddOrder(amazontest.OrderSeed{MarketplaceID: mktDE, PurchaseDate: time.Now().Add(-time.Hour), Items: []amazontest.ItemSeed{{SKU: "A", Quantity: 5}}})
		require.NoError(t, err)
		c := memClient(t, srv, amazon.WithUsagePlan("confirmShipment", 0.1, 1))
		srv.InjectFault(amazontest.Fault{Operation: amazontest.OpConfirmShipment, Status: 503})
		start := time.Now()
		_, err = c.ConfirmShipment(t.Context(), ao.AmazonOrderID, confirmReq(ao.Items[0].OrderItemID, 1))
		require.NoError(t, err)
		// The burst of 1 went to the 503; the retry waited for the next
		// token, 1/0.099 s later (the plan less the margin).
		require.InDelta(t, 10.1, time.Since(start).Seconds(), 0.1)
	})
}

// The bucket refills from the first answer, not from the first send:
// Amazon's bucket starts when the request arrives, which the client
// cannot see, so it never runs ahead of it.
func TestBucketRefillsFromTheFirstAnswer(t *testing.T) {
	srv := amazontest.NewServer(amazontest.WithUsagePlan(amazontest.OpConfirmShipment, 0, 0))
	defer srv.Close()
	seller := srv.AddSeller(sellerID, creds)
	synctest.Test(t, func(t *testing.T) {
		ao, err := seller.AddOrder(amazontest.OrderSeed{MarketplaceID: mktDE, PurchaseDate: time.Now().Add(-time.Hour), Items: []amazontest.ItemSeed{{SKU: "A", Quantity: 5}}})
		require.NoError(t, err)
		slow := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if strings.Contains(r.URL.Path, "shipmentConfirmation") {
				time.Sleep(3 * time.Second) // the network's delay
			}
			return memTransport{srv.Handler()}.RoundTrip(r)
		})}
		c := memClient(t, srv, amazon.WithUsagePlan("confirmShipment", 1, 1), amazon.WithHTTPClient(slow))
		start := time.Now()
		var wg sync.WaitGroup
		var mu sync.Mutex
		var sent []time.Duration
		for i := range 2 {
			wg.Go(func() {
				_, err := c.ConfirmShipment(t.Context(), ao.AmazonOrderID, confirmReq(ao.Items[0].OrderItemID, i+1))
				require.NoError(t, err)
				mu.Lock()
				sent = append(sent, time.Since(start)-3*time.Second)
				mu.Unlock()
			})
		}
		wg.Wait()
		// The first at once; the second one token's refill (1/0.99 s)
		// after the first answer came, at 3 s.
		require.ElementsMatch(t, []float64{0, 4.01}, []float64{sent[0].Round(10 * time.Millisecond).Seconds(), sent[1].Round(10 * time.Millisecond).Seconds()})
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// recorder is a tracking.Observer that keeps the request events.
type recorder struct {
	mu     sync.Mutex
	events []tracking.RequestEvent
}

func (r *recorder) ShipmentDone(context.Context, tracking.ShipmentEvent) {}
func (r *recorder) RequestDone(_ context.Context, e tracking.RequestEvent) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
}

func TestEveryAttemptIsObserved(t *testing.T) {
	e := newAEnv(t, nil)
	o := e.seed(t, "", 1)
	o.Shipments = []tracking.Shipment{ship("S1", "AMS", "ups", "", "1Z999AA10123456784", 1, it("L0", 1))}
	e.srv.InjectFault(amazontest.Fault{Operation: amazontest.OpConfirmShipment, Status: 500})
	rec := &recorder{}
	s, err := tracking.NewSyncer(tracking.WithExporters(e.exporter), tracking.WithObserver(rec))
	require.NoError(t, err)
	_, err = s.Sync(t.Context(), o)
	require.NoError(t, err)
	var got []string
	for _, ev := range rec.events {
		require.Equal(t, amazon.Channel, ev.Channel)
		require.Equal(t, sellerID, ev.Store)
		got = append(got, fmt.Sprintf("%s#%d:%d", ev.Operation, ev.Attempt, ev.Status))
	}
	require.Equal(t, []string{"lwaToken#1:200", "confirmShipment#1:500", "confirmShipment#2:204"}, got)
	require.Len(t, e.srv.Requests(), len(got), "one event an HTTP attempt")
}

func TestErrorsSayWhetherToRetry(t *testing.T) {
	for _, tc := range []struct {
		err   error
		retry bool
	}{
		{&amazon.ErrorResponse{StatusCode: 429}, true},
		{&amazon.ErrorResponse{StatusCode: 503}, true},
		{&amazon.ErrorResponse{StatusCode: 400}, false},
		{&amazon.ErrorResponse{StatusCode: 404}, false},
		{&amazon.LWAError{StatusCode: 400, Code: "invalid_grant"}, false},
		{&amazon.LWAError{StatusCode: 500}, true},
		{fmt.Errorf("x: %w", amazon.ErrRequest), false},
		{fmt.Errorf("x: %w", amazon.ErrMarketplace), false},
		{&amazon.RedirectError{StatusCode: 302}, false},
		{&amazon.DocumentError{StatusCode: 403}, false},
		{&amazon.DocumentError{StatusCode: 503}, true},
		{&amazon.FeedError{FeedID: "1", Status: "FATAL"}, true},
	} {
		retry, _ := tracking.Classify(tc.err)
		require.Equal(t, tc.retry, retry, "%v", tc.err)
	}
}

// A 429 that outlasts the retries says when the plan has a token again.
func TestThrottledErrorSaysWhen(t *testing.T) {
	srv := amazontest.NewServer()
	defer srv.Close()
	seller := srv.AddSeller(sellerID, creds)
	synctest.Test(t, func(t *testing.T) {
		ao, err := seller.AddOrder(amazontest.OrderSeed{MarketplaceID: mktDE, Items: []amazontest.ItemSeed{{SKU: "A", Quantity: 1}}})
		require.NoError(t, err)
		c := memClient(t, srv, amazon.WithRetryMax(0))
		srv.InjectFault(amazontest.Fault{Operation: amazontest.OpGetOrder, Status: 429})
		_, _, err = c.GetOrder(t.Context(), ao.AmazonOrderID)
		retry, after := tracking.Classify(err)
		require.True(t, retry)
		require.InDelta(t, 2.02, after.Seconds(), 0.01, "one token of getOrder's 0.5/s, less the margin")
	})
}

func TestUploadErrorsHideThePresignedURL(t *testing.T) {
	e, f := newFeedEnv(t, 1)
	o := e.seed(t, "", 1)
	o.Shipments = []tracking.Shipment{ship("S1", "AMS", "ups", "", "1Z999AA10123456784", 1, it("L0", 1))}
	// The upload's connection drops every time: the transport error names
	// the URL it was sending to.
	e.srv.InjectFault(amazontest.Fault{Operation: amazontest.OpUploadFeedDocument, DropBeforeCommit: true, Times: 10})
	s, err := tracking.NewSyncer(tracking.WithExporters(f))
	require.NoError(t, err)
	r, err := s.Sync(t.Context(), o)
	require.NoError(t, err)
	sr := r[0].Results[0].Shipments[0]
	require.Equal(t, tracking.Failed, sr.State)
	require.Contains(t, sr.Reason, "/documents/")
	for _, text := range []string{sr.Reason, sr.Err.Error(), fmt.Sprintf("%+v", sr.Err)} {
		require.NotContains(t, text, "X-Amz-Signature")
		require.NotContains(t, text, "X-Amz-Credential")
	}
}
