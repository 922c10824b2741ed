package amazon

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
)

// The XML of the order fulfillment feed and its processing report, per
// Amazon's schemas amzn-envelope.xsd, OrderFulfillment.xsd and
// ProcessingReport.xsd: one Message per package.

type envelope struct {
	XMLName     xml.Name       `xml:"AmazonEnvelope"`
	XSI         string         `xml:"xmlns:xsi,attr"`
	Schema      string         `xml:"xsi:noNamespaceSchemaLocation,attr"`
	Header      envelopeHeader `xml:"Header"`
	MessageType string         `xml:"MessageType"`
	Messages    []feedMessage  `xml:"Message"`
}

type envelopeHeader struct {
	DocumentVersion    string `xml:"DocumentVersion"`
	MerchantIdentifier string `xml:"MerchantIdentifier"`
}

type feedMessage struct {
	MessageID        int              `xml:"MessageID"`
	OrderFulfillment orderFulfillment `xml:"OrderFulfillment"`
}

type orderFulfillment struct {
	AmazonOrderID         string           `xml:"AmazonOrderID"`
	MerchantFulfillmentID string           `xml:"MerchantFulfillmentID,omitempty"`
	FulfillmentDate       string           `xml:"FulfillmentDate"`
	FulfillmentData       fulfillmentData  `xml:"FulfillmentData"`
	Items                 []fulfillmentRow `xml:"Item"`
}

// fulfillmentData holds CarrierCode or CarrierName (an xsd:choice).
type fulfillmentData struct {
	CarrierCode           string `xml:"CarrierCode,omitempty"`
	CarrierName           string `xml:"CarrierName,omitempty"`
	ShippingMethod        string `xml:"ShippingMethod,omitempty"`
	ShipperTrackingNumber string `xml:"ShipperTrackingNumber,omitempty"`
}

type fulfillmentRow struct {
	AmazonOrderItemCode string `xml:"AmazonOrderItemCode"`
	Quantity            int    `xml:"Quantity"`
}

// fulfillmentMessage makes the feed message of one confirmation. The
// package reference travels as MerchantFulfillmentID, so that the package
// can be recognized later.
func fulfillmentMessage(id int, orderID string, r ConfirmShipmentRequest) feedMessage {
	p := r.PackageDetail
	data := fulfillmentData{CarrierCode: p.CarrierCode, ShippingMethod: p.ShippingMethod, ShipperTrackingNumber: p.TrackingNumber}
	if p.CarrierCode == "" || p.CarrierCode == "Other" {
		data.CarrierCode, data.CarrierName = "", p.CarrierName
	}
	m := feedMessage{MessageID: id, OrderFulfillment: orderFulfillment{
		AmazonOrderID: orderID, MerchantFulfillmentID: p.PackageReferenceID, FulfillmentDate: p.ShipDate, FulfillmentData: data}}
	for _, it := range p.OrderItems {
		m.OrderFulfillment.Items = append(m.OrderFulfillment.Items, fulfillmentRow{AmazonOrderItemCode: it.OrderItemID, Quantity: it.Quantity})
	}
	return m
}

// buildFulfillmentFeed renders the envelope of a batch of messages.
func buildFulfillmentFeed(merchantID string, msgs []feedMessage) ([]byte, error) {
	env := envelope{XSI: "http://www.w3.org/2001/XMLSchema-instance", Schema: "amzn-envelope.xsd",
		Header: envelopeHeader{DocumentVersion: "1.01", MerchantIdentifier: merchantID}, MessageType: "OrderFulfillment", Messages: msgs}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	if err := enc.Encode(env); err != nil {
		return nil, fmt.Errorf("amazon: encode feed: %w", err)
	}
	return b.Bytes(), nil
}

// ProcessingReport is the result document of a feed.
type ProcessingReport struct {
	DocumentTransactionID string
	StatusCode            string // Complete, Processing, Rejected
	MessagesProcessed     int
	MessagesSuccessful    int
	MessagesWithError     int
	MessagesWithWarning   int
	Results               []ReportResult
}

// ReportResult is the report's verdict on one message: an error or a
// warning. Messages without a result succeeded.
type ReportResult struct {
	MessageID         int
	ResultCode        string // Error, Warning
	ResultMessageCode string
	ResultDescription string
	AmazonOrderID     string
}

// ParseProcessingReport reads a processing report document.
func ParseProcessingReport(data []byte) (*ProcessingReport, error) {
	var env struct {
		Messages []struct {
			Report *struct {
				DocumentTransactionID string `xml:"DocumentTransactionID"`
				StatusCode            string `xml:"StatusCode"`
				Summary               struct {
					Processed   int `xml:"MessagesProcessed"`
					Successful  int `xml:"MessagesSuccessful"`
					WithError   int `xml:"MessagesWithError"`
					WithWarning int `xml:"MessagesWithWarning"`
				} `xml:"ProcessingSummary"`
				Results []struct {
					MessageID         string `xml:"MessageID"`
					ResultCode        string `xml:"ResultCode"`
					ResultMessageCode string `xml:"ResultMessageCode"`
					ResultDescription string `xml:"ResultDescription"`
					AdditionalInfo    struct {
						AmazonOrderID string `xml:"AmazonOrderID"`
					} `xml:"AdditionalInfo"`
				} `xml:"Result"`
			} `xml:"ProcessingReport"`
		} `xml:"Message"`
	}
	if err := xml.Unmarshal(data, &env); err != nil {
		return nil, fmt.Errorf("amazon: processing report: %w", err)
	}
	if len(env.Messages) == 0 || env.Messages[0].Report == nil {
		return nil, fmt.Errorf("amazon: processing report: no ProcessingReport message")
	}
	r := env.Messages[0].Report
	out := &ProcessingReport{DocumentTransactionID: r.DocumentTransactionID, StatusCode: r.StatusCode,
		MessagesProcessed: r.Summary.Processed, MessagesSuccessful: r.Summary.Successful,
		MessagesWithError: r.Summary.WithError, MessagesWithWarning: r.Summary.WithWarning}
	for _, res := range r.Results {
		id, err := strconv.Atoi(res.MessageID)
		if err != nil || id < 0 {
			return nil, fmt.Errorf("amazon: processing report: result for message %q", res.MessageID)
		}
		out.Results = append(out.Results, ReportResult{MessageID: id, ResultCode: res.ResultCode, ResultMessageCode: res.ResultMessageCode,
			ResultDescription: res.ResultDescription, AmazonOrderID: res.AdditionalInfo.AmazonOrderID})
	}
	return out, nil
}
