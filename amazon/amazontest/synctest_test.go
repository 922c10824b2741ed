package amazontest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
)

// TestHandlerInSynctestBubble drives the fake through Handler, without
// sockets, inside a synctest bubble: the default clock, time.Now, is then
// the bubble's, so token expiry and feed progress follow time.Sleep. The
// Server is made outside the bubble, since its loopback listener would
// keep the bubble's clock from advancing.
func TestHandlerInSynctestBubble(t *testing.T) {
	srv := NewServer(WithFeedTiming(time.Minute, 2*time.Minute), WithTokenTTL(time.Hour))
	defer srv.Close()
	sl := srv.AddSeller(testSellerID, Credentials{ClientID: testClientID, ClientSecret: testClientSecret, RefreshToken: testRefresh})

	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		_, err := sl.AddOrder(OrderSeed{AmazonOrderID: orderA, Items: []ItemSeed{{OrderItemID: itemA1, Quantity: 2}}})
		require.NoError(t, err)
		h := srv.Handler()
		do := func(method, target, body string, headers ...string) *httptest.ResponseRecorder {
			req := httptest.NewRequest(method, target, strings.NewReader(body))
			for i := 0; i+1 < len(headers); i += 2 {
				req.Header.Set(headers[i], headers[i+1])
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			return w
		}
		w := do(http.MethodPost, "/auth/o2/token", tokenForm(testRefresh).Encode(), "Content-Type", "application/x-www-form-urlencoded")
		require.Equal(t, http.StatusOK, w.Code)
		var tok tokenResponse
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &tok))
		api := func(method, path, body string) *httptest.ResponseRecorder {
			return do(method, path, body, "x-amz-access-token", tok.AccessToken, "User-Agent", testUserAgent, "Content-Type", "application/json")
		}

		// A feed, uploaded to the presigned URL on the request's Host.
		w = api(http.MethodPost, "/feeds/2021-06-30/documents", `{"contentType":"text/xml"}`)
		require.Equal(t, http.StatusCreated, w.Code)
		var doc createFeedDocumentResponse
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &doc))
		require.True(t, strings.HasPrefix(doc.URL, "http://example.com/documents/"), doc.URL)
		w = do(http.MethodPut, doc.URL, fulfillmentFeed(strings.Replace(fulfillmentMessage(orderA, "T1", [2]string{itemA1, "1"}),
			"2026-03-02T09:30:00Z", start.Format(time.RFC3339), 1)), "Content-Type", "text/xml")
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		w = api(http.MethodPost, "/feeds/2021-06-30/feeds", `{"feedType":"POST_ORDER_FULFILLMENT_DATA","marketplaceIds":["ATVPDKIKX0DER"],"inputFeedDocumentId":"`+doc.FeedDocumentID+`"}`)
		require.Equal(t, http.StatusAccepted, w.Code)
		var created createFeedResponse
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &created))

		status := func() string {
			w := api(http.MethodGet, "/feeds/2021-06-30/feeds/"+created.FeedID, "")
			var f feedJSON
			require.NoError(t, json.Unmarshal(w.Body.Bytes(), &f))
			return f.ProcessingStatus
		}
		require.Equal(t, FeedInQueue, status())
		time.Sleep(time.Minute)
		require.Equal(t, FeedInProgress, status())
		time.Sleep(2 * time.Minute)
		require.Equal(t, FeedDone, status())
		pkgs := sl.Packages(orderA)
		require.Len(t, pkgs, 1)
		require.Equal(t, start.Add(3*time.Minute), pkgs[0].CreatedAt)

		// The token expires an hour after it was issued.
		time.Sleep(time.Hour - 3*time.Minute)
		w = api(http.MethodGet, "/orders/v0/orders/"+orderA, "")
		require.Equal(t, http.StatusForbidden, w.Code)
		require.Contains(t, w.Body.String(), detailsTokenExpired)
	})
}

// TestDropAfterCommitInMemory shows how an in-memory client sees a dropped
// answer: the handler aborts with http.ErrAbortHandler, after the write.
func TestDropAfterCommitInMemory(t *testing.T) {
	m, sl := newMemClient(t)
	m.srv.InjectFault(Fault{Operation: OpConfirmShipment, DropAfterCommit: true})
	body, err := json.Marshal(confirmBody("1"))
	require.NoError(t, err)
	require.PanicsWithValue(t, http.ErrAbortHandler, func() {
		m.api(http.MethodPost, "/orders/v0/orders/"+orderA+"/shipmentConfirmation", body)
	})
	require.Len(t, sl.Packages(orderA), 1)
}
