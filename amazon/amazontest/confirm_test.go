package amazontest

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestConfirmShipmentHappyPath(t *testing.T) {
	e := newEnv(t)
	e.addOrderA()
	body := confirmBody("1", item(itemA1, 2))
	pd(body)["shipFromSupplySourceId"] = "057d3fcc-b750-419f-bbcd-4d340c60c430"
	pd(body)["orderItems"] = []map[string]any{{"orderItemId": itemA1, "quantity": 2, "transparencyCodes": []string{"T1", "T2"}}}
	e.clock.Advance(time.Minute)

	r := e.confirm(orderA, body)
	require.Equal(t, http.StatusNoContent, r.status, "body: %s", r.body)
	require.Empty(t, r.body)
	require.Equal(t, "2.0", r.header.Get("x-amzn-RateLimit-Limit"))
	require.NotEmpty(t, r.header.Get("x-amzn-RequestId"))

	pkgs := e.seller.Packages(orderA)
	require.Equal(t, []Package{{
		PackageReferenceID:     "1",
		CarrierCode:            "UPS",
		ShippingMethod:         "UPS Ground",
		TrackingNumber:         "1Z999AA10123456784",
		ShipDate:               t0.Add(-10 * time.Minute),
		ShipFromSupplySourceID: "057d3fcc-b750-419f-bbcd-4d340c60c430",
		Items:                  []PackageItem{{OrderItemID: itemA1, Quantity: 2, TransparencyCodes: []string{"T1", "T2"}}},
		CreatedAt:              t0.Add(time.Minute),
		UpdatedAt:              t0.Add(time.Minute),
	}}, pkgs)

	o, ok := e.seller.Order(orderA)
	require.True(t, ok)
	require.Equal(t, StatusPartiallyShipped, o.Status)
	require.Equal(t, t0.Add(time.Minute), o.LastUpdate)
	require.Equal(t, 2, o.Items[0].Shipped)

	last := e.srv.Requests()[len(e.srv.Requests())-1]
	require.Equal(t, OpConfirmShipment, last.Operation)
	require.Equal(t, testSellerID, last.Seller)
	require.True(t, last.Applied)
	require.Equal(t, 1, e.srv.Count(OpConfirmShipment))
}

func TestConfirmShipmentStateTransitions(t *testing.T) {
	e := newEnv(t)
	e.addOrderA()
	status := func() string {
		o, _ := e.seller.Order(orderA)
		return o.Status
	}
	require.Equal(t, StatusUnshipped, status())
	require.Equal(t, http.StatusNoContent, e.confirm(orderA, confirmBody("1", item(itemA1, 1))).status)
	require.Equal(t, StatusPartiallyShipped, status())
	require.Equal(t, http.StatusNoContent, e.confirm(orderA, confirmBody("2", item(itemA1, 2))).status)
	require.Equal(t, StatusPartiallyShipped, status())
	require.Equal(t, http.StatusNoContent, e.confirm(orderA, confirmBody("3", item(itemA2, 1))).status)
	require.Equal(t, StatusShipped, status())

	// Orders v0 tells the same.
	var v0 v0OrderResponse
	e.call(http.MethodGet, "/orders/v0/orders/"+orderA, nil).decode(t, &v0)
	require.Equal(t, StatusShipped, v0.Payload.OrderStatus)
	require.Equal(t, 4, v0.Payload.NumberOfItemsShipped)
	require.Equal(t, 0, v0.Payload.NumberOfItemsUnshipped)
}

