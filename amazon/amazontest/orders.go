package amazontest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// The read operations on orders: Orders v0 getOrder and getOrderItems
// (ordersV0.json), and Orders 2026-01-01 getOrder with its includedData
// (orders_2026-01-01.json). Only the members the fake can fill are
// written; every member the models require is.

// Orders v0 shapes (ordersV0.json definitions GetOrderResponse, Order,
// GetOrderItemsResponse, OrderItemsList, OrderItem).
type (
	v0OrderResponse struct {
		Payload v0Order `json:"payload"`
	}
	v0Order struct {
		AmazonOrderID          string `json:"AmazonOrderId"`
		PurchaseDate           string `json:"PurchaseDate"`
		LastUpdateDate         string `json:"LastUpdateDate"`
		OrderStatus            string `json:"OrderStatus"`
		FulfillmentChannel     string `json:"FulfillmentChannel"`
		SalesChannel           string `json:"SalesChannel,omitempty"`
		NumberOfItemsShipped   int    `json:"NumberOfItemsShipped"`
		NumberOfItemsUnshipped int    `json:"NumberOfItemsUnshipped"`
		MarketplaceID          string `json:"MarketplaceId"`
		OrderType              string `json:"OrderType"`
		IsBusinessOrder        bool   `json:"IsBusinessOrder"`
		IsPrime                bool   `json:"IsPrime"`
		IsPremiumOrder         bool   `json:"IsPremiumOrder"`
		IsReplacementOrder     bool   `json:"IsReplacementOrder"`
	}
	v0OrderItemsResponse struct {
		Payload v0OrderItemsList `json:"payload"`
	}
	v0OrderItemsList struct {
		OrderItems    []v0OrderItem `json:"OrderItems"`
		AmazonOrderID string        `json:"AmazonOrderId"`
	}
	v0OrderItem struct {
		ASIN            string `json:"ASIN"`
		SellerSKU       string `json:"SellerSKU,omitempty"`
		OrderItemID     string `json:"OrderItemId"`
		Title           string `json:"Title,omitempty"`
		QuantityOrdered int    `json:"QuantityOrdered"`
		QuantityShipped int    `json:"QuantityShipped"`
	}
)

// getOrderV0 serves Orders v0 getOrder.
//
// For a well-formed but unknown order id the model documents 404, which
// the fake answers; production has been seen to answer 200 with an empty
// payload instead (github.com/amzn/selling-partner-api-models/issues/2939),
// so a client should treat a payload without AmazonOrderId as not found
// too.
func (s *Server) getOrderV0(c *call) response {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, refusal := s.lookupOrder(c)
	if refusal != nil {
		return *refusal
	}
	shipped, unshipped := 0, 0
	for _, it := range o.items {
		n := o.shipped(it.id)
		shipped += n
		unshipped += it.quantity - n
	}
	return jsonOK(v0OrderResponse{Payload: v0Order{
		AmazonOrderID:          o.id,
		PurchaseDate:           isoTime(o.purchase),
		LastUpdateDate:         isoTime(o.lastUpdate),
		OrderStatus:            o.status(),
		FulfillmentChannel:     "MFN",
		SalesChannel:           marketplaceNames[o.marketplace],
		NumberOfItemsShipped:   shipped,
		NumberOfItemsUnshipped: unshipped,
		MarketplaceID:          o.marketplace,
		OrderType:              "StandardOrder",
	}})
}

// getOrderItems serves Orders v0 getOrderItems, all items in one page (no
// NextToken).
func (s *Server) getOrderItems(c *call) response {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, refusal := s.lookupOrder(c)
	if refusal != nil {
		return *refusal
	}
	list := v0OrderItemsList{AmazonOrderID: o.id, OrderItems: []v0OrderItem{}}
	for _, it := range o.items {
		list.OrderItems = append(list.OrderItems, v0OrderItem{
			ASIN: it.asin, SellerSKU: it.sku, OrderItemID: it.id, Title: it.title,
			QuantityOrdered: it.quantity, QuantityShipped: o.shipped(it.id),
		})
	}
	return jsonOK(v0OrderItemsResponse{Payload: list})
}

