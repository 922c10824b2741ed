package amazontest

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// memClient drives the fake in memory through Handler, fast enough for
// fuzzing.
type memClient struct {
	srv   *Server
	token string
}

func (m *memClient) do(method, target string, body []byte, headers ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, bytes.NewReader(body))
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	m.srv.Handler().ServeHTTP(w, req)
	return w
}

func (m *memClient) api(method, path string, body []byte) *httptest.ResponseRecorder {
	return m.do(method, path, body, "x-amz-access-token", m.token, "User-Agent", testUserAgent, "Content-Type", "application/json")
}

// newMemClient is a fake with generous usage plans, a seller with two
// orders, and a token.
func newMemClient(tb testing.TB, opts ...Option) (*memClient, *Seller) {
	tb.Helper()
	for op := range DefaultUsagePlans() {
		opts = append(opts, WithUsagePlan(op, 0, 0))
	}
	clock := newClock()
	srv := NewServer(append([]Option{WithClock(clock.Now), WithFeedTiming(0, 0), WithTokenTTL(1000 * time.Hour)}, opts...)...)
	tb.Cleanup(srv.Close)
	sl := srv.AddSeller(testSellerID, Credentials{ClientID: testClientID, ClientSecret: testClientSecret, RefreshToken: testRefresh})
	for _, s := range []OrderSeed{
		{AmazonOrderID: orderA, PurchaseDate: t0.Add(-time.Hour), Items: []ItemSeed{{OrderItemID: itemA1, Quantity: 3}, {OrderItemID: itemA2, Quantity: 1}}},
		{AmazonOrderID: "111-0000002-0000002", PurchaseDate: t0.Add(-time.Hour), Items: []ItemSeed{{OrderItemID: "20000000000001", Quantity: 100}}},
	} {
		if _, err := sl.AddOrder(s); err != nil {
			tb.Fatal(err)
		}
	}
	m := &memClient{srv: srv}
	w := m.do(http.MethodPost, "/auth/o2/token", []byte(tokenForm(testRefresh).Encode()), "Content-Type", "application/x-www-form-urlencoded")
	var tok tokenResponse
	if err := json.Unmarshal(w.Body.Bytes(), &tok); err != nil || tok.AccessToken == "" {
		tb.Fatalf("no token: %d %s", w.Code, w.Body)
	}
	m.token = tok.AccessToken
	return m, sl
}

// checkInvariants fails when an order ships more than it holds.
func checkInvariants(t *testing.T, sl *Seller) {
	for _, id := range []string{orderA, "111-0000002-0000002"} {
		o, _ := sl.Order(id)
		for _, it := range o.Items {
			if it.Shipped < 0 || it.Shipped > it.Quantity {
				t.Fatalf("order %s item %s: %d of %d shipped", id, it.OrderItemID, it.Shipped, it.Quantity)
			}
		}
	}
}

