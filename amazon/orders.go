package amazon

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// ConfirmShipmentRequest is Orders v0's ConfirmShipmentRequest
// (ordersV0.json): one package of a merchant-fulfilled order.
type ConfirmShipmentRequest struct {
	MarketplaceID string        `json:"marketplaceId"`
	PackageDetail PackageDetail `json:"packageDetail"`
}

// PackageDetail is Orders v0's PackageDetail.
type PackageDetail struct {
	// PackageReferenceID is a positive integer as a string, chosen by the
	// seller. Sending it again edits that package, so a stable id per
	// shipment makes a repeat harmless and a tracking change an edit.
	PackageReferenceID string              `json:"packageReferenceId"`
	CarrierCode        string              `json:"carrierCode"`
	CarrierName        string              `json:"carrierName,omitempty"` // required when CarrierCode is "Other"
	ShippingMethod     string              `json:"shippingMethod,omitempty"`
	TrackingNumber     string              `json:"trackingNumber"`
	ShipDate           string              `json:"shipDate"` // RFC 3339, UTC
	OrderItems         []OrderItemQuantity `json:"orderItems"`
}

// OrderItemQuantity is Orders v0's ConfirmShipmentOrderItem.
type OrderItemQuantity struct {
	OrderItemID string `json:"orderItemId"`
	Quantity    int    `json:"quantity"`
}

// ErrRequest reports a request the client refuses to send because Amazon
// would reject it.
var ErrRequest error = &permanent{"amazon: invalid request"}