// Orders 2026-01-01 shapes (orders_2026-01-01.json definitions
// GetOrderResponse, Order, SalesChannel, OrderFulfillment, OrderItem,
// ItemProduct, ItemFulfillment, OrderPackage, PackageStatus, PackageItem).
type (
	getOrderResponse struct {
		Order order2026 `json:"order"`
	}
	order2026 struct {
		OrderID         string            `json:"orderId"`
		CreatedTime     string            `json:"createdTime"`
		LastUpdatedTime string            `json:"lastUpdatedTime"`
		SalesChannel    salesChannel      `json:"salesChannel"`
		Fulfillment     *orderFulfillment `json:"fulfillment,omitempty"`
		OrderItems      []orderItem2026   `json:"orderItems"`
		Packages        []orderPackage    `json:"packages,omitempty"`
	}
	salesChannel struct {
		ChannelName     string `json:"channelName"`
		MarketplaceID   string `json:"marketplaceId,omitempty"`
		MarketplaceName string `json:"marketplaceName,omitempty"`
	}
	orderFulfillment struct {
		FulfillmentStatus string `json:"fulfillmentStatus"`
		FulfilledBy       string `json:"fulfilledBy"`
	}
	orderItem2026 struct {
		OrderItemID     string           `json:"orderItemId"`
		QuantityOrdered int              `json:"quantityOrdered"`
		Product         itemProduct      `json:"product"`
		Fulfillment     *itemFulfillment `json:"fulfillment,omitempty"`
	}
	itemProduct struct {
		ASIN      string `json:"asin,omitempty"`
		Title     string `json:"title,omitempty"`
		SellerSKU string `json:"sellerSku,omitempty"`
	}
	itemFulfillment struct {
		QuantityFulfilled   int `json:"quantityFulfilled"`
		QuantityUnfulfilled int `json:"quantityUnfulfilled"`
	}
	orderPackage struct {
		PackageReferenceID string            `json:"packageReferenceId"`
		CreatedTime        string            `json:"createdTime,omitempty"`
		PackageStatus      packageStatus     `json:"packageStatus"`
		Carrier            string            `json:"carrier,omitempty"`
		ShipTime           string            `json:"shipTime,omitempty"`
		ShippingService    string            `json:"shippingService,omitempty"`
		TrackingNumber     string            `json:"trackingNumber,omitempty"`
		PackageItems       []packageItem2026 `json:"packageItems"`
	}
	packageStatus struct {
		Status string `json:"status"`
	}
	packageItem2026 struct {
		OrderItemID       string   `json:"orderItemId"`
		Quantity          int      `json:"quantity"`
		TransparencyCodes []string `json:"transparencyCodes,omitempty"`
	}
)

// includedDataValues are the datasets getOrder may be asked for
// (orders_2026-01-01.json getOrder parameter includedData). The fake
// fills FULFILLMENT and PACKAGES; the others are accepted and, holding no
// such data, add nothing.
var includedDataValues = []string{"BUYER", "RECIPIENT", "PROCEEDS", "EXPENSE", "PROMOTION", "CANCELLATION", "FULFILLMENT", "PACKAGES", "TAX", "PAYMENT", "FULFILLMENT_ORDERS"}

// fulfillmentStatuses maps OrderStatus to FulfillmentStatus
// (orders_2026-01-01.json definition FulfillmentStatus).
var fulfillmentStatuses = map[string]string{
	StatusPending:          "PENDING",
	StatusUnshipped:        "UNSHIPPED",
	StatusPartiallyShipped: "PARTIALLY_SHIPPED",
	StatusShipped:          "SHIPPED",
	StatusCanceled:         "CANCELLED",
}

