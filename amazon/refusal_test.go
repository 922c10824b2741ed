package amazon

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Refusals are told apart by code first (errorMetric in details for
// confirmShipment, ResultMessageCode for reports); the message text is
// the fallback, pinned here on the messages Amazon is known to send.
func TestRefusalClassification(t *testing.T) {
	for _, tc := range []struct {
		name string
		e    Error
		want refusal
	}{
		{"errorMetric in details", Error{Code: "InvalidInput", Message: "anything", Details: "ErrorMessage(errorCode=GeneralError, errorMetric=PackageToUpdateNotFound, packageIndex=null)"}, refusalExplain},
		{"code", Error{Code: "PackageToUpdateNotFound", Message: "anything"}, refusalExplain},
		{"text: unknown item", Error{Code: "InvalidInput", Message: "OrderItemId is invalid, please obtain the value through the getOrderItems API or Manage Orders page"}, refusalRequest},
		{"text: bad reference", Error{Code: "InvalidInput", Message: "PackageReferenceId: is invalid, must be a positive numeric value."}, refusalRequest},
		{"text: Ship+", Error{Code: "InvalidInput", Message: "Ship+ orders do not support the confirmShipment operation as they don't require manual confirmation."}, refusalRequest},
		{"text: invalid type", Error{Code: "InvalidInput", Message: "The input you have submitted is not valid. Please check the fields with invalid type [packageReferenceId]."}, refusalRequest},
		{"text: over-shipped", Error{Code: "InvalidInput", Message: "The quantity shipped for OrderItemId 1 exceeds the quantity ordered."}, refusalExplain},
		{"text: pending", Error{Code: "InvalidInput", Message: "Order 028-1 is Pending: its payment is not authorized yet, so it cannot be shipped."}, refusalExplain},
		{"text: already fulfilled", Error{Code: "InvalidInput", Message: "Failed to create package due to not finding a matching package or order already fulfilled."}, refusalExplain},
		{"unknown: read to explain", Error{Code: "InvalidInput", Message: "Something new."}, refusalExplain},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, classifyRefusal(&ErrorResponse{StatusCode: 400, Errors: []Error{tc.e}}))
		})
	}
	for _, tc := range []struct {
		r    ReportResult
		want refusal
	}{
		{ReportResult{ResultCode: "Error", ResultMessageCode: "5001", ResultDescription: "XML Parsing Fatal Error at Line 1, Column 1: Premature end of file."}, refusalRequest},
		{ReportResult{ResultCode: "Error", ResultMessageCode: "18028", ResultDescription: "Your order cannot be found using Merchant ID"}, refusalRequest},
		{ReportResult{ResultCode: "Error", ResultMessageCode: "90205", ResultDescription: "The quantity shipped for OrderItemId 1 exceeds the quantity ordered."}, refusalExplain},
		{ReportResult{ResultCode: "Error", ResultMessageCode: "90204", ResultDescription: "OrderItemId is invalid, please obtain the value through the getOrderItems API or Manage Orders page"}, refusalRequest},
	} {
		require.Equal(t, tc.want, classifyResult(tc.r), tc.r.ResultDescription)
	}
}

func TestMatchPackageNeverByNumberAlone(t *testing.T) {
	ao := &Order{Packages: []Package{
		{PackageReferenceID: "1000000001", TrackingNumber: "1Z1", Items: []OrderItemQuantity{{"A", 1}}},
		{PackageReferenceID: "0042", TrackingNumber: "1Z2", Items: []OrderItemQuantity{{"B", 2}}},
	}}
	req := func(ref, number string, items ...OrderItemQuantity) ConfirmShipmentRequest {
		return ConfirmShipmentRequest{PackageDetail: PackageDetail{PackageReferenceID: ref, TrackingNumber: number, OrderItems: items}}
	}
	_, ok := matchPackage(ao, req("7", "1Z1", OrderItemQuantity{"B", 1}), map[string]bool{})
	require.False(t, ok, "same number, other items: a look-alike, not this package")
	pk, ok := matchPackage(ao, req("7", "1z 1", OrderItemQuantity{"A", 1}), map[string]bool{})
	require.True(t, ok, "same number and items")
	require.Equal(t, "1000000001", pk.PackageReferenceID)
	_, ok = matchPackage(ao, req("7", "1Z1", OrderItemQuantity{"A", 1}), map[string]bool{"1000000001": true})
	require.False(t, ok, "matched to another shipment already")
	pk, ok = matchPackage(ao, req("42", "1Z9", OrderItemQuantity{"C", 1}), map[string]bool{})
	require.True(t, ok, "the reference decides alone: 0042 is 42")
	require.Equal(t, "0042", pk.PackageReferenceID)
}