func TestConfirmShipmentEditReplacesThePackage(t *testing.T) {
	e := newEnv(t)
	e.addOrderA()
	require.Equal(t, http.StatusNoContent, e.confirm(orderA, confirmBody("7", item(itemA1, 3))).status)

	// The same packageReferenceId with a new tracking number and fewer
	// units is an edit: still one package, the order partly shipped again.
	edit := confirmBody("7", item(itemA1, 2))
	pd(edit)["trackingNumber"] = "1ZNEWTRACKING0001"
	pd(edit)["carrierCode"] = "Other"
	pd(edit)["carrierName"] = "Acme Couriers"
	e.clock.Advance(30 * time.Minute)
	require.Equal(t, http.StatusNoContent, e.confirm(orderA, edit).status)

	pkgs := e.seller.Packages(orderA)
	require.Len(t, pkgs, 1)
	require.Equal(t, "1ZNEWTRACKING0001", pkgs[0].TrackingNumber)
	require.Equal(t, "Other", pkgs[0].CarrierCode)
	require.Equal(t, "Acme Couriers", pkgs[0].CarrierName)
	require.Equal(t, []PackageItem{{OrderItemID: itemA1, Quantity: 2}}, pkgs[0].Items)
	require.Equal(t, 1, pkgs[0].Edits)
	require.Equal(t, t0, pkgs[0].CreatedAt)
	require.Equal(t, t0.Add(30*time.Minute), pkgs[0].UpdatedAt)

	// Re-sending it unchanged (a retry) is one more edit, never a second
	// package, and ships nothing twice.
	require.Equal(t, http.StatusNoContent, e.confirm(orderA, edit).status)
	require.Len(t, e.seller.Packages(orderA), 1)
	o, _ := e.seller.Order(orderA)
	require.Equal(t, 2, o.Items[0].Shipped)

	// Leading zeros name the same package.
	require.Equal(t, http.StatusNoContent, e.confirm(orderA, confirmBody("007", item(itemA1, 1))).status)
	require.Len(t, e.seller.Packages(orderA), 1)
	require.Equal(t, 3, e.seller.Packages(orderA)[0].Edits)
}

func TestConfirmShipmentOverShippingAcrossPackages(t *testing.T) {
	e := newEnv(t)
	e.addOrderA()
	require.Equal(t, http.StatusNoContent, e.confirm(orderA, confirmBody("1", item(itemA1, 2))).status)

	over := e.confirm(orderA, confirmBody("2", item(itemA1, 2)))
	require.Equal(t, http.StatusBadRequest, over.status)
	require.Equal(t, apiError{Code: "InvalidInput",
		Message: "The quantity shipped for OrderItemId " + itemA1 + " exceeds the quantity ordered.",
		Details: "Ordered 3, shipped in other packages 2, requested 2."}, over.onlyError(t))
	require.Equal(t, "2.0", over.header.Get("x-amzn-RateLimit-Limit"))

	// Editing package 1 up to all 3 units is fine: its own 2 are replaced.
	require.Equal(t, http.StatusNoContent, e.confirm(orderA, confirmBody("1", item(itemA1, 3))).status)
	// And then a second package of that item is over.
	require.Equal(t, http.StatusBadRequest, e.confirm(orderA, confirmBody("2", item(itemA1, 1))).status)
	require.Len(t, e.seller.Packages(orderA), 1)
}

func TestConfirmShipmentPackageToUpdateNotFound(t *testing.T) {
	e := newEnv(t)
	e.addOrderA()
	require.Equal(t, http.StatusNoContent, e.confirm(orderA, confirmBody("1", item(itemA1, 3), item(itemA2, 1))).status)

	// A new packageReferenceId on a fully shipped order is taken as an
	// edit of a package that does not exist.
	r := e.confirm(orderA, confirmBody("2", item(itemA1, 1)))
	require.Equal(t, http.StatusBadRequest, r.status)
	err := r.onlyError(t)
	require.Equal(t, "Failed to create package due to not finding a matching package or order already fulfilled.", err.Message)
	require.Contains(t, err.Details, "errorMetric=PackageToUpdateNotFound")
	require.Contains(t, err.Details, orderA)

	// Editing the existing package still works.
	require.Equal(t, http.StatusNoContent, e.confirm(orderA, confirmBody("1", item(itemA1, 3), item(itemA2, 1))).status)

	// An order shipped outside the API has no package to edit at all.
	_, err2 := e.seller.AddOrder(OrderSeed{AmazonOrderID: "111-0000002-0000002", Status: StatusShipped, Items: []ItemSeed{{OrderItemID: "20000000000001", Quantity: 1}}})
	require.NoError(t, err2)
	r = e.confirm("111-0000002-0000002", confirmBody("1", item("20000000000001", 1)))
	require.Equal(t, http.StatusBadRequest, r.status)
	require.Contains(t, r.onlyError(t).Details, "PackageToUpdateNotFound")
}

