package tracking

import "time"

// Channel names the sales channel an order came from.
type Channel string

// Well-known channel names, equal to shopify.Channel and amazon.Channel.
// The core gives them no meaning: the channels an order may have are those
// of the exporters given to a Syncer. They stay here for hosts and tests
// that name a channel without importing its package.
const (
	ChannelShopify Channel = "shopify"
	ChannelAmazon  Channel = "amazon"
)

// AllChannels is the Channel of an exporter that takes orders of every
// channel, such as a customer notifier. It is never a valid order channel.
const AllChannels Channel = "*"

// valid reports whether c can name a channel: lower-case letters, digits,
// dots, dashes and underscores, at most 64 bytes. Which channels exist is up
// to the exporters registered with a Syncer, not to this package.
func (c Channel) valid() bool {
	if len(c) == 0 || len(c) > 64 {
		return false
	}
	for _, r := range []byte(c) {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// OrderStatus is the host's shipping status of an order.
type OrderStatus string

// The order statuses a host reports.
const (
	StatusOpen             OrderStatus = "open"
	StatusPartiallyShipped OrderStatus = "partially_shipped"
	StatusFullyShipped     OrderStatus = "fully_shipped"
	StatusCancelled        OrderStatus = "cancelled"
)

// Known reports whether s is one of the defined statuses.
func (s OrderStatus) Known() bool {
	switch s {
	case StatusOpen, StatusPartiallyShipped, StatusFullyShipped, StatusCancelled:
		return true
	}
	return false
}

// Order is an order as the host (order-management system) knows it: what was
// ordered on the channel and the packages it has shipped so far.
type Order struct {
	ID             string      `json:"id"`               // host (OMS) order id
	Channel        Channel     `json:"channel"`          // channel the order came from
	Store          string      `json:"store"`            // channel account: Shopify shop domain; Amazon "sellerID/marketplaceID"
	ChannelOrderID string      `json:"channel_order_id"` // id of the order on the channel
	Status         OrderStatus `json:"status"`
	Lines          []Line      `json:"lines"`
	Shipments      []Shipment  `json:"shipments"`
	Customer       Customer    `json:"customer"` // for notifications
}

// Line is one ordered product.
type Line struct {
	ID            string `json:"id"`              // host order-line id
	ChannelLineID string `json:"channel_line_id"` // Shopify line item id / Amazon OrderItemId
	SKU           string `json:"sku"`
	Quantity      int    `json:"quantity"`
}

// Shipment is one package: it left one warehouse, with one carrier, under
// one tracking number.
type Shipment struct {
	ID             string    `json:"id"`
	Warehouse      string    `json:"warehouse"`              // host warehouse code; mapped to a channel location
	Carrier        string    `json:"carrier"`                // host carrier code; mapped to the channel's carrier
	Service        string    `json:"service,omitempty"`      // delivery service ("standard", "evening"), may be empty
	TrackingNumber string    `json:"tracking_number"`        // empty until the carrier assigned one
	TrackingURL    string    `json:"tracking_url,omitempty"` // optional override; else built from the mapping or carrier catalogue
	ShippedAt      time.Time `json:"shipped_at"`             // dispatch time: Amazon receives packages in this order
	Items          []Item    `json:"items"`
}

// Item is a quantity of one order line inside a shipment.
type Item struct {
	LineID   string `json:"line_id"`
	Quantity int    `json:"quantity"`
}

// Customer is who receives the notification emails of an order.
type Customer struct {
	Email  string `json:"email,omitempty"`
	Name   string `json:"name,omitempty"`
	Locale string `json:"locale,omitempty"` // BCP 47 language tag, e.g. "nl-NL"
}

// Shipment returns the shipment with the given id.
func (o Order) Shipment(id string) (Shipment, bool) {
	for _, s := range o.Shipments {
		if s.ID == id {
			return s, true
		}
	}
	return Shipment{}, false
}

// Line returns the line with the given id.
func (o Order) Line(id string) (Line, bool) {
	for _, l := range o.Lines {
		if l.ID == id {
			return l, true
		}
	}
	return Line{}, false
}

// ShippedQuantity is how many units of line lineID the order's shipments
// hold in all.
func (o Order) ShippedQuantity(lineID string) int {
	n := 0
	for _, s := range o.Shipments {
		for _, it := range s.Items {
			if it.LineID == lineID {
				n += it.Quantity
			}
		}
	}
	return n
}
