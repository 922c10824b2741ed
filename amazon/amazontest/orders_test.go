package amazontest

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// shipTwoPackages confirms item A1 ×2 in package 1 and item A1 ×1 + A2 ×1
// in package 2 (by "Other" carrier).
func (e *env) shipTwoPackages() {
	e.t.Helper()
	require.Equal(e.t, http.StatusNoContent, e.confirm(orderA, confirmBody("1", item(itemA1, 2))).status)
	b := confirmBody("2", item(itemA1, 1), item(itemA2, 1))
	pd(b)["carrierCode"] = "Other"
	pd(b)["carrierName"] = "Acme Couriers"
	pd(b)["shippingMethod"] = "Next day"
	pd(b)["trackingNumber"] = "ACME123"
	require.Equal(e.t, http.StatusNoContent, e.confirm(orderA, b).status)
}

func TestGetOrder2026WithPackages(t *testing.T) {
	e := newEnv(t)
	e.addOrderA()
	e.clock.Advance(5 * time.Minute)
	e.shipTwoPackages()

	r := e.call(http.MethodGet, "/orders/2026-01-01/orders/"+orderA+"?includedData=FULFILLMENT,PACKAGES", nil)
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	require.Equal(t, "0.5", r.header.Get("x-amzn-RateLimit-Limit"))
	shipped := t0.Add(-10 * time.Minute).Format(time.RFC3339)
	created := t0.Add(5 * time.Minute).Format(time.RFC3339)
	require.JSONEq(t, `{"order": {
		"orderId": "`+orderA+`",
		"createdTime": "2026-03-02T09:00:00Z",
		"lastUpdatedTime": "`+created+`",
		"salesChannel": {"channelName": "AMAZON", "marketplaceId": "ATVPDKIKX0DER", "marketplaceName": "Amazon.com"},
		"fulfillment": {"fulfillmentStatus": "SHIPPED", "fulfilledBy": "MERCHANT"},
		"orderItems": [
			{"orderItemId": "`+itemA1+`", "quantityOrdered": 3,
			 "product": {"asin": "`+fakeASIN("MUG-RED", itemA1)+`", "title": "MUG-RED", "sellerSku": "MUG-RED"},
			 "fulfillment": {"quantityFulfilled": 3, "quantityUnfulfilled": 0}},
			{"orderItemId": "`+itemA2+`", "quantityOrdered": 1,
			 "product": {"asin": "`+fakeASIN("CAP-BLUE", itemA2)+`", "title": "CAP-BLUE", "sellerSku": "CAP-BLUE"},
			 "fulfillment": {"quantityFulfilled": 1, "quantityUnfulfilled": 0}}
		],
		"packages": [
			{"packageReferenceId": "1", "createdTime": "`+created+`", "packageStatus": {"status": "SHIPPED"},
			 "carrier": "UPS", "shipTime": "`+shipped+`", "shippingService": "UPS Ground", "trackingNumber": "1Z999AA10123456784",
			 "packageItems": [{"orderItemId": "`+itemA1+`", "quantity": 2}]},
			{"packageReferenceId": "2", "createdTime": "`+created+`", "packageStatus": {"status": "SHIPPED"},
			 "carrier": "Acme Couriers", "shipTime": "`+shipped+`", "shippingService": "Next day", "trackingNumber": "ACME123",
			 "packageItems": [{"orderItemId": "`+itemA1+`", "quantity": 1}, {"orderItemId": "`+itemA2+`", "quantity": 1}]}
		]
	}}`, string(r.body))
}

func TestGetOrder2026IncludedData(t *testing.T) {
	e := newEnv(t)
	e.addOrderA()
	require.Equal(t, http.StatusNoContent, e.confirm(orderA, confirmBody("1", item(itemA1, 1))).status)
	tests := []struct {
		query                     string
		fulfillment, packages     bool
		itemFulfilled, statusWant string
	}{
		{query: "", fulfillment: false, packages: false},
		{query: "?includedData=PACKAGES", fulfillment: false, packages: true},
		{query: "?includedData=FULFILLMENT", fulfillment: true, packages: false, statusWant: "PARTIALLY_SHIPPED"},
		{query: "?includedData=FULFILLMENT&includedData=PACKAGES", fulfillment: true, packages: true, statusWant: "PARTIALLY_SHIPPED"},
		{query: "?includedData=BUYER,RECIPIENT", fulfillment: false, packages: false},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			r := e.call(http.MethodGet, "/orders/2026-01-01/orders/"+orderA+tc.query, nil)
			require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
			var raw struct {
				Order map[string]json.RawMessage `json:"order"`
			}
			r.decode(t, &raw)
			for _, k := range []string{"orderId", "createdTime", "lastUpdatedTime", "salesChannel", "orderItems"} {
				require.Contains(t, raw.Order, k, "the model requires %s", k)
			}
			_, hasF := raw.Order["fulfillment"]
			_, hasP := raw.Order["packages"]
			require.Equal(t, tc.fulfillment, hasF)
			require.Equal(t, tc.packages, hasP)
			var items []map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(raw.Order["orderItems"], &items))
			_, itemF := items[0]["fulfillment"]
			require.Equal(t, tc.fulfillment, itemF)
			if tc.statusWant != "" {
				require.JSONEq(t, `{"fulfillmentStatus":"`+tc.statusWant+`","fulfilledBy":"MERCHANT"}`, string(raw.Order["fulfillment"]))
			}
		})
	}
}

