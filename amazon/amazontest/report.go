package amazontest

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Processing of POST_ORDER_FULFILLMENT_DATA feeds: the uploaded document
// is an AmazonEnvelope (amzn-envelope.xsd) of OrderFulfillment messages
// (OrderFulfillment.xsd); the result is an AmazonEnvelope holding one
// ProcessingReport (ProcessingReport.xsd).
//
// A document that is not well-formed XML, or not an envelope of
// OrderFulfillment messages, fails the whole feed: FATAL, with a report
// whose one Result carries ResultMessageCode 5001 and Amazon's wording
// ("XML Parsing Fatal Error at Line L, Column C: ...",
// github.com/amzn/selling-partner-api-models/issues/1473 and /2282).
// Amazon has also been seen to report such documents as DONE with that
// same 5001 result; the fake reports FATAL so that a client must look at
// both.
//
// Otherwise each message is checked like a confirmShipment and, if sound,
// applied at the feed's processingEndTime as a new package of its order;
// a bad message gets an Error result and changes nothing. The envelope has
// no packageReferenceId: Amazon assigns one to each confirmed shipment
// ("If you do not put any ID when you submit, Amazon automatically assigns
// a packageReferenceID", "Confirm the shipment status"), and
// MerchantFulfillmentID is a "seller-supplied unique identifier for the
// shipment (not used by Amazon)" (Amazon's OrderFulfillment feed
// documentation). So every successful message makes a new package, with a
// packageReferenceId of the fake's numbering (from FeedPackageRefBase
// up); MerchantFulfillmentID is kept on it for inspection only. A
// message sent twice is therefore two packages, or an over-shipping
// error. Amazon's numbering is not documented.
//
// A message without Item confirms every unit still unshipped; an Item
// without Quantity confirms all of that item still unshipped
// (OrderFulfillment.xsd makes both optional).

// FeedPackageRefBase is the first packageReferenceId the fake assigns to
// packages that feeds create, far above the small numbers clients choose.
const FeedPackageRefBase = 1_000_000_001

// Result message codes. 5001 and 18028 are Amazon's (quoted in the
// messages' comments); the 90xxx codes are the fake's own, for cases whose
// Amazon numbers are not published.
const (
	feedCodeXMLFatal          = 5001
	feedCodeMerchantOrderID   = 18028
	feedCodeWrongMessageType  = 90001
	feedCodeNoFulfillment     = 90101
	feedCodeNoOrderID         = 90102
	feedCodeUnknownOrder      = 90103
	feedCodeMarketplace       = 90104
	feedCodeFulfillmentDate   = 90105
	feedCodeFulfillmentData   = 90106
	feedCodeMessageID         = 90107
	feedCodeOperationType     = 90108
	feedCodeQuantity          = 90109
	feedCodeMerchantOrderItem = 90110
)

// Input shapes (amzn-envelope.xsd AmazonEnvelope and Message, amzn-header
// Header, OrderFulfillment.xsd OrderFulfillment). Optional elements whose
// presence matters are pointers.
type (
	feedEnvelope struct {
		XMLName     xml.Name      `xml:"AmazonEnvelope"`
		Header      *feedHeader   `xml:"Header"`
		MessageType string        `xml:"MessageType"`
		Messages    []feedMessage `xml:"Message"`
	}
	feedHeader struct {
		DocumentVersion    string `xml:"DocumentVersion"`
		MerchantIdentifier string `xml:"MerchantIdentifier"`
	}
	feedMessage struct {
		MessageID        string                `xml:"MessageID"`
		OperationType    string                `xml:"OperationType"`
		OrderFulfillment *feedOrderFulfillment `xml:"OrderFulfillment"`
	}
	feedOrderFulfillment struct {
		AmazonOrderID         *string              `xml:"AmazonOrderID"`
		MerchantOrderID       *string              `xml:"MerchantOrderID"`
		MerchantFulfillmentID string               `xml:"MerchantFulfillmentID"`
		FulfillmentDate       string               `xml:"FulfillmentDate"`
		FulfillmentData       *feedFulfillmentData `xml:"FulfillmentData"`
		Items                 []feedItem           `xml:"Item"`
	}
	feedFulfillmentData struct {
		CarrierCode           *string `xml:"CarrierCode"`
		CarrierName           *string `xml:"CarrierName"`
		ShippingMethod        string  `xml:"ShippingMethod"`
		ShipperTrackingNumber string  `xml:"ShipperTrackingNumber"`
	}
	feedItem struct {
		AmazonOrderItemCode *string `xml:"AmazonOrderItemCode"`
		MerchantOrderItemID *string `xml:"MerchantOrderItemID"`
		Quantity            *string `xml:"Quantity"`
	}
)

