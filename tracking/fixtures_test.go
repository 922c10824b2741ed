package tracking_test

import (
	"fmt"
	"time"

	"github.com/shopctrl/tracksync/tracking"
)

var shipTime = time.Date(2026, 11, 20, 14, 30, 0, 0, time.UTC)

// sampleOrder is a valid fully shipped Shopify order: two lines, two
// packages from two warehouses.
func sampleOrder(id string) tracking.Order {
	return tracking.Order{
		ID:             id,
		Channel:        tracking.ChannelShopify,
		Store:          "demo-shop.myshopify.com",
		ChannelOrderID: "gid://shopify/Order/" + id,
		Status:         tracking.StatusFullyShipped,
		Lines: []tracking.Line{
			{ID: "L1", ChannelLineID: "gid://shopify/LineItem/11", SKU: "MUG-RED", Quantity: 2},
			{ID: "L2", ChannelLineID: "gid://shopify/LineItem/12", SKU: "TEE-M", Quantity: 1},
		},
		Shipments: []tracking.Shipment{
			{ID: id + "-S1", Warehouse: "AMS", Carrier: "postnl", TrackingNumber: "3SABCD1234567", ShippedAt: shipTime,
				Items: []tracking.Item{{LineID: "L1", Quantity: 2}}},
			{ID: id + "-S2", Warehouse: "BER", Carrier: "dhl-paket", TrackingNumber: "00340434161094042557", ShippedAt: shipTime.Add(time.Hour),
				Items: []tracking.Item{{LineID: "L2", Quantity: 1}}},
		},
		Customer: tracking.Customer{Email: "anna@example.com", Name: "Anna de Vries", Locale: "nl-NL"},
	}
}

// sampleOrders returns n valid orders spread over stores.
func sampleOrders(n, stores int, ch tracking.Channel) []tracking.Order {
	out := make([]tracking.Order, n)
	for i := range out {
		o := sampleOrder(fmt.Sprintf("O%d", i))
		o.Channel = ch
		o.Store = fmt.Sprintf("store-%d", i%stores)
		out[i] = o
	}
	return out
}
