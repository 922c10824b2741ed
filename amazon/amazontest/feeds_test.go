package amazontest

import (
	"bytes"
	"compress/gzip"
	"crypto/md5"
	"encoding/hex"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const xmlContentType = "text/xml; charset=UTF-8"

// fulfillmentFeed builds an OrderFulfillment envelope of the given
// messages (each the inside of an OrderFulfillment element).
func fulfillmentFeed(messages ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="amzn-envelope.xsd">
  <Header><DocumentVersion>1.01</DocumentVersion><MerchantIdentifier>M_TEST_1</MerchantIdentifier></Header>
  <MessageType>OrderFulfillment</MessageType>`)
	for i, m := range messages {
		b.WriteString("\n  <Message><MessageID>" + strconv.Itoa(i+1) + "</MessageID><OrderFulfillment>" + m + "</OrderFulfillment></Message>")
	}
	b.WriteString("\n</AmazonEnvelope>\n")
	return b.String()
}

// fulfillmentMessage is the inside of one OrderFulfillment element.
func fulfillmentMessage(orderID, tracking string, items ...[2]string) string {
	s := "<AmazonOrderID>" + orderID + "</AmazonOrderID><MerchantFulfillmentID>42</MerchantFulfillmentID>" +
		"<FulfillmentDate>2026-03-02T09:30:00Z</FulfillmentDate>" +
		"<FulfillmentData><CarrierCode>DHL</CarrierCode><ShippingMethod>Paket</ShippingMethod><ShipperTrackingNumber>" + tracking + "</ShipperTrackingNumber></FulfillmentData>"
	for _, it := range items {
		s += "<Item><AmazonOrderItemCode>" + it[0] + "</AmazonOrderItemCode>"
		if it[1] != "" {
			s += "<Quantity>" + it[1] + "</Quantity>"
		}
		s += "</Item>"
	}
	return s
}

// createDocument calls createFeedDocument and returns id and URL.
func (e *env) createDocument(contentType string) (string, string) {
	e.t.Helper()
	r := e.call(http.MethodPost, "/feeds/2021-06-30/documents", map[string]any{"contentType": contentType})
	require.Equal(e.t, http.StatusCreated, r.status, "body: %s", r.body)
	require.Equal(e.t, "0.5", r.header.Get("x-amzn-RateLimit-Limit"))
	var out createFeedDocumentResponse
	r.decode(e.t, &out)
	return out.FeedDocumentID, out.URL
}

// upload PUTs content to a presigned URL with the given headers (pairs).
func (e *env) upload(u string, content string, headers ...string) result {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPut, u, strings.NewReader(content))
	require.NoError(e.t, err)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return send(e.t, http.DefaultClient, req)
}

func (e *env) createFeed(docID string, marketplaces ...string) string {
	e.t.Helper()
	if len(marketplaces) == 0 {
		marketplaces = []string{DefaultMarketplaceID}
	}
	r := e.call(http.MethodPost, "/feeds/2021-06-30/feeds", map[string]any{
		"feedType": FeedTypeOrderFulfillment, "marketplaceIds": marketplaces, "inputFeedDocumentId": docID,
	})
	require.Equal(e.t, http.StatusAccepted, r.status, "body: %s", r.body)
	var out createFeedResponse
	r.decode(e.t, &out)
	require.Regexp(e.t, `^\d+$`, out.FeedID)
	return out.FeedID
}

func (e *env) getFeed(id string) feedJSON {
	e.t.Helper()
	r := e.call(http.MethodGet, "/feeds/2021-06-30/feeds/"+id, nil)
	require.Equal(e.t, http.StatusOK, r.status, "body: %s", r.body)
	var f feedJSON
	r.decode(e.t, &f)
	return f
}

// submit uploads a feed and creates it, returning the feed id.
func (e *env) submit(content string) string {
	e.t.Helper()
	id, u := e.createDocument(xmlContentType)
	r := e.upload(u, content, "Content-Type", xmlContentType)
	require.Equal(e.t, http.StatusOK, r.status, "body: %s", r.body)
	return e.createFeed(id)
}

// report fetches and decodes a feed's processing report.
func (e *env) report(f feedJSON) (processingReport, []byte) {
	e.t.Helper()
	r := e.call(http.MethodGet, "/feeds/2021-06-30/documents/"+f.ResultFeedDocumentID, nil)
	require.Equal(e.t, http.StatusOK, r.status, "body: %s", r.body)
	var doc feedDocumentJSON
	r.decode(e.t, &doc)
	require.Equal(e.t, f.ResultFeedDocumentID, doc.FeedDocumentID)
	dl := send(e.t, http.DefaultClient, mustRequest(e.t, http.MethodGet, doc.URL))
	require.Equal(e.t, http.StatusOK, dl.status, "body: %s", dl.body)
	body := dl.body
	if doc.CompressionAlgorithm == "GZIP" {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		require.NoError(e.t, err)
		body, err = io.ReadAll(zr)
		require.NoError(e.t, err)
	}
	var env reportEnvelope
	require.NoError(e.t, xml.Unmarshal(body, &env), "report: %s", body)
	require.Equal(e.t, "ProcessingReport", env.MessageType)
	return env.Message.ProcessingReport, body
}

func mustRequest(t *testing.T, method, u string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	require.NoError(t, err)
	return req
}

func TestFeedsEndToEnd(t *testing.T) {
	e := newEnv(t, WithFeedTiming(30*time.Second, 90*time.Second))
	e.addOrderA()
	_, err := e.seller.AddOrder(OrderSeed{AmazonOrderID: "111-0000009-0000009", Status: StatusCanceled, Items: []ItemSeed{{OrderItemID: "90000000000001", Quantity: 1}}})
	require.NoError(t, err)

	content := fulfillmentFeed(
		fulfillmentMessage(orderA, "00340434161094042557", [2]string{itemA1, "2"}),                        // fine
		fulfillmentMessage("111-5555555-5555555", "X", [2]string{itemA1, "1"}),                            // unknown order
		fulfillmentMessage(orderA, "00340434161094042558", [2]string{itemA1, "2"}),                        // over-ships A1
		fulfillmentMessage(orderA, "00340434161094042559", [2]string{"99999999999999", "1"}),              // unknown item
		fulfillmentMessage("111-0000009-0000009", "Y", [2]string{"90000000000001", "1"}),                  // canceled
		fulfillmentMessage(orderA, "00340434161094042560", [2]string{itemA1, ""}, [2]string{itemA2, "1"}), // the rest
	)
	id := e.submit(content)

	f := e.getFeed(id)
	require.Equal(t, feedJSON{FeedID: id, FeedType: FeedTypeOrderFulfillment, MarketplaceIDs: []string{DefaultMarketplaceID},
		CreatedTime: "2026-03-02T10:00:00.000Z", ProcessingStatus: FeedInQueue}, f)
	require.Empty(t, e.seller.Packages(orderA), "nothing is applied before processing")

	e.clock.Advance(30 * time.Second)
	f = e.getFeed(id)
	require.Equal(t, FeedInProgress, f.ProcessingStatus)
	require.Equal(t, "2026-03-02T10:00:30.000Z", f.ProcessingStartTime)
	require.Empty(t, f.ProcessingEndTime)
	require.Empty(t, f.ResultFeedDocumentID)

	e.clock.Advance(89 * time.Second)
	require.Equal(t, FeedInProgress, e.getFeed(id).ProcessingStatus)
	e.clock.Advance(time.Second)
	f = e.getFeed(id)
	require.Equal(t, FeedDone, f.ProcessingStatus)
	require.Equal(t, "2026-03-02T10:02:00.000Z", f.ProcessingEndTime)
	require.NotEmpty(t, f.ResultFeedDocumentID)

	rep, raw := e.report(f)
	require.Equal(t, id, rep.DocumentTransactionID)
	require.Equal(t, "Complete", rep.StatusCode)
	require.Equal(t, processingSummary{MessagesProcessed: 6, MessagesSuccessful: 2, MessagesWithError: 4}, rep.ProcessingSummary)
	require.Len(t, rep.Results, 4)
	byID := map[string]reportResult{}
	for _, r := range rep.Results {
		require.Equal(t, "Error", r.ResultCode)
		byID[r.MessageID] = r
	}
	require.Equal(t, "Invalid OrderID or AmazonOrderID.", byID["2"].ResultDescription)
	require.Equal(t, &additionalInfo{AmazonOrderID: "111-5555555-5555555"}, byID["2"].AdditionalInfo)
	require.Contains(t, byID["3"].ResultDescription, "exceeds the quantity ordered")
	require.Equal(t, &additionalInfo{AmazonOrderID: orderA, AmazonOrderItemCode: itemA1}, byID["3"].AdditionalInfo)
	require.Contains(t, byID["4"].ResultDescription, "OrderItemId is invalid")
	require.Contains(t, byID["5"].ResultDescription, "Canceled")
	require.Contains(t, string(raw), `<MerchantIdentifier>M_TEST_1</MerchantIdentifier>`)
	require.Contains(t, string(raw), `xsi:noNamespaceSchemaLocation="amzn-envelope.xsd"`)

	// The sound messages became packages, numbered by the fake, at the
	// feed's end.
	pkgs := e.seller.Packages(orderA)
	require.Len(t, pkgs, 2)
	require.Equal(t, "1000000001", pkgs[0].PackageReferenceID)
	require.Equal(t, "1000000002", pkgs[1].PackageReferenceID)
	require.Equal(t, Package{
		PackageReferenceID: "1000000001", CarrierCode: "DHL", ShippingMethod: "Paket", TrackingNumber: "00340434161094042557",
		ShipDate: time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC), Items: []PackageItem{{OrderItemID: itemA1, Quantity: 2}},
		CreatedAt: t0.Add(2 * time.Minute), UpdatedAt: t0.Add(2 * time.Minute), FeedID: id, MerchantFulfillmentID: "42",
	}, pkgs[0])
	require.Equal(t, []PackageItem{{OrderItemID: itemA1, Quantity: 1}, {OrderItemID: itemA2, Quantity: 1}}, pkgs[1].Items)
	o, _ := e.seller.Order(orderA)
	require.Equal(t, StatusShipped, o.Status)

	// Inspection agrees with the report.
	feeds := e.srv.Feeds()
	require.Len(t, feeds, 1)
	require.Equal(t, ReportSummary{MessagesProcessed: 6, MessagesSuccessful: 2, MessagesWithError: 4}, feeds[0].Summary)
	require.Len(t, feeds[0].Results, 4)
	require.Equal(t, content, string(feeds[0].Input))
	require.Equal(t, raw, feeds[0].Report)
	require.Equal(t, testSellerID, feeds[0].Seller)
}

func TestFeedAppliesAtItsEndEvenUnobserved(t *testing.T) {
	// A client that polls getOrder rather than getFeed sees the packages
	// once the feed's end has passed.
	e := newEnv(t, WithFeedTiming(time.Second, time.Second))
	e.addOrderA()
	e.submit(fulfillmentFeed("<AmazonOrderID>" + orderA + "</AmazonOrderID><FulfillmentDate>2026-03-02T09:30:00</FulfillmentDate>"))
	e.clock.Advance(2 * time.Second)
	r := e.call(http.MethodGet, "/orders/v0/orders/"+orderA, nil)
	var v0 v0OrderResponse
	r.decode(t, &v0)
	require.Equal(t, StatusShipped, v0.Payload.OrderStatus, "a message without Item ships every unit left")
	pkgs := e.seller.Packages(orderA)
	require.Len(t, pkgs, 1)
	require.Equal(t, []PackageItem{{OrderItemID: itemA1, Quantity: 3}, {OrderItemID: itemA2, Quantity: 1}}, pkgs[0].Items)
	require.Empty(t, pkgs[0].TrackingNumber, "FulfillmentData is optional")
}

func TestFeedMessageErrors(t *testing.T) {
	tests := []struct {
		name    string
		message string // a whole <Message>…</Message>
		code    int
		desc    string
	}{
		{"MerchantOrderID", `<Message><MessageID>1</MessageID><OrderFulfillment><MerchantOrderID>8888888</MerchantOrderID><FulfillmentDate>2026-03-02T09:30:00Z</FulfillmentDate></OrderFulfillment></Message>`,
			18028, "Your order cannot be found using Merchant ID M_TEST_1 and Merchant Order 8888888. Enter the correct order ID and then resubmit your feed."},
		{"no OrderFulfillment", `<Message><MessageID>1</MessageID></Message>`, feedCodeNoFulfillment, "The message holds no OrderFulfillment."},
		{"bad MessageID", `<Message><MessageID>x</MessageID><OrderFulfillment><AmazonOrderID>` + orderA + `</AmazonOrderID></OrderFulfillment></Message>`,
			feedCodeMessageID, `MessageID "x" is not a positive number of at most 20 digits.`},
		{"Delete", `<Message><MessageID>1</MessageID><OperationType>Delete</OperationType><OrderFulfillment><AmazonOrderID>` + orderA + `</AmazonOrderID></OrderFulfillment></Message>`,
			feedCodeOperationType, "OperationType Delete is not supported for OrderFulfillment messages; use Update."},
		{"bad date", `<Message><MessageID>1</MessageID><OrderFulfillment><AmazonOrderID>` + orderA + `</AmazonOrderID><FulfillmentDate>yesterday</FulfillmentDate></OrderFulfillment></Message>`,
			feedCodeFulfillmentDate, `FulfillmentDate "yesterday" is not an xsd:dateTime.`},
		{"future date", `<Message><MessageID>1</MessageID><OrderFulfillment><AmazonOrderID>` + orderA + `</AmazonOrderID><FulfillmentDate>2026-03-09T09:30:00Z</FulfillmentDate></OrderFulfillment></Message>`,
			feedCodeShipDate, "The input you have submitted is not valid. Please check the fields with invalid values [packageDetail.shipDate]. The ship date 2026-03-09T09:30:00Z is in the future."},
		{"code and name", `<Message><MessageID>1</MessageID><OrderFulfillment><AmazonOrderID>` + orderA + `</AmazonOrderID><FulfillmentDate>2026-03-02T09:30:00Z</FulfillmentDate><FulfillmentData><CarrierCode>UPS</CarrierCode><CarrierName>UPS</CarrierName></FulfillmentData></OrderFulfillment></Message>`,
			feedCodeFulfillmentData, "FulfillmentData holds either CarrierCode or CarrierName, not both."},
		{"CarrierCode Other", `<Message><MessageID>1</MessageID><OrderFulfillment><AmazonOrderID>` + orderA + `</AmazonOrderID><FulfillmentDate>2026-03-02T09:30:00Z</FulfillmentDate><FulfillmentData><CarrierCode>Other</CarrierCode></FulfillmentData></OrderFulfillment></Message>`,
			feedCodeCarrier, "The input you have submitted is not valid. Please check the fields with missing values [packageDetail.carrierName]. carrierName is required when carrierCode is \"Other\"."},
		{"bad quantity", `<Message><MessageID>1</MessageID><OrderFulfillment><AmazonOrderID>` + orderA + `</AmazonOrderID><FulfillmentDate>2026-03-02T09:30:00Z</FulfillmentDate><Item><AmazonOrderItemCode>` + itemA1 + `</AmazonOrderItemCode><Quantity>0</Quantity></Item></OrderFulfillment></Message>`,
			feedCodeQuantity, `Quantity "0" is not a positive integer.`},
		{"MerchantOrderItemID", `<Message><MessageID>1</MessageID><OrderFulfillment><AmazonOrderID>` + orderA + `</AmazonOrderID><FulfillmentDate>2026-03-02T09:30:00Z</FulfillmentDate><Item><MerchantOrderItemID>mine-1</MerchantOrderItemID></Item></OrderFulfillment></Message>`,
			feedCodeMerchantOrderItem, msgBadOrderItem},
		{"other marketplace", `<Message><MessageID>1</MessageID><OrderFulfillment><AmazonOrderID>111-0000008-0000008</AmazonOrderID><FulfillmentDate>2026-03-02T09:30:00Z</FulfillmentDate></OrderFulfillment></Message>`,
			feedCodeMarketplace, "Order 111-0000008-0000008 was placed in marketplace A1PA6795UKMFR9, which is not among this feed's marketplaceIds."},
		{"Ship+", `<Message><MessageID>1</MessageID><OrderFulfillment><AmazonOrderID>111-0000007-0000007</AmazonOrderID><FulfillmentDate>2026-03-02T09:30:00Z</FulfillmentDate></OrderFulfillment></Message>`,
			feedCodeShipPlus, msgShipPlus},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, WithFeedTiming(0, 0))
			e.addOrderA()
			_, err := e.seller.AddOrder(OrderSeed{AmazonOrderID: "111-0000007-0000007", ShipPlus: true, Items: []ItemSeed{{Quantity: 1}}})
			require.NoError(t, err)
			_, err = e.seller.AddOrder(OrderSeed{AmazonOrderID: "111-0000008-0000008", MarketplaceID: "A1PA6795UKMFR9", Items: []ItemSeed{{Quantity: 1}}})
			require.NoError(t, err)
			content := strings.Replace(fulfillmentFeed(), "</AmazonEnvelope>", tc.message+"</AmazonEnvelope>", 1)
			f := e.getFeed(e.submit(content))
			require.Equal(t, FeedDone, f.ProcessingStatus)
			rep, _ := e.report(f)
			require.Equal(t, processingSummary{MessagesProcessed: 1, MessagesWithError: 1}, rep.ProcessingSummary)
			require.Len(t, rep.Results, 1)
			require.Equal(t, tc.code, rep.Results[0].ResultMessageCode)
			require.Equal(t, tc.desc, rep.Results[0].ResultDescription)
			require.Empty(t, e.seller.Packages(orderA))
		})
	}
}

func TestFeedFatal(t *testing.T) {
	tests := []struct {
		name, content, desc string
	}{
		{"not XML", "order-id\torder-item-id\n", "XML Parsing Fatal Error at Line 1, Column 1: "},
		{"unclosed", `<?xml version="1.0"?><AmazonEnvelope><Header>`, "XML Parsing Fatal Error at Line 1, Column"},
		{"empty", "", "XML Parsing Fatal Error at Line 1, Column 1: Premature end of file."},
		{"other root", `<OrderFulfillment><AmazonOrderID>` + orderA + `</AmazonOrderID></OrderFulfillment>`, "cvc-elt.1: Cannot find the declaration of element 'OrderFulfillment'."},
		{"trailing content", fulfillmentFeed(fulfillmentMessage(orderA, "T", [2]string{itemA1, "1"})) + "<extra/>", "Content is not allowed in trailing section."},
		{"no header", `<AmazonEnvelope><MessageType>OrderFulfillment</MessageType><Message><MessageID>1</MessageID></Message></AmazonEnvelope>`, "One of '{Header}' is expected."},
		{"no messages", `<AmazonEnvelope><Header><DocumentVersion>1.01</DocumentVersion><MerchantIdentifier>M</MerchantIdentifier></Header><MessageType>OrderFulfillment</MessageType></AmazonEnvelope>`, "One of '{Message}' is expected."},
		{"other encoding", `<?xml version="1.0" encoding="ISO-8859-1"?><AmazonEnvelope/>`, "XML Parsing Fatal Error"},
		{"wrong message type", strings.Replace(fulfillmentFeed(fulfillmentMessage(orderA, "T", [2]string{itemA1, "1"})), "<MessageType>OrderFulfillment", "<MessageType>Inventory", 1),
			`The MessageType "Inventory" does not match the feed type POST_ORDER_FULFILLMENT_DATA`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, WithFeedTiming(0, time.Second))
			e.addOrderA()
			id := e.submit(tc.content)
			e.clock.Advance(time.Second)
			f := e.getFeed(id)
			require.Equal(t, FeedFatal, f.ProcessingStatus)
			require.NotEmpty(t, f.ResultFeedDocumentID, "a FATAL feed has a result document")
			rep, _ := e.report(f)
			require.Equal(t, processingSummary{MessagesWithError: 1}, rep.ProcessingSummary)
			require.Len(t, rep.Results, 1)
			require.Contains(t, rep.Results[0].ResultDescription, tc.desc)
			require.Empty(t, e.seller.Packages(orderA), "nothing of a FATAL feed is applied")
		})
	}
}

func TestFeedNeverUploadedIsFatal(t *testing.T) {
	e := newEnv(t, WithFeedTiming(0, 0))
	id, _ := e.createDocument(xmlContentType)
	f := e.getFeed(e.createFeed(id))
	require.Equal(t, FeedFatal, f.ProcessingStatus)
	rep, _ := e.report(f)
	require.Contains(t, rep.Results[0].ResultDescription, "Premature end of file.")
}

func TestFeedGzipReports(t *testing.T) {
	e := newEnv(t, WithFeedTiming(0, 0), WithGzipReports(true))
	e.addOrderA()
	f := e.getFeed(e.submit(fulfillmentFeed(fulfillmentMessage(orderA, "T1", [2]string{itemA1, "1"}))))
	require.Equal(t, FeedDone, f.ProcessingStatus)

	r := e.call(http.MethodGet, "/feeds/2021-06-30/documents/"+f.ResultFeedDocumentID, nil)
	require.Equal(t, "0.0222", r.header.Get("x-amzn-RateLimit-Limit"))
	var doc feedDocumentJSON
	r.decode(t, &doc)
	require.Equal(t, "GZIP", doc.CompressionAlgorithm)

	// By default the URL answers the gzip bytes as they are (Content-Encoding
	// identity): the client decompresses.
	req := mustRequest(t, http.MethodGet, doc.URL)
	req.Header.Set("Accept-Encoding", "identity")
	raw := send(t, http.DefaultClient, req)
	require.Equal(t, "identity", raw.header.Get("Content-Encoding"))
	require.Equal(t, []byte{0x1f, 0x8b}, raw.body[:2])
	rep, _ := e.report(f)
	require.Equal(t, 1, rep.ProcessingSummary.MessagesSuccessful)

	// With enableContentEncodingUrlHeader=true it says gzip, so that HTTP
	// clients decompress by themselves.
	r = e.call(http.MethodGet, "/feeds/2021-06-30/documents/"+f.ResultFeedDocumentID+"?enableContentEncodingUrlHeader=true", nil)
	r.decode(t, &doc)
	require.Contains(t, doc.URL, "response-content-encoding=gzip")
	dl := send(t, http.DefaultClient, mustRequest(t, http.MethodGet, doc.URL))
	require.Equal(t, http.StatusOK, dl.status)
	require.True(t, bytes.HasPrefix(dl.body, []byte("<?xml")), "Go's transport decompressed it: %q", dl.body[:10])
}

func TestFeedDocumentUploadFailures(t *testing.T) {
	e := newEnv(t)
	id, u := e.createDocument(xmlContentType)
	parsed, err := url.Parse(u)
	require.NoError(t, err)
	require.Equal(t, "/documents/"+id, parsed.Path)
	for _, k := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature"} {
		require.NotEmpty(t, parsed.Query().Get(k), k)
	}
	require.Equal(t, "300", parsed.Query().Get("X-Amz-Expires"))
	require.Equal(t, "content-type;host", parsed.Query().Get("X-Amz-SignedHeaders"))

	tampered := strings.Replace(u, "X-Amz-Signature=", "X-Amz-Signature=00", 1)
	other := *parsed
	q := other.Query()
	q.Del("X-Amz-Signature")
	other.RawQuery = q.Encode()

	tests := []struct {
		name    string
		method  string
		url     string
		headers []string
		status  int
		code    string
		message string
	}{
		{"with the SP-API token", http.MethodPut, u, []string{"Content-Type", xmlContentType, "x-amz-access-token", "Atza|x"}, 403,
			"AccessDenied", "There were headers present in the request which were not signed"},
		{"other Content-Type", http.MethodPut, u, []string{"Content-Type", "text/xml"}, 403,
			"SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method."},
		{"no Content-Type", http.MethodPut, u, nil, 403, "SignatureDoesNotMatch", ""},
		{"tampered signature", http.MethodPut, tampered, []string{"Content-Type", xmlContentType}, 403, "SignatureDoesNotMatch", ""},
		{"no signature", http.MethodPut, other.String(), []string{"Content-Type", xmlContentType}, 403, "AccessDenied", ""},
		{"GET on an upload URL", http.MethodGet, u, nil, 403, "SignatureDoesNotMatch", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, tc.url, strings.NewReader("<x/>"))
			require.NoError(t, err)
			for i := 0; i+1 < len(tc.headers); i += 2 {
				req.Header.Set(tc.headers[i], tc.headers[i+1])
			}
			r := send(t, http.DefaultClient, req)
			require.Equal(t, tc.status, r.status, "body: %s", r.body)
			require.Equal(t, "application/xml", r.header.Get("Content-Type"))
			var se s3Error
			require.NoError(t, xml.Unmarshal(r.body, &se))
			require.Equal(t, tc.code, se.Code)
			if tc.message != "" {
				require.Equal(t, tc.message, se.Message)
			}
			if tc.name == "with the SP-API token" {
				require.Equal(t, "x-amz-access-token", se.HeadersNotSigned)
			}
		})
	}

	// Five minutes later the URL has expired.
	e.clock.Advance(5*time.Minute + time.Second)
	r := e.upload(u, "<x/>", "Content-Type", xmlContentType)
	require.Equal(t, http.StatusForbidden, r.status)
	require.Contains(t, string(r.body), "<Message>Request has expired</Message>")

	// A fresh document gets a fresh URL that works; x-amz-content-sha256 is
	// tolerated unsigned, as S3 tolerates it.
	_, u2 := e.createDocument(xmlContentType)
	ok := e.upload(u2, "<x/>", "Content-Type", xmlContentType, "x-amz-content-sha256", "UNSIGNED-PAYLOAD")
	require.Equal(t, http.StatusOK, ok.status, "body: %s", ok.body)
	sum := md5.Sum([]byte("<x/>"))
	require.Equal(t, `"`+hex.EncodeToString(sum[:])+`"`, ok.header.Get("ETag"))

	require.Equal(t, 7, e.srv.Count(OpUploadFeedDocument))
	require.Equal(t, 1, e.srv.Count(OpDownloadFeedDocument))
}

func TestCreateFeedErrors(t *testing.T) {
	e := newEnv(t)
	docID, _ := e.createDocument(xmlContentType)
	tests := []struct {
		name    string
		body    any
		details string
	}{
		{"not JSON", "nope", "The body is not a JSON object."},
		{"wrong type", map[string]any{"feedType": FeedTypeOrderFulfillment, "marketplaceIds": "ATVPDKIKX0DER", "inputFeedDocumentId": docID}, "marketplaceIds has the wrong type."},
		{"no feedType", map[string]any{"marketplaceIds": []string{DefaultMarketplaceID}, "inputFeedDocumentId": docID}, "feedType is required."},
		{"no marketplaces", map[string]any{"feedType": FeedTypeOrderFulfillment, "marketplaceIds": []string{}, "inputFeedDocumentId": docID}, "marketplaceIds is required."},
		{"no document", map[string]any{"feedType": FeedTypeOrderFulfillment, "marketplaceIds": []string{DefaultMarketplaceID}}, "inputFeedDocumentId is required."},
		{"other feed type", map[string]any{"feedType": "POST_PRODUCT_DATA", "marketplaceIds": []string{DefaultMarketplaceID}, "inputFeedDocumentId": docID},
			"The fake processes only POST_ORDER_FULFILLMENT_DATA feeds, not POST_PRODUCT_DATA."},
		{"unknown document", map[string]any{"feedType": FeedTypeOrderFulfillment, "marketplaceIds": []string{DefaultMarketplaceID}, "inputFeedDocumentId": "badDocumentId"},
			"inputFeedDocumentId badDocumentId is not a document this seller created with createFeedDocument."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.call(http.MethodPost, "/feeds/2021-06-30/feeds", tc.body)
			require.Equal(t, http.StatusBadRequest, r.status, "body: %s", r.body)
			require.Equal(t, apiError{Code: "InvalidInput", Message: "Invalid input", Details: tc.details}, r.onlyError(t))
			require.Equal(t, "0.0083", r.header.Get("x-amzn-RateLimit-Limit"))
		})
	}
	require.Empty(t, e.srv.Feeds())

	bad := e.call(http.MethodPost, "/feeds/2021-06-30/documents", map[string]any{})
	require.Equal(t, http.StatusBadRequest, bad.status)
	require.Equal(t, "contentType is required.", bad.onlyError(t).Details)
}

func TestFeedsBelongToTheirSeller(t *testing.T) {
	e := newEnv(t, WithFeedTiming(0, 0))
	e.addOrderA()
	id := e.submit(fulfillmentFeed(fulfillmentMessage(orderA, "T", [2]string{itemA1, "1"})))
	f := e.getFeed(id)

	e.srv.AddSeller("A2SELLERTWO", Credentials{ClientID: testClientID, ClientSecret: testClientSecret, RefreshToken: "Atzr|two"})
	var tok tokenResponse
	e.lwa(tokenForm("Atzr|two")).decode(t, &tok)
	e.token = tok.AccessToken
	for _, path := range []string{"/feeds/2021-06-30/feeds/" + id, "/feeds/2021-06-30/documents/" + f.ResultFeedDocumentID} {
		r := e.call(http.MethodGet, path, nil)
		require.Equal(t, http.StatusNotFound, r.status, path)
		require.Equal(t, CodeNotFound, r.onlyError(t).Code)
	}
	require.Equal(t, http.StatusNotFound, e.call(http.MethodDelete, "/feeds/2021-06-30/feeds/"+id, nil).status)
	require.Equal(t, http.StatusNotFound, e.call(http.MethodGet, "/feeds/2021-06-30/feeds/123", nil).status)
}

func TestCancelFeed(t *testing.T) {
	e := newEnv(t, WithFeedTiming(time.Minute, time.Minute))
	e.addOrderA()
	id := e.submit(fulfillmentFeed(fulfillmentMessage(orderA, "T", [2]string{itemA1, "1"})))
	r := e.call(http.MethodDelete, "/feeds/2021-06-30/feeds/"+id, nil)
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	require.Equal(t, "2.0", r.header.Get("x-amzn-RateLimit-Limit"))
	e.clock.Advance(10 * time.Minute)
	f := e.getFeed(id)
	require.Equal(t, FeedCancelled, f.ProcessingStatus)
	require.Equal(t, "2026-03-02T10:00:00.000Z", f.ProcessingEndTime)
	require.Empty(t, f.ResultFeedDocumentID)
	require.Empty(t, e.seller.Packages(orderA), "a cancelled feed is never applied")

	// Only IN_QUEUE feeds can be cancelled.
	id2 := e.submit(fulfillmentFeed(fulfillmentMessage(orderA, "T", [2]string{itemA1, "1"})))
	e.clock.Advance(time.Minute)
	require.Equal(t, FeedInProgress, e.getFeed(id2).ProcessingStatus)
	r = e.call(http.MethodDelete, "/feeds/2021-06-30/feeds/"+id2, nil)
	require.Equal(t, http.StatusBadRequest, r.status)
	require.Equal(t, "Feed "+id2+" is IN_PROGRESS; only feeds IN_QUEUE can be cancelled.", r.onlyError(t).Details)
}

func TestFeedTwiceMakesTwoPackagesOrOverShips(t *testing.T) {
	// MerchantFulfillmentID is not used by Amazon: re-sending a message is
	// not an edit.
	e := newEnv(t, WithFeedTiming(0, 0))
	e.addOrderA()
	msg := fulfillmentFeed(fulfillmentMessage(orderA, "T", [2]string{itemA1, "1"}))
	e.getFeed(e.submit(msg))
	e.getFeed(e.submit(msg))
	require.Len(t, e.seller.Packages(orderA), 2)
	e.getFeed(e.submit(msg))
	f := e.getFeed(e.submit(msg))
	rep, _ := e.report(f)
	require.Equal(t, 1, rep.ProcessingSummary.MessagesWithError, "the fourth unit of a 3-unit item over-ships")
	require.Len(t, e.seller.Packages(orderA), 3)

	// A confirmShipment edit of a feed's package works by its assigned id.
	b := confirmBody("1000000002", item(itemA1, 1))
	pd(b)["trackingNumber"] = "EDITED"
	require.Equal(t, http.StatusNoContent, e.confirm(orderA, b).status)
	require.Equal(t, "EDITED", e.seller.Packages(orderA)[1].TrackingNumber)
}

func TestInputDocumentDownloadAndSizes(t *testing.T) {
	e := newEnv(t)
	require.Equal(t, testSellerID, e.seller.ID())
	id, u := e.createDocument(xmlContentType)

	// getFeedDocument works on the input document too; before the upload
	// its URL finds no object.
	r := e.call(http.MethodGet, "/feeds/2021-06-30/documents/"+id, nil)
	require.Equal(t, http.StatusOK, r.status)
	var doc feedDocumentJSON
	r.decode(t, &doc)
	require.Empty(t, doc.CompressionAlgorithm)
	missing := send(t, e.srv.Client(), mustRequest(t, http.MethodGet, doc.URL))
	require.Equal(t, http.StatusNotFound, missing.status)
	require.Contains(t, string(missing.body), "<Code>NoSuchKey</Code>")

	require.Equal(t, http.StatusOK, e.upload(u, "<AmazonEnvelope/>", "Content-Type", xmlContentType).status)
	got := send(t, e.srv.Client(), mustRequest(t, http.MethodGet, doc.URL))
	require.Equal(t, http.StatusOK, got.status)
	require.Equal(t, "<AmazonEnvelope/>", string(got.body))
	require.Equal(t, xmlContentType, got.header.Get("Content-Type"))
	head := send(t, e.srv.Client(), mustRequest(t, http.MethodHead, doc.URL))
	require.Equal(t, http.StatusOK, head.status)
	require.Empty(t, head.body)

	bad := e.call(http.MethodGet, "/feeds/2021-06-30/documents/"+id+"?enableContentEncodingUrlHeader=maybe", nil)
	require.Equal(t, http.StatusBadRequest, bad.status)

	// Bodies have bounds: 413 for SP-API JSON, S3's EntityTooLarge for
	// documents.
	huge := e.call(http.MethodPost, "/feeds/2021-06-30/documents", strings.Repeat(" ", maxBodyBytes+1))
	require.Equal(t, http.StatusRequestEntityTooLarge, huge.status)
	_, u2 := e.createDocument(xmlContentType)
	big := e.upload(u2, strings.Repeat("x", maxDocumentBytes+1), "Content-Type", xmlContentType)
	require.Equal(t, http.StatusBadRequest, big.status)
	require.Contains(t, string(big.body), "<Code>EntityTooLarge</Code>")
}