// Output shapes (ProcessingReport.xsd).
type (
	reportEnvelope struct {
		XMLName     xml.Name      `xml:"AmazonEnvelope"`
		XSI         string        `xml:"xmlns:xsi,attr"`
		Schema      string        `xml:"xsi:noNamespaceSchemaLocation,attr"`
		Header      feedHeader    `xml:"Header"`
		MessageType string        `xml:"MessageType"`
		Message     reportMessage `xml:"Message"`
	}
	reportMessage struct {
		MessageID        int              `xml:"MessageID"`
		ProcessingReport processingReport `xml:"ProcessingReport"`
	}
	processingReport struct {
		DocumentTransactionID string            `xml:"DocumentTransactionID"`
		StatusCode            string            `xml:"StatusCode"`
		ProcessingSummary     processingSummary `xml:"ProcessingSummary"`
		Results               []reportResult    `xml:"Result"`
	}
	processingSummary struct {
		MessagesProcessed   int `xml:"MessagesProcessed"`
		MessagesSuccessful  int `xml:"MessagesSuccessful"`
		MessagesWithError   int `xml:"MessagesWithError"`
		MessagesWithWarning int `xml:"MessagesWithWarning"`
	}
	reportResult struct {
		MessageID         string          `xml:"MessageID"`
		ResultCode        string          `xml:"ResultCode"`
		ResultMessageCode int             `xml:"ResultMessageCode"`
		ResultDescription string          `xml:"ResultDescription"`
		AdditionalInfo    *additionalInfo `xml:"AdditionalInfo,omitempty"`
	}
	additionalInfo struct {
		AmazonOrderID       string `xml:"AmazonOrderID,omitempty"`
		AmazonOrderItemCode string `xml:"AmazonOrderItemCode,omitempty"`
	}
)

// reportSummary is what the fake keeps of a processing report for
// inspection.
type reportSummary struct {
	summary processingSummary
	results []reportResult
	report  []byte // the XML, uncompressed
}

var idNumberPattern = regexp.MustCompile(`^\d{1,20}$`)

// processFeed parses and applies a feed at its processingEndTime and
// stores its processing report. The caller holds mu.
func (s *Server) processFeed(f *feed) {
	merchant := f.seller.id
	var data []byte
	if f.input.uploaded {
		data = f.input.data
	}
	f.read = data
	env, fatal := parseEnvelope(data)
	if env != nil && env.Header != nil && strings.TrimSpace(env.Header.MerchantIdentifier) != "" {
		merchant = strings.TrimSpace(env.Header.MerchantIdentifier)
	}
	var sum reportSummary
	if fatal != nil {
		f.status = FeedFatal
		sum.summary.MessagesWithError = 1
		sum.results = []reportResult{*fatal}
	} else {
		f.status = FeedDone
		for _, m := range env.Messages {
			sum.summary.MessagesProcessed++
			if r := s.processMessage(f, m, merchant); r != nil {
				sum.summary.MessagesWithError++
				sum.results = append(sum.results, *r)
				continue
			}
			sum.summary.MessagesSuccessful++
		}
	}
	out := reportEnvelope{
		XSI:         "http://www.w3.org/2001/XMLSchema-instance",
		Schema:      "amzn-envelope.xsd",
		Header:      feedHeader{DocumentVersion: "1.02", MerchantIdentifier: merchant},
		MessageType: "ProcessingReport",
		Message: reportMessage{MessageID: 1, ProcessingReport: processingReport{
			DocumentTransactionID: f.id,
			StatusCode:            "Complete",
			ProcessingSummary:     sum.summary,
			Results:               sum.results,
		}},
	}
	b, err := xml.MarshalIndent(out, "", "\t")
	if err != nil {
		b = []byte("<AmazonEnvelope/>")
	}
	sum.report = append([]byte(xml.Header), b...)
	f.summary = sum

	d := &document{id: s.newDocumentID(), seller: f.seller, contentType: "text/xml; charset=UTF-8", created: f.end, data: sum.report, uploaded: true, report: true}
	if s.gzipReports {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		_, _ = zw.Write(sum.report)
		_ = zw.Close()
		d.data, d.compressed = buf.Bytes(), true
	}
	s.docs[d.id] = d
	f.result = d
}