// ShipDate formats a dispatch time as confirmShipment wants it.
func ShipDate(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func (r ConfirmShipmentRequest) check(region Region) error {
	if err := region.checkMarketplace(r.MarketplaceID); err != nil {
		return err
	}
	p := r.PackageDetail
	var problems []string
	if n, err := strconv.ParseUint(p.PackageReferenceID, 10, 63); err != nil || n == 0 || strings.HasPrefix(p.PackageReferenceID, "+") {
		problems = append(problems, fmt.Sprintf("packageReferenceId %q is not a positive integer", p.PackageReferenceID))
	}
	if p.CarrierCode == "" {
		problems = append(problems, "carrierCode is empty")
	}
	if strings.EqualFold(p.CarrierCode, "Other") && p.CarrierName == "" {
		problems = append(problems, `carrierName is required with carrierCode "Other"`)
	}
	if p.TrackingNumber == "" {
		problems = append(problems, "trackingNumber is empty")
	}
	if _, err := time.Parse(time.RFC3339, p.ShipDate); err != nil {
		problems = append(problems, fmt.Sprintf("shipDate %q is not RFC 3339", p.ShipDate))
	}
	if len(p.OrderItems) == 0 {
		problems = append(problems, "orderItems is empty")
	}
	for _, it := range p.OrderItems {
		if it.OrderItemID == "" || it.Quantity <= 0 {
			problems = append(problems, fmt.Sprintf("order item %q with quantity %d", it.OrderItemID, it.Quantity))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrRequest, strings.Join(problems, "; "))
	}
	return nil
}

// ConfirmShipment confirms one package of a merchant-fulfilled order
// (Orders v0 confirmShipment, POST /orders/v0/orders/{orderId}/
// shipmentConfirmation; usage plan 2/s, burst 10). Amazon answers 204.
// Because the package reference makes a repeat an edit, the request is
// retried after transport errors and 5xx like a read.
func (c *Client) ConfirmShipment(ctx context.Context, orderID string, req ConfirmShipmentRequest) (*Response, error) {
	if orderID == "" {
		return nil, fmt.Errorf("%w: empty order id", ErrRequest)
	}
	if err := req.check(c.region); err != nil {
		return nil, err
	}
	return c.do(ctx, call{op: opConfirmShipment, method: http.MethodPost, ok: http.StatusNoContent, safe: true,
		path: "/orders/v0/orders/" + url.PathEscape(orderID) + "/shipmentConfirmation", body: req}, nil)
}

// Order is an order as Orders 2026-01-01 getOrder reports it with
// includedData FULFILLMENT and PACKAGES: its state, items and the packages
// already confirmed.
type Order struct {
	OrderID           string
	MarketplaceID     string
	FulfillmentStatus string // PENDING, UNSHIPPED, PARTIALLY_SHIPPED, SHIPPED, CANCELLED, UNFULFILLABLE, PENDING_AVAILABILITY
	Items             []OrderItem
	Packages          []Package
}

// OrderItem is an item of an order and how much of it shipped.
type OrderItem struct {
	OrderItemID       string
	QuantityOrdered   int
	QuantityFulfilled int
}

// Package is a package Amazon holds for an order.
type Package struct {
	PackageReferenceID string
	Carrier            string
	ShippingService    string
	TrackingNumber     string
	ShipTime           string
	Status             string
	Items              []OrderItemQuantity
}

// GetOrder reads an order's state and packages (Orders 2026-01-01,
// GET /orders/2026-01-01/orders/{orderId}?includedData=FULFILLMENT,PACKAGES;
// usage plan 0.5/s, burst 30). Orders v0 getOrder is scheduled for removal
// by 2027-03-27 and reports no packages.
func (c *Client) GetOrder(ctx context.Context, orderID string) (*Order, *Response, error) {
	if orderID == "" {
		return nil, nil, fmt.Errorf("%w: empty order id", ErrRequest)
	}
	var wire struct {
		Order struct {
			OrderID      string `json:"orderId"`
			SalesChannel struct {
				MarketplaceID string `json:"marketplaceId"`
			} `json:"salesChannel"`
			Fulfillment *struct {
				FulfillmentStatus string `json:"fulfillmentStatus"`
			} `json:"fulfillment"`
			OrderItems []struct {
				OrderItemID     string `json:"orderItemId"`
				QuantityOrdered int    `json:"quantityOrdered"`
				Fulfillment     *struct {
					QuantityFulfilled int `json:"quantityFulfilled"`
				} `json:"fulfillment"`
			} `json:"orderItems"`
			Packages []struct {
				PackageReferenceID string `json:"packageReferenceId"`
				Carrier            string `json:"carrier"`
				ShippingService    string `json:"shippingService"`
				TrackingNumber     string `json:"trackingNumber"`
				ShipTime           string `json:"shipTime"`
				PackageStatus      *struct {
					Status string `json:"status"`
				} `json:"packageStatus"`
				PackageItems []OrderItemQuantity `json:"packageItems"`
			} `json:"packages"`
		} `json:"order"`
	}
	resp, err := c.do(ctx, call{op: opGetOrder, method: http.MethodGet, ok: http.StatusOK, safe: true,
		path:  "/orders/2026-01-01/orders/" + url.PathEscape(orderID),
		query: url.Values{"includedData": {"FULFILLMENT,PACKAGES"}}}, &wire)
	if err != nil {
		return nil, resp, err
	}
	w := wire.Order
	o := &Order{OrderID: w.OrderID, MarketplaceID: w.SalesChannel.MarketplaceID}
	if w.Fulfillment != nil {
		o.FulfillmentStatus = w.Fulfillment.FulfillmentStatus
	}
	for _, it := range w.OrderItems {
		oi := OrderItem{OrderItemID: it.OrderItemID, QuantityOrdered: it.QuantityOrdered}
		if it.Fulfillment != nil {
			oi.QuantityFulfilled = it.Fulfillment.QuantityFulfilled
		}
		o.Items = append(o.Items, oi)
	}
	for _, p := range w.Packages {
		pk := Package{PackageReferenceID: p.PackageReferenceID, Carrier: p.Carrier, ShippingService: p.ShippingService,
			TrackingNumber: p.TrackingNumber, ShipTime: p.ShipTime, Items: p.PackageItems}
		if p.PackageStatus != nil {
			pk.Status = p.PackageStatus.Status
		}
		o.Packages = append(o.Packages, pk)
	}
	return o, resp, nil
}
