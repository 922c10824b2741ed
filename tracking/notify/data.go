package notify

import "time"

// Data is what an email's templates see. Host templates (Template) use the
// same fields: {{.Customer.Name}}, {{.Order.Reference}},
// {{range .Packages}}{{.TrackingURL}}{{end}}. A template that names a field
// not listed here fails when the Notifier is built, not when it sends.
type Data struct {
	// Trigger is the name of the trigger that sends the email, such as
	// "shipment-shipped".
	Trigger string
	// Locale is the locale the email is written in, such as "nl".
	Locale string
	// Store is the order's store (shop domain, seller id); StoreName is the
	// name customers know it by (StoreConfig.Name).
	Store, StoreName string
	Customer         Customer
	Order            Order
	// Packages are the packages the email is about: one for a per-package
	// trigger, every package of the order for a per-order one.
	Packages []Package
}

// Customer is the recipient of an email.
type Customer struct {
	Name  string
	Email string
}

// Order identifies the order an email is about.
type Order struct {
	// ID is the host's order id.
	ID string
	// Reference is the order number the customer knows (see
	// WithOrderReference).
	Reference string
}

// Package is one shipped package as an email shows it.
type Package struct {
	ID string // the host's shipment id
	// Carrier is the carrier's name as the customer knows it, such as
	// "PostNL" or "DHL Paket".
	Carrier        string
	TrackingNumber string
	// TrackingURL is the carrier's tracking page for the package; "" when
	// the carrier has none.
	TrackingURL string
	// PreviousTrackingNumber is the number the customer was given before,
	// when it changed (the tracking-updated trigger); "" otherwise.
	PreviousTrackingNumber string
	ShippedAt              time.Time
	Items                  []Item
}

// Item is a quantity of one product in a package.
type Item struct {
	// Name is the product as the customer knows it (see WithItemNames);
	// by default the SKU.
	Name     string
	SKU      string
	Quantity int
}

// sampleData is the data templates are checked with when they are
// configured: every field set, two packages, so that a template that names
// an unknown field or breaks on a list fails at once.
func sampleData(trigger, locale string) Data {
	shipped := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	return Data{
		Trigger: trigger, Locale: locale, Store: "example.myshopify.com", StoreName: "Example Store",
		Customer: Customer{Name: "Sam Sample", Email: "sam@example.com"},
		Order:    Order{ID: "SO-1", Reference: "#1001"},
		Packages: []Package{
			{ID: "P-1", Carrier: "PostNL", TrackingNumber: "3SABCD1234567", TrackingURL: "https://jouw.postnl.nl/track-and-trace/3SABCD1234567",
				PreviousTrackingNumber: "3SABCD7654321", ShippedAt: shipped,
				Items: []Item{{Name: "Red mug", SKU: "MUG-RED", Quantity: 2}, {Name: "T-shirt", SKU: "TEE-M", Quantity: 1}}},
			{ID: "P-2", Carrier: "DHL Paket", TrackingNumber: "00340434161094042557", ShippedAt: shipped.Add(time.Hour),
				Items: []Item{{Name: "Poster", SKU: "POSTER-A2", Quantity: 1}}},
		},
	}
}