func TestConfirmShipmentValidation(t *testing.T) {
	future := t0.Add(2 * time.Hour).Format(time.RFC3339)
	tests := []struct {
		name   string
		order  string
		body   any
		status int
		want   apiError
	}{
		{name: "not JSON", body: "{", status: 400,
			want: apiError{Code: "InvalidInput", Message: msgBadRequest}},
		{name: "empty body", body: "", status: 400,
			want: apiError{Code: "InvalidInput", Message: msgBadRequest}},
		{name: "array body", body: "[]", status: 400,
			want: apiError{Code: "InvalidInput", Message: msgBadRequest}},
		{name: "packageReferenceId as a JSON number", body: func() any {
			b := confirmBody("1")
			pd(b)["packageReferenceId"] = 1
			return b
		}(), status: 400,
			want: apiError{Code: "InvalidInput", Message: "The input you have submitted is not valid. Please check the fields with invalid type [packageDetail.packageReferenceId]."}},
		{name: "quantity as a string", body: func() any {
			b := confirmBody("1")
			pd(b)["orderItems"] = []map[string]any{{"orderItemId": itemA1, "quantity": "1"}}
			return b
		}(), status: 400,
			want: apiError{Code: "InvalidInput", Message: "The input you have submitted is not valid. Please check the fields with invalid type [packageDetail.orderItems.quantity]."}},
		{name: "missing marketplaceId", body: func() any {
			b := confirmBody("1")
			delete(b, "marketplaceId")
			return b
		}(), status: 400,
			want: apiError{Code: "InvalidInput", Message: "The input you have submitted is not valid. Please check the fields with missing values [marketplaceId]."}},
		{name: "missing packageDetail", body: map[string]any{"marketplaceId": DefaultMarketplaceID}, status: 400,
			want: apiError{Code: "InvalidInput", Message: "The input you have submitted is not valid. Please check the fields with missing values [packageDetail]."}},
		{name: "missing packageReferenceId", body: func() any {
			b := confirmBody("1")
			delete(pd(b), "packageReferenceId")
			return b
		}(), status: 400,
			want: apiError{Code: "InvalidInput", Message: "PackageReferenceId: is invalid, must be a positive numeric value."}},
		{name: "packageReferenceId not numeric", body: confirmBody("PKG-1"), status: 400,
			want: apiError{Code: "InvalidInput", Message: "PackageReferenceId: is invalid, must be a positive numeric value."}},
		{name: "packageReferenceId zero", body: confirmBody("0"), status: 400,
			want: apiError{Code: "InvalidInput", Message: "PackageReferenceId: is invalid, must be a positive numeric value."}},
		{name: "packageReferenceId negative", body: confirmBody("-3"), status: 400,
			want: apiError{Code: "InvalidInput", Message: "PackageReferenceId: is invalid, must be a positive numeric value."}},
		{name: "packageReferenceId beyond 64 bits", body: confirmBody("99999999999999999999999"), status: 400,
			want: apiError{Code: "InvalidInput", Message: "PackageReferenceId: is invalid, must be a positive numeric value."}},
		{name: "missing carrierCode", body: func() any {
			b := confirmBody("1")
			delete(pd(b), "carrierCode")
			return b
		}(), status: 400,
			want: apiError{Code: "InvalidInput", Message: "The input you have submitted is not valid. Please check the fields with missing values [packageDetail.carrierCode]."}},
		{name: "empty trackingNumber", body: func() any {
			b := confirmBody("1")
			pd(b)["trackingNumber"] = " "
			return b
		}(), status: 400,
			want: apiError{Code: "InvalidInput", Message: "The input you have submitted is not valid. Please check the fields with missing values [packageDetail.trackingNumber]."}},
		{name: "no orderItems", body: func() any {
			b := confirmBody("1")
			pd(b)["orderItems"] = []any{}
			return b
		}(), status: 400,
			want: apiError{Code: "InvalidInput", Message: "The input you have submitted is not valid. Please check the fields with missing values [packageDetail.orderItems]."}},
		{name: "zero quantity", body: confirmBody("1", item(itemA1, 0)), status: 400,
			want: apiError{Code: "InvalidInput", Message: "The input you have submitted is not valid. Please check the fields with invalid values [packageDetail.orderItems[0].quantity].", Details: "The quantity 0 is not a positive number."}},
		{name: "missing orderItemId", body: confirmBody("1", map[string]any{"quantity": 1}), status: 400,
			want: apiError{Code: "InvalidInput", Message: "The input you have submitted is not valid. Please check the fields with missing values [packageDetail.orderItems[0].orderItemId]."}},
		{name: "bad codCollectionMethod", body: func() any {
			b := confirmBody("1")
			b["codCollectionMethod"] = "Cash"
			return b
		}(), status: 400,
			want: apiError{Code: "InvalidInput", Message: "The input you have submitted is not valid. Please check the fields with invalid values [codCollectionMethod].", Details: `The only accepted value is "DirectPayment".`}},
		{name: "shipDate not RFC 3339", body: func() any {
			b := confirmBody("1")
			pd(b)["shipDate"] = "02/21/2022"
			return b
		}(), status: 400,
			want: apiError{Code: "InvalidInput", Message: "Invalid Input", Details: `shipDate "02/21/2022" is not an ISO 8601 date-time with a time zone, such as 2024-01-27T04:55:15Z.`}},
		{name: "shipDate without a zone", body: func() any {
			b := confirmBody("1")
			pd(b)["shipDate"] = "2026-03-02T09:00:00"
			return b
		}(), status: 400,
			want: apiError{Code: "InvalidInput", Message: "Invalid Input", Details: `shipDate "2026-03-02T09:00:00" is not an ISO 8601 date-time with a time zone, such as 2024-01-27T04:55:15Z.`}},
		{name: "shipDate in the future", body: func() any {
			b := confirmBody("1")
			pd(b)["shipDate"] = future
			return b
		}(), status: 400,
			want: apiError{Code: "InvalidInput", Message: "The input you have submitted is not valid. Please check the fields with invalid values [packageDetail.shipDate].", Details: "The ship date " + future + " is in the future."}},
		{name: "shipDate before the purchase", body: func() any {
			b := confirmBody("1")
			pd(b)["shipDate"] = "2026-03-01T00:00:00Z"
			return b
		}(), status: 400,
			want: apiError{Code: "InvalidInput", Message: "The input you have submitted is not valid. Please check the fields with invalid values [packageDetail.shipDate].", Details: "The ship date 2026-03-01T00:00:00Z is before the order's purchase date 2026-03-02T09:00:00Z."}},
		{name: "carrierCode Other without carrierName", body: func() any {
			b := confirmBody("1")
			pd(b)["carrierCode"] = "Other"
			return b
		}(), status: 400,
			want: apiError{Code: "InvalidInput", Message: "The input you have submitted is not valid. Please check the fields with missing values [packageDetail.carrierName].", Details: `carrierName is required when carrierCode is "Other".`}},
		{name: "unknown orderItemId", body: confirmBody("1", item("99999999999999", 1)), status: 400,
			want: apiError{Code: "InvalidInput", Message: "OrderItemId is invalid, please obtain the value through the getOrderItems API or Manage Orders page", Details: "Order " + orderA + " has no item 99999999999999."}},
		{name: "one item twice", body: confirmBody("1", item(itemA1, 1), item(itemA1, 1)), status: 400,
			want: apiError{Code: "InvalidInput", Message: "The input you have submitted is not valid. Please check the fields with invalid values [packageDetail.orderItems].", Details: "OrderItemId " + itemA1 + " is listed twice in one package."}},
		{name: "more than ordered", body: confirmBody("1", item(itemA2, 2)), status: 400,
			want: apiError{Code: "InvalidInput", Message: "The quantity shipped for OrderItemId " + itemA2 + " exceeds the quantity ordered.", Details: "Ordered 1, shipped in other packages 0, requested 2."}},
		{name: "wrong marketplace", body: func() any {
			b := confirmBody("1")
			b["marketplaceId"] = "A1PA6795UKMFR9"
			return b
		}(), status: 400,
			want: apiError{Code: "InvalidInput", Message: "The input you have submitted is not valid. Please check the fields with invalid values [marketplaceId].", Details: "Order " + orderA + " was placed in marketplace ATVPDKIKX0DER, not A1PA6795UKMFR9."}},
		{name: "unknown order", order: "111-9999999-9999999", body: confirmBody("1"), status: 404,
			want: apiError{Code: "NotFound", Message: "The specified resource does not exist.", Details: "Order 111-9999999-9999999 was not found."}},
		{name: "another seller's order", order: "222-0000001-0000001", body: confirmBody("1"), status: 404,
			want: apiError{Code: "NotFound", Message: "The specified resource does not exist.", Details: "Order 222-0000001-0000001 was not found."}},
		{name: "malformed order id", order: "12345", body: confirmBody("1"), status: 400,
			want: apiError{Code: "InvalidInput", Message: "Invalid Input", Details: `orderId "12345" is not an Amazon order identifier in the 3-7-7 format.`}},
		{name: "Pending order", order: "111-0000003-0000003", body: confirmBody("1", item("30000000000001", 1)), status: 400,
			want: apiError{Code: "InvalidInput", Message: "Order 111-0000003-0000003 is Pending: its payment is not authorized yet, so it cannot be shipped."}},
		{name: "Canceled order", order: "111-0000004-0000004", body: confirmBody("1", item("40000000000001", 1)), status: 400,
			want: apiError{Code: "InvalidInput", Message: "Order 111-0000004-0000004 is Canceled and cannot be shipped."}},
		{name: "Ship+ order", order: "111-0000005-0000005", body: confirmBody("1", item("50000000000001", 1)), status: 400,
			want: apiError{Code: "InvalidInput", Message: "Ship+ orders do not support the confirmShipment operation as they don't require manual confirmation."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.addOrderA()
			other := e.srv.AddSeller("A2SELLERTWO", Credentials{ClientID: testClientID, ClientSecret: testClientSecret, RefreshToken: "Atzr|two"})
			_, err := other.AddOrder(OrderSeed{AmazonOrderID: "222-0000001-0000001", Items: []ItemSeed{{OrderItemID: itemA1, Quantity: 5}}})
			require.NoError(t, err)
			for _, s := range []OrderSeed{
				{AmazonOrderID: "111-0000003-0000003", Status: StatusPending, Items: []ItemSeed{{OrderItemID: "30000000000001", Quantity: 1}}},
				{AmazonOrderID: "111-0000004-0000004", Status: StatusCanceled, Items: []ItemSeed{{OrderItemID: "40000000000001", Quantity: 1}}},
				{AmazonOrderID: "111-0000005-0000005", ShipPlus: true, Items: []ItemSeed{{OrderItemID: "50000000000001", Quantity: 1}}},
			} {
				_, err := e.seller.AddOrder(s)
				require.NoError(t, err)
			}
			orderID := tc.order
			if orderID == "" {
				orderID = orderA
			}
			r := e.confirm(orderID, tc.body)
			require.Equal(t, tc.status, r.status, "body: %s", r.body)
			require.Equal(t, tc.want, r.onlyError(t))
			require.Equal(t, "2.0", r.header.Get("x-amzn-RateLimit-Limit"), "400 and 404 answers carry the rate limit")
			require.Empty(t, e.seller.Packages(orderID), "a refused confirmation changes nothing")
			require.Empty(t, other.Packages("222-0000001-0000001"))
			last := e.srv.Requests()[len(e.srv.Requests())-1]
			require.False(t, last.Applied)
		})
	}
}

