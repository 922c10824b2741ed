package amazon

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/tracking"
)

func TestBuildFulfillmentFeed(t *testing.T) {
	req := ConfirmShipmentRequest{MarketplaceID: "A1PA6795UKMFR9", PackageDetail: PackageDetail{PackageReferenceID: "42", CarrierCode: "UPS", ShippingMethod: "Express & Saver",
		TrackingNumber: "1Z999AA10123456784", ShipDate: "2026-11-24T09:00:00Z", OrderItems: []OrderItemQuantity{{"111", 2}, {"112", 1}}}}
	other := req
	other.PackageDetail.CarrierCode, other.PackageDetail.CarrierName = "Other", "Fietskoerier <NL>"
	data, err := buildFulfillmentFeed("A2SELLER", []feedMessage{fulfillmentMessage(1, "028-1", req), fulfillmentMessage(2, "028-2", other)})
	require.NoError(t, err)
	want := `<?xml version="1.0" encoding="UTF-8"?>
<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="amzn-envelope.xsd"><Header><DocumentVersion>1.01</DocumentVersion><MerchantIdentifier>A2SELLER</MerchantIdentifier></Header><MessageType>OrderFulfillment</MessageType>` +
		`<Message><MessageID>1</MessageID><OrderFulfillment><AmazonOrderID>028-1</AmazonOrderID><MerchantFulfillmentID>42</MerchantFulfillmentID><FulfillmentDate>2026-11-24T09:00:00Z</FulfillmentDate><FulfillmentData><CarrierCode>UPS</CarrierCode><ShippingMethod>Express &amp; Saver</ShippingMethod><ShipperTrackingNumber>1Z999AA10123456784</ShipperTrackingNumber></FulfillmentData><Item><AmazonOrderItemCode>111</AmazonOrderItemCode><Quantity>2</Quantity></Item><Item><AmazonOrderItemCode>112</AmazonOrderItemCode><Quantity>1</Quantity></Item></OrderFulfillment></Message>` +
		`<Message><MessageID>2</MessageID><OrderFulfillment><AmazonOrderID>028-2</AmazonOrderID><MerchantFulfillmentID>42</MerchantFulfillmentID><FulfillmentDate>2026-11-24T09:00:00Z</FulfillmentDate><FulfillmentData><CarrierName>Fietskoerier &lt;NL&gt;</CarrierName><ShippingMethod>Express &amp; Saver</ShippingMethod><ShipperTrackingNumber>1Z999AA10123456784</ShipperTrackingNumber></FulfillmentData><Item><AmazonOrderItemCode>111</AmazonOrderItemCode><Quantity>2</Quantity></Item><Item><AmazonOrderItemCode>112</AmazonOrderItemCode><Quantity>1</Quantity></Item></OrderFulfillment></Message></AmazonEnvelope>`
	require.Equal(t, want, string(data))
}

const sampleReport = `<?xml version="1.0" encoding="UTF-8"?>
<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="amzn-envelope.xsd">
  <Header><DocumentVersion>1.02</DocumentVersion><MerchantIdentifier>A2SELLER</MerchantIdentifier></Header>
  <MessageType>ProcessingReport</MessageType>
  <Message>
    <MessageID>1</MessageID>
    <ProcessingReport>
      <DocumentTransactionID>50012345</DocumentTransactionID>
      <StatusCode>Complete</StatusCode>
      <ProcessingSummary><MessagesProcessed>3</MessagesProcessed><MessagesSuccessful>1</MessagesSuccessful><MessagesWithError>1</MessagesWithError><MessagesWithWarning>1</MessagesWithWarning></ProcessingSummary>
      <Result><MessageID>2</MessageID><ResultCode>Error</ResultCode><ResultMessageCode>18028</ResultMessageCode><ResultDescription>The data you submitted is incomplete or invalid.</ResultDescription><AdditionalInfo><AmazonOrderID>028-2</AmazonOrderID></AdditionalInfo></Result>
      <Result><MessageID>3</MessageID><ResultCode>Warning</ResultCode><ResultMessageCode>5001</ResultMessageCode><ResultDescription>Carrier name not recognized.</ResultDescription></Result>
    </ProcessingReport>
  </Message>
</AmazonEnvelope>`

