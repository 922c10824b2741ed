package notify_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/notify"
)

const shop = "demo-shop.myshopify.com"

var shipped = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// demoOrder is a Shopify order shipped in two packages, to a Belgian
// customer who reads Dutch.
func demoOrder() tracking.Order {
	return tracking.Order{
		ID: "SC-1042", Channel: "shopify", Store: shop, ChannelOrderID: "gid://shopify/Order/1042",
		Status: tracking.StatusFullyShipped,
		Lines: []tracking.Line{
			{ID: "L1", ChannelLineID: "gid://shopify/LineItem/1", SKU: "MUG-RED", Quantity: 2},
			{ID: "L2", ChannelLineID: "gid://shopify/LineItem/2", SKU: "TEE-M-BLK", Quantity: 1},
		},
		Shipments: []tracking.Shipment{
			{ID: "SHP-1", Warehouse: "AMS", Carrier: "postnl", TrackingNumber: "3SDEVC1234567", ShippedAt: shipped,
				Items: []tracking.Item{{LineID: "L1", Quantity: 2}}},
			{ID: "SHP-2", Warehouse: "BER", Carrier: "dhl-paket", TrackingNumber: "00340434161094042557", ShippedAt: shipped.Add(time.Hour),
				Items: []tracking.Item{{LineID: "L2", Quantity: 1}}},
		},
		Customer: tracking.Customer{Email: "anna@example.com", Name: "Anna de Vries", Locale: "nl-BE"},
	}
}

func demoStore() notify.StoreConfig {
	return notify.StoreConfig{Name: "Demo Shop", From: "Demo Shop <shop@demo.example>"}
}

// recorder is a Mailer that keeps what it was given and fails as told.
type recorder struct {
	mu   sync.Mutex
	sent []*notify.Message
	fail func(m *notify.Message) error
}

func (r *recorder) Send(_ context.Context, m *notify.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		if err := r.fail(m); err != nil {
			return err
		}
	}
	r.sent = append(r.sent, m)
	return nil
}

func (r *recorder) messages() []*notify.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*notify.Message(nil), r.sent...)
}

func newNotifier(t testing.TB, m notify.Mailer, opts ...notify.Option) *notify.Notifier {
	t.Helper()
	base := []notify.Option{
		notify.WithStore(shop, demoStore()),
		notify.WithClock(func() time.Time { return shipped.Add(2 * time.Hour) }),
	}
	n, err := notify.New(m, append(base, opts...)...)
	require.NoError(t, err)
	return n
}