// parseEnvelope reads an uploaded document, or returns the Result that
// makes the feed FATAL.
func parseEnvelope(data []byte) (*feedEnvelope, *reportResult) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	dec.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "utf-8", "utf8", "us-ascii", "ascii":
			return in, nil
		}
		return nil, fmt.Errorf("invalid encoding name %q", label)
	}
	fatalAt := func(line, col int, format string, args ...any) (*feedEnvelope, *reportResult) {
		return nil, &reportResult{
			MessageID:         "0",
			ResultCode:        "Error",
			ResultMessageCode: feedCodeXMLFatal,
			ResultDescription: fmt.Sprintf("XML Parsing Fatal Error at Line %d, Column %d: %s", line, col, fmt.Sprintf(format, args...)),
		}
	}
	fatal := func(format string, args ...any) (*feedEnvelope, *reportResult) {
		line, col := dec.InputPos()
		return fatalAt(line, col, format, args...)
	}
	var env feedEnvelope
	if err := dec.Decode(&env); err != nil {
		var se *xml.SyntaxError
		var ue xml.UnmarshalError
		switch {
		case errors.Is(err, io.EOF) && len(bytes.TrimSpace(data)) == 0:
			return fatalAt(1, 1, "Premature end of file.")
		case errors.Is(err, io.EOF):
			// Text but no element, such as a flat file sent as XML.
			return fatalAt(1, 1, "Content is not allowed in prolog.")
		case errors.As(err, &se):
			return fatal("%s", se.Msg)
		case errors.As(err, &ue) && strings.HasPrefix(string(ue), "expected element type <AmazonEnvelope>"):
			got := strings.TrimSuffix(strings.TrimPrefix(string(ue)[strings.LastIndex(string(ue), "<"):], "<"), ">")
			return fatal("cvc-elt.1: Cannot find the declaration of element '%s'.", got)
		}
		return fatal("%s", err.Error())
	}
	// Anything but comments, processing instructions and white space after
	// the root is an error, as Amazon's parser reports it.
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fatal("Content is not allowed in trailing section.")
		}
		switch t := tok.(type) {
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return fatal("Content is not allowed in trailing section.")
			}
		case xml.StartElement, xml.EndElement, xml.Directive:
			return fatal("Content is not allowed in trailing section.")
		}
	}
	switch {
	case env.Header == nil:
		return fatal("cvc-complex-type.2.4.a: Invalid content was found in element 'AmazonEnvelope'. One of '{Header}' is expected.")
	case strings.TrimSpace(env.MessageType) != "OrderFulfillment":
		_, r := fatal("")
		r.ResultMessageCode = feedCodeWrongMessageType
		r.ResultDescription = fmt.Sprintf("The MessageType %q does not match the feed type %s, whose messages are OrderFulfillment.", strings.TrimSpace(env.MessageType), FeedTypeOrderFulfillment)
		return nil, r
	case len(env.Messages) == 0:
		return fatal("cvc-complex-type.2.4.b: The content of element 'AmazonEnvelope' is not complete. One of '{Message}' is expected.")
	}
	return &env, nil
}