func FuzzConfirmShipmentBody(f *testing.F) {
	valid, _ := json.Marshal(confirmBody("1", item(itemA1, 1)))
	f.Add(orderA, valid)
	f.Add(orderA, []byte(`{"marketplaceId":"ATVPDKIKX0DER","packageDetail":{"packageReferenceId":"2","carrierCode":"Other","carrierName":"X","trackingNumber":"T","shipDate":"2026-03-02T09:30:00.5+02:00","orderItems":[{"orderItemId":"10000000000002","quantity":1,"transparencyCodes":null}]}}`))
	f.Add(orderA, []byte(`{"marketplaceId":"ATVPDKIKX0DER","packageDetail":{"packageReferenceId":1}}`))
	f.Add("111-0000002-0000002", []byte(`{"packageDetail":{"orderItems":[{"quantity":-1}]}}`))
	f.Add("x", []byte(`null`))
	f.Add(orderA, []byte(`{"marketplaceId":"ATVPDKIKX0DER","codCollectionMethod":"DirectPayment","packageDetail":{"packageReferenceId":"18446744073709551615","carrierCode":"UPS","trackingNumber":"T","shipDate":"2026-03-02T09:30:00Z","orderItems":[{"orderItemId":"10000000000001","quantity":9223372036854775807}]}}`))
	m, sl := newMemClient(f)
	f.Fuzz(func(t *testing.T, orderID string, body []byte) {
		w := m.api(http.MethodPost, "/orders/v0/orders/"+url.PathEscape(orderID)+"/shipmentConfirmation", body)
		switch w.Code {
		case http.StatusNoContent:
			if w.Body.Len() != 0 {
				t.Fatalf("204 with a body: %s", w.Body)
			}
		case http.StatusBadRequest, http.StatusNotFound:
			var l errorList
			if err := json.Unmarshal(w.Body.Bytes(), &l); err != nil || len(l.Errors) == 0 || l.Errors[0].Code == "" || l.Errors[0].Message == "" {
				t.Fatalf("%d with a bad error list: %s", w.Code, w.Body)
			}
		default:
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		checkInvariants(t, sl)
	})
}

func FuzzFeedDocument(f *testing.F) {
	f.Add([]byte(fulfillmentFeed(fulfillmentMessage(orderA, "T1", [2]string{itemA1, "1"}))))
	f.Add([]byte(fulfillmentFeed(fulfillmentMessage("111-0000002-0000002", "T2", [2]string{"20000000000001", ""}), "<AmazonOrderID>"+orderA+"</AmazonOrderID><FulfillmentDate>2026-03-02T09:30:00</FulfillmentDate>")))
	f.Add([]byte(`<?xml version="1.0" encoding="UTF-8"?><AmazonEnvelope><Header/><MessageType>OrderFulfillment</MessageType><Message><MessageID>99999999999999999999</MessageID><OrderFulfillment><MerchantOrderID>1</MerchantOrderID><Item><Quantity>-1</Quantity></Item></OrderFulfillment></Message></AmazonEnvelope>`))
	f.Add([]byte(`<AmazonEnvelope><!DOCTYPE x [<!ENTITY a "b">]>&a;</AmazonEnvelope>`))
	f.Add([]byte("\xef\xbb\xbf<?xml version='1.0'?><AmazonEnvelope/>"))
	f.Add([]byte(""))
	m, sl := newMemClient(f)
	f.Fuzz(func(t *testing.T, content []byte) {
		w := m.api(http.MethodPost, "/feeds/2021-06-30/documents", []byte(`{"contentType":"text/xml; charset=UTF-8"}`))
		if w.Code != http.StatusCreated {
			t.Fatalf("createFeedDocument: %d %s", w.Code, w.Body)
		}
		var doc createFeedDocumentResponse
		_ = json.Unmarshal(w.Body.Bytes(), &doc)
		w = m.do(http.MethodPut, doc.URL, content, "Content-Type", "text/xml; charset=UTF-8")
		if w.Code != http.StatusOK {
			t.Fatalf("upload: %d %s", w.Code, w.Body)
		}
		w = m.api(http.MethodPost, "/feeds/2021-06-30/feeds", []byte(`{"feedType":"POST_ORDER_FULFILLMENT_DATA","marketplaceIds":["ATVPDKIKX0DER"],"inputFeedDocumentId":"`+doc.FeedDocumentID+`"}`))
		if w.Code != http.StatusAccepted {
			t.Fatalf("createFeed: %d %s", w.Code, w.Body)
		}
		var created createFeedResponse
		_ = json.Unmarshal(w.Body.Bytes(), &created)
		w = m.api(http.MethodGet, "/feeds/2021-06-30/feeds/"+created.FeedID, nil)
		var fd feedJSON
		if err := json.Unmarshal(w.Body.Bytes(), &fd); err != nil || (fd.ProcessingStatus != FeedDone && fd.ProcessingStatus != FeedFatal) {
			t.Fatalf("getFeed: %d %s", w.Code, w.Body)
		}
		w = m.api(http.MethodGet, "/feeds/2021-06-30/documents/"+fd.ResultFeedDocumentID, nil)
		var rd feedDocumentJSON
		_ = json.Unmarshal(w.Body.Bytes(), &rd)
		w = m.do(http.MethodGet, rd.URL, nil)
		if w.Code != http.StatusOK {
			t.Fatalf("download: %d %s", w.Code, w.Body)
		}
		report, _ := io.ReadAll(w.Body)
		var env reportEnvelope
		if err := xml.Unmarshal(report, &env); err != nil {
			t.Fatalf("report is not XML: %v\n%s", err, report)
		}
		s := env.Message.ProcessingReport.ProcessingSummary
		if s.MessagesSuccessful+s.MessagesWithError != max(s.MessagesProcessed, 1) && fd.ProcessingStatus == FeedDone && s.MessagesProcessed > 0 {
			t.Fatalf("summary does not add up: %+v", s)
		}
		if fd.ProcessingStatus == FeedFatal && !strings.Contains(string(report), "<ResultCode>Error</ResultCode>") {
			t.Fatalf("FATAL without an error result:\n%s", report)
		}
		checkInvariants(t, sl)
	})
}