func TestConfirmShipmentAcceptsModelExample(t *testing.T) {
	// The body of the model's own sandbox example, with this order's ids:
	// fractional seconds, codCollectionMethod "" and carrierName with a
	// code are all fine.
	e := newEnv(t)
	e.addOrderA()
	body := `{"marketplaceId":"ATVPDKIKX0DER","codCollectionMethod":"","packageDetail":{"packageReferenceId":"1",` +
		`"carrierCode":"FedEx","carrierName":"FedEx","shippingMethod":"FedEx Ground","trackingNumber":"112345678",` +
		`"shipDate":"2026-03-02T09:30:00.000Z","shipFromSupplySourceId":"057d3fcc-b750-419f-bbcd-4d340c60c430",` +
		`"orderItems":[{"orderItemId":"` + itemA1 + `","quantity":1,"transparencyCodes":["09876543211234567890"]}]}}`
	r := e.confirm(orderA, body)
	require.Equal(t, http.StatusNoContent, r.status, "body: %s", r.body)
	require.Equal(t, time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC), e.seller.Packages(orderA)[0].ShipDate)
}

func TestShipDateLeeway(t *testing.T) {
	e := newEnv(t)
	e.addOrderA()
	b := confirmBody("1")
	pd(b)["shipDate"] = t0.Add(ShipDateLeeway).Format(time.RFC3339)
	require.Equal(t, http.StatusNoContent, e.confirm(orderA, b).status, "a ship date within the leeway passes")
}