// getOrder2026 serves Orders 2026-01-01 getOrder. Sections are written
// only when includedData asks for them, as the API does: fulfillment and
// orderItems[].fulfillment for FULFILLMENT, packages for PACKAGES.
func (s *Server) getOrder2026(c *call) response {
	included := map[string]bool{}
	// includedData is an array parameter: comma-separated, or repeated.
	for _, v := range c.r.URL.Query()["includedData"] {
		for _, d := range strings.Split(v, ",") {
			d = strings.TrimSpace(d)
			if !slices.Contains(includedDataValues, d) {
				return errorResponse(http.StatusBadRequest, invalidInput(msgInvalidInput, "includedData value %q is not one of %s.", d, strings.Join(includedDataValues, ", ")))
			}
			included[d] = true
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, refusal := s.lookupOrder(c)
	if refusal != nil {
		return *refusal
	}
	out := order2026{
		OrderID:         o.id,
		CreatedTime:     isoTime(o.purchase),
		LastUpdatedTime: isoTime(o.lastUpdate),
		SalesChannel:    salesChannel{ChannelName: "AMAZON", MarketplaceID: o.marketplace, MarketplaceName: marketplaceNames[o.marketplace]},
		OrderItems:      []orderItem2026{},
	}
	if included["FULFILLMENT"] {
		out.Fulfillment = &orderFulfillment{FulfillmentStatus: fulfillmentStatuses[o.status()], FulfilledBy: "MERCHANT"}
	}
	for _, it := range o.items {
		oi := orderItem2026{
			OrderItemID:     it.id,
			QuantityOrdered: it.quantity,
			Product:         itemProduct{ASIN: it.asin, Title: it.title, SellerSKU: it.sku},
		}
		if included["FULFILLMENT"] {
			n := o.shipped(it.id)
			oi.Fulfillment = &itemFulfillment{QuantityFulfilled: n, QuantityUnfulfilled: it.quantity - n}
		}
		out.OrderItems = append(out.OrderItems, oi)
	}
	if included["PACKAGES"] {
		out.Packages = []orderPackage{}
		for _, p := range o.packages {
			op := orderPackage{
				PackageReferenceID: p.ref,
				CreatedTime:        isoTime(p.created),
				// The fake follows no carrier: a confirmed package is
				// SHIPPED (PackageStatus.status) and stays so.
				PackageStatus:   packageStatus{Status: "SHIPPED"},
				Carrier:         carrierOf(p),
				ShipTime:        isoTime(p.shipDate),
				ShippingService: p.shippingMethod,
				TrackingNumber:  p.trackingNumber,
				PackageItems:    []packageItem2026{},
			}
			for _, pi := range p.items {
				op.PackageItems = append(op.PackageItems, packageItem2026{OrderItemID: pi.orderItemID, Quantity: pi.quantity, TransparencyCodes: pi.transparency})
			}
			out.Packages = append(out.Packages, op)
		}
	}
	return jsonOK(getOrderResponse{Order: out})
}

// lookupOrder finds the call's order among its seller's, or the answer
// that refuses the id. The caller holds mu.
func (s *Server) lookupOrder(c *call) (*order, *response) {
	if !orderIDPattern.MatchString(c.route.id) {
		r := errorResponse(http.StatusBadRequest, invalidInput(msgInvalidInput, "orderId %q is not an Amazon order identifier in the 3-7-7 format.", c.route.id))
		return nil, &r
	}
	o := c.seller.orders[c.route.id]
	if o == nil {
		r := errorResponse(http.StatusNotFound, newError(CodeNotFound, msgNotFound, fmt.Sprintf("Order %s was not found.", c.route.id)))
		return nil, &r
	}
	return o, nil
}

// carrierOf is the one carrier string of the 2026 package: the carrier's
// name when the code is "Other", else its code.
func carrierOf(p *shipmentPackage) string {
	if strings.EqualFold(p.carrierCode, "Other") && p.carrierName != "" {
		return p.carrierName
	}
	if p.carrierCode == "" {
		return p.carrierName
	}
	return p.carrierCode
}

// marketplaceNames are the names of the main marketplaces, for
// SalesChannel (v0) and salesChannel.marketplaceName (2026).
var marketplaceNames = map[string]string{
	"ATVPDKIKX0DER":  "Amazon.com",
	"A2EUQ1WTGCTBG2": "Amazon.ca",
	"A1AM78C64UM0Y8": "Amazon.com.mx",
	"A2Q3Y263D00KWC": "Amazon.com.br",
	"A1F83G8C2ARO7P": "Amazon.co.uk",
	"A1PA6795UKMFR9": "Amazon.de",
	"A13V1IB3VIYZZH": "Amazon.fr",
	"APJ6JRA9NG5V4":  "Amazon.it",
	"A1RKKUPIHCS9HS": "Amazon.es",
	"A1805IZSGTT6HS": "Amazon.nl",
	"AMEN7PMS3EDWL":  "Amazon.com.be",
	"A2NODRKZP88ZB9": "Amazon.se",
	"A1C3SOZRARQ6R3": "Amazon.pl",
	"A1VC38T7YXB528": "Amazon.co.jp",
	"A39IBJ37TRP1C6": "Amazon.com.au",
}

// isoTime writes a time as the APIs do: ISO 8601 in UTC, to the second.
func isoTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// jsonOK answers 200 with v as JSON.
func jsonOK(v any) response {
	b, err := json.Marshal(v)
	if err != nil {
		return errorResponse(http.StatusInternalServerError, newError(CodeInternalFailure, msgInternal, ""))
	}
	return jsonResponse(http.StatusOK, b)
}