func TestGetOrder2026Errors(t *testing.T) {
	e := newEnv(t)
	e.addOrderA()
	bad := e.call(http.MethodGet, "/orders/2026-01-01/orders/"+orderA+"?includedData=PACKAGES,SHIPPING", nil)
	require.Equal(t, http.StatusBadRequest, bad.status)
	require.Equal(t, CodeInvalidInput, bad.onlyError(t).Code)
	require.Contains(t, bad.onlyError(t).Details, `"SHIPPING"`)
	require.Equal(t, "0.5", bad.header.Get("x-amzn-RateLimit-Limit"))

	missing := e.call(http.MethodGet, "/orders/2026-01-01/orders/111-7777777-7777777", nil)
	require.Equal(t, http.StatusNotFound, missing.status)
	require.Equal(t, CodeNotFound, missing.onlyError(t).Code)
	require.Equal(t, "0.5", missing.header.Get("x-amzn-RateLimit-Limit"))

	malformed := e.call(http.MethodGet, "/orders/2026-01-01/orders/not-an-order", nil)
	require.Equal(t, http.StatusBadRequest, malformed.status)
}

func TestGetOrderV0AndItems(t *testing.T) {
	e := newEnv(t)
	e.addOrderA(func(s *OrderSeed) { s.MarketplaceID = "A1PA6795UKMFR9" })
	b := confirmBody("1", item(itemA1, 2))
	b["marketplaceId"] = "A1PA6795UKMFR9"
	require.Equal(t, http.StatusNoContent, e.confirm(orderA, b).status)

	r := e.call(http.MethodGet, "/orders/v0/orders/"+orderA, nil)
	require.Equal(t, http.StatusOK, r.status)
	require.Equal(t, "0.5", r.header.Get("x-amzn-RateLimit-Limit"))
	require.JSONEq(t, `{"payload": {
		"AmazonOrderId": "`+orderA+`", "PurchaseDate": "2026-03-02T09:00:00Z", "LastUpdateDate": "2026-03-02T10:00:00Z",
		"OrderStatus": "PartiallyShipped", "FulfillmentChannel": "MFN", "SalesChannel": "Amazon.de",
		"NumberOfItemsShipped": 2, "NumberOfItemsUnshipped": 2, "MarketplaceId": "A1PA6795UKMFR9",
		"OrderType": "StandardOrder", "IsBusinessOrder": false, "IsPrime": false, "IsPremiumOrder": false, "IsReplacementOrder": false
	}}`, string(r.body))

	items := e.call(http.MethodGet, "/orders/v0/orders/"+orderA+"/orderItems", nil)
	require.Equal(t, http.StatusOK, items.status)
	require.JSONEq(t, `{"payload": {"AmazonOrderId": "`+orderA+`", "OrderItems": [
		{"ASIN": "`+fakeASIN("MUG-RED", itemA1)+`", "SellerSKU": "MUG-RED", "OrderItemId": "`+itemA1+`", "Title": "MUG-RED", "QuantityOrdered": 3, "QuantityShipped": 2},
		{"ASIN": "`+fakeASIN("CAP-BLUE", itemA2)+`", "SellerSKU": "CAP-BLUE", "OrderItemId": "`+itemA2+`", "Title": "CAP-BLUE", "QuantityOrdered": 1, "QuantityShipped": 0}
	]}}`, string(items.body))

	missing := e.call(http.MethodGet, "/orders/v0/orders/111-7777777-7777777/orderItems", nil)
	require.Equal(t, http.StatusNotFound, missing.status)
	require.Equal(t, "0.5", missing.header.Get("x-amzn-RateLimit-Limit"))
}