func TestAddOrderSeeds(t *testing.T) {
	e := newEnv(t)
	o, err := e.seller.AddOrder(OrderSeed{Items: []ItemSeed{{SKU: "X", Quantity: 2}}})
	require.NoError(t, err)
	require.Regexp(t, `^\d{3}-\d{7}-\d{7}$`, o.AmazonOrderID)
	require.Regexp(t, `^\d{14}$`, o.Items[0].OrderItemID)
	require.Equal(t, DefaultMarketplaceID, o.MarketplaceID)
	require.Equal(t, StatusUnshipped, o.Status)
	require.Equal(t, t0.Add(-time.Hour), o.PurchaseDate)
	require.NotEmpty(t, o.Items[0].ASIN)

	p, err := e.seller.AddOrder(OrderSeed{Status: StatusPartiallyShipped, Items: []ItemSeed{{Quantity: 2, QuantityShipped: 1}}})
	require.NoError(t, err)
	require.Equal(t, StatusPartiallyShipped, p.Status)

	bad := []OrderSeed{
		{},
		{Items: []ItemSeed{{Quantity: 0}}},
		{AmazonOrderID: "nope", Items: []ItemSeed{{Quantity: 1}}},
		{AmazonOrderID: o.AmazonOrderID, Items: []ItemSeed{{Quantity: 1}}},
		{Status: "Lost", Items: []ItemSeed{{Quantity: 1}}},
		{Status: StatusPartiallyShipped, Items: []ItemSeed{{Quantity: 1}}},
		{Status: StatusPending, Items: []ItemSeed{{Quantity: 2, QuantityShipped: 1}}},
		{Items: []ItemSeed{{Quantity: 1, QuantityShipped: 2}}},
		{Items: []ItemSeed{{OrderItemID: "1", Quantity: 1}, {OrderItemID: "1", Quantity: 1}}},
	}
	for i, s := range bad {
		_, err := e.seller.AddOrder(s)
		require.ErrorIs(t, err, ErrInvalidSeed, "seed %d", i)
	}
	_, ok := e.seller.Order("000-0000000-0000000")
	require.False(t, ok)
	require.Nil(t, e.seller.Packages("000-0000000-0000000"))
}