// processMessage checks one message and applies it, or returns its Error
// result. The caller holds mu.
func (s *Server) processMessage(f *feed, m feedMessage, merchant string) *reportResult {
	id := strings.TrimSpace(m.MessageID)
	fail := func(code int, description, orderID, itemID string) *reportResult {
		r := &reportResult{MessageID: id, ResultCode: "Error", ResultMessageCode: code, ResultDescription: description}
		if !idNumberPattern.MatchString(id) {
			r.MessageID = "0"
		}
		if orderID != "" || itemID != "" {
			r.AdditionalInfo = &additionalInfo{AmazonOrderID: orderID, AmazonOrderItemCode: itemID}
		}
		return r
	}
	if n, err := strconv.ParseUint(id, 10, 64); !idNumberPattern.MatchString(id) || err != nil || n == 0 {
		return fail(feedCodeMessageID, fmt.Sprintf("MessageID %q is not a positive number of at most 20 digits.", id), "", "")
	}
	if op := strings.TrimSpace(m.OperationType); op != "" && op != "Update" {
		return fail(feedCodeOperationType, fmt.Sprintf("OperationType %s is not supported for OrderFulfillment messages; use Update.", op), "", "")
	}
	of := m.OrderFulfillment
	if of == nil {
		return fail(feedCodeNoFulfillment, "The message holds no OrderFulfillment.", "", "")
	}
	if of.AmazonOrderID == nil {
		if of.MerchantOrderID != nil {
			// Amazon's code and wording, from a processing report quoted
			// in the test fixtures of the Perl Amazon::MWS::XML
			// distribution: the fake keeps no merchant order ids.
			return fail(feedCodeMerchantOrderID, fmt.Sprintf("Your order cannot be found using Merchant ID %s and Merchant Order %s. Enter the correct order ID and then resubmit your feed.", merchant, strings.TrimSpace(*of.MerchantOrderID)), "", "")
		}
		return fail(feedCodeNoOrderID, "The OrderFulfillment names no AmazonOrderID.", "", "")
	}
	orderID := strings.TrimSpace(*of.AmazonOrderID)
	o := f.seller.orders[orderID]
	if !orderIDPattern.MatchString(orderID) || o == nil {
		// Seller Central's wording of this error ("Invalid OrderID or
		// AmazonOrderID."), sellercentral help item 25441.
		return fail(feedCodeUnknownOrder, "Invalid OrderID or AmazonOrderID.", orderID, "")
	}
	if !slices.Contains(f.marketplaces, o.marketplace) {
		return fail(feedCodeMarketplace, fmt.Sprintf("Order %s was placed in marketplace %s, which is not among this feed's marketplaceIds.", o.id, o.marketplace), o.id, "")
	}
	shipDate, ok := parseXSDDateTime(of.FulfillmentDate)
	if !ok {
		return fail(feedCodeFulfillmentDate, fmt.Sprintf("FulfillmentDate %q is not an xsd:dateTime.", strings.TrimSpace(of.FulfillmentDate)), o.id, "")
	}
	sh := shipment{shipDate: shipDate, feedID: f.id, merchantFulfillmentID: strings.TrimSpace(of.MerchantFulfillmentID)}
	if fd := of.FulfillmentData; fd != nil {
		switch {
		case fd.CarrierCode != nil && fd.CarrierName != nil:
			return fail(feedCodeFulfillmentData, "FulfillmentData holds either CarrierCode or CarrierName, not both.", o.id, "")
		case fd.CarrierCode == nil && fd.CarrierName == nil:
			return fail(feedCodeFulfillmentData, "FulfillmentData needs a CarrierCode or a CarrierName.", o.id, "")
		case fd.CarrierCode != nil:
			sh.carrierCode = strings.TrimSpace(*fd.CarrierCode)
		default:
			// CarrierName stands for a carrier without a code, as "Other"
			// with carrierName does in confirmShipment.
			sh.carrierCode, sh.carrierName = "Other", strings.TrimSpace(*fd.CarrierName)
		}
		sh.shippingMethod, sh.trackingNumber = strings.TrimSpace(fd.ShippingMethod), strings.TrimSpace(fd.ShipperTrackingNumber)
		for name, v := range map[string]string{"CarrierName": sh.carrierName, "ShippingMethod": sh.shippingMethod, "ShipperTrackingNumber": sh.trackingNumber} {
			if len(v) > 50 { // amzn-base.xsd String: maxLength 50
				return fail(feedCodeFulfillmentData, fmt.Sprintf("%s is longer than 50 characters.", name), o.id, "")
			}
		}
	}
	if len(of.Items) == 0 {
		for _, it := range o.items {
			if left := it.quantity - o.shipped(it.id); left > 0 {
				sh.items = append(sh.items, packageItem{orderItemID: it.id, quantity: left})
			}
		}
		if len(sh.items) == 0 {
			return fail(feedCodeAlreadyDone, fmt.Sprintf("Order %s is already shipped in full.", o.id), o.id, "")
		}
	}
	for _, it := range of.Items {
		if it.AmazonOrderItemCode == nil {
			if it.MerchantOrderItemID != nil {
				return fail(feedCodeMerchantOrderItem, msgBadOrderItem, o.id, strings.TrimSpace(*it.MerchantOrderItemID))
			}
			return fail(feedCodeItem, "An Item names no AmazonOrderItemCode.", o.id, "")
		}
		itemID := strings.TrimSpace(*it.AmazonOrderItemCode)
		qty := 0
		if it.Quantity == nil {
			if oi := o.item(itemID); oi != nil {
				qty = oi.quantity - o.shipped(itemID)
			}
			if qty < 1 {
				qty = 1 // nothing left: let the over-shipping check say so
			}
		} else {
			n, err := strconv.Atoi(strings.TrimSpace(*it.Quantity))
			if err != nil || n < 1 {
				return fail(feedCodeQuantity, fmt.Sprintf("Quantity %q is not a positive integer.", strings.TrimSpace(*it.Quantity)), o.id, itemID)
			}
			qty = n
		}
		sh.items = append(sh.items, packageItem{orderItemID: itemID, quantity: qty})
	}
	sh.ref = feedPackageRef(o)
	if p := o.check(sh, f.end, false); p != nil {
		return fail(p.feedCode, p.description(), o.id, p.itemID)
	}
	o.apply(sh, f.end)
	return nil
}

// feedPackageRef is the next packageReferenceId the fake assigns to a
// feed's package in an order.
func feedPackageRef(o *order) string {
	for n := int64(FeedPackageRefBase); ; n++ {
		ref := strconv.FormatInt(n, 10)
		if o.pkg(ref) == nil {
			return ref
		}
	}
}

// parseXSDDateTime reads an xsd:dateTime; one without a time zone is
// taken as UTC (Amazon applies "local time", which the fake does not
// know).
func parseXSDDateTime(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}