func TestParseProcessingReport(t *testing.T) {
	r, err := ParseProcessingReport([]byte(sampleReport))
	require.NoError(t, err)
	require.Equal(t, "50012345", r.DocumentTransactionID)
	require.Equal(t, 3, r.MessagesProcessed)
	require.Equal(t, []ReportResult{
		{MessageID: 2, ResultCode: "Error", ResultMessageCode: "18028", ResultDescription: "The data you submitted is incomplete or invalid.", AmazonOrderID: "028-2"},
		{MessageID: 3, ResultCode: "Warning", ResultMessageCode: "5001", ResultDescription: "Carrier name not recognized."},
	}, r.Results)

	o := &feedOutcome{}
	o.set(&Feed{FeedID: "F1", ProcessingStatus: "DONE"}, r)
	var results []tracking.ShipmentResult
	var verdicts []verdict
	for msg := 1; msg <= 3; msg++ {
		r, v := judge(o, "F1", msg)
		results, verdicts = append(results, r), append(verdicts, v)
	}
	require.Equal(t, []verdict{verdictApplied, verdictRefused, verdictApplied}, verdicts, "18028 is a refusal of the request, by its code")
	require.Equal(t, "pushed", string(results[0].State))
	require.Equal(t, "feed:F1/1", results[0].RemoteID)
	require.Equal(t, "failed", string(results[1].State))
	require.Contains(t, results[1].Reason, "feed F1 message 2: Error 18028: The data you submitted is incomplete or invalid.")
	var fe *FeedError
	require.ErrorAs(t, results[1].Err, &fe)
	require.False(t, fe.Retryable())
	require.Equal(t, "pushed", string(results[2].State))
	require.Len(t, results[2].Warnings, 1)

	for _, bad := range []string{"", "<x>", `<AmazonEnvelope><Message><MessageID>1</MessageID></Message></AmazonEnvelope>`,
		strings.Replace(sampleReport, "<MessageID>2</MessageID>", "<MessageID>x</MessageID>", 1)} {
		_, err := ParseProcessingReport([]byte(bad))
		require.Error(t, err, bad)
	}
}

func TestDocumentLevelErrorFailsEveryMessage(t *testing.T) {
	o := &feedOutcome{}
	o.set(&Feed{FeedID: "F2", ProcessingStatus: "DONE"}, &ProcessingReport{Results: []ReportResult{{MessageID: 0, ResultCode: "Error", ResultMessageCode: "5001", ResultDescription: "XML parsing error"}}})
	for msg := 1; msg <= 2; msg++ {
		r, v := judge(o, "F2", msg)
		require.Equal(t, "failed", string(r.State))
		require.Equal(t, verdictRefused, v)
	}
}

func FuzzParseProcessingReport(f *testing.F) {
	f.Add([]byte(sampleReport))
	f.Add([]byte(`<AmazonEnvelope><Message><ProcessingReport><Result><MessageID>99999999999999999999999</MessageID></Result></ProcessingReport></Message></AmazonEnvelope>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseProcessingReport(data)
		if err != nil {
			return
		}
		for _, res := range r.Results {
			require.GreaterOrEqual(t, res.MessageID, 0)
		}
	})
}

func BenchmarkFeedMessage(b *testing.B) {
	req := ConfirmShipmentRequest{MarketplaceID: "A1PA6795UKMFR9", PackageDetail: PackageDetail{PackageReferenceID: "42", CarrierCode: "UPS", ShippingMethod: "Standard",
		TrackingNumber: "1Z999AA10123456784", ShipDate: "2026-11-24T09:00:00Z", OrderItems: []OrderItemQuantity{{"111", 2}}}}
	msgs := make([]feedMessage, 1000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i += len(msgs) {
		for j := range msgs {
			msgs[j] = fulfillmentMessage(j+1, "028-1234567-1234567", req)
		}
		if _, err := buildFulfillmentFeed("A2SELLER", msgs); err != nil {
			b.Fatal(err)
		}
	}
}
