package notify

import (
	"fmt"

	"github.com/shopctrl/tracksync/tracking"
)

// Names of the preset triggers.
const (
	// ShipmentShipped: a package got its tracking number — one email per
	// package.
	ShipmentShipped = "shipment-shipped"
	// OrderFullyShipped: the order is fully shipped — one email per order,
	// listing every package.
	OrderFullyShipped = "order-fully-shipped"
	// TrackingUpdated: a package's tracking number changed after the
	// customer was sent one — one email per package and new number.
	TrackingUpdated = "tracking-updated"
)

// A Trigger decides when an email is owed. The Notifier asks it about every
// package of an order (or, with PerOrder, about the order), and sends what
// it says is due, exactly once per order, package and trigger: the ledger
// key's Purpose is "notify:" + Name.
//
// The presets are ShipmentShippedTrigger, OrderFullyShippedTrigger and
// TrackingUpdatedTrigger; a host adds its own with WithTriggers and gives
// it Templates (it has no built-in ones).
type Trigger struct {
	// Name identifies the trigger in store settings, templates, ledger
	// keys and results: lower-case letters, digits and dashes.
	Name string
	// PerOrder makes the trigger send one email per order, about every
	// package; otherwise it sends one per package.
	PerOrder bool
	// Default is the trigger's Mode in stores whose settings do not name
	// it.
	Default Mode
	// Due decides on one package (or the order): send now, wait (with a
	// reason), or nothing owed. It must be a pure function of the Event.
	Due func(Event) Verdict
	// Templates are the trigger's own templates, below a store's and
	// above the built-in ones (which only the presets have).
	Templates []Template
}

// Event is what a Trigger decides on.
type Event struct {
	Order tracking.Order
	// Package is the package asked about; the zero Shipment for a PerOrder
	// trigger.
	Package tracking.Shipment
	// Sent is this trigger's record of the email it already sent for this
	// package (or order); nil when it sent none.
	Sent *tracking.Record
	// Told is the tracking number the customer was last sent for Package,
	// by any trigger; "" when none was sent (and for PerOrder triggers).
	Told string
}

// Verdict is a Trigger's decision.
type Verdict struct {
	// Send: the email is due now.
	Send bool
	// Wait, when Send is false, says why an email will be due later (the
	// package is reported Waiting with it). Empty Wait and Send means
	// nothing is owed.
	Wait string
}

// SendNow returns the Verdict that the email is due now; Wait(reason) that
// it will be; the zero Verdict that nothing is owed.
func SendNow() Verdict { return Verdict{Send: true} }

// Wait returns the Verdict that an email will be due later, for reason.
func Wait(reason string) Verdict { return Verdict{Wait: reason} }

// ShipmentShippedTrigger sends one email per package once the package has
// a tracking number. On by default.
func ShipmentShippedTrigger() *Trigger {
	return &Trigger{Name: ShipmentShipped, Default: On, Due: func(e Event) Verdict {
		switch {
		case e.Sent != nil:
			return Verdict{}
		case e.Package.TrackingNumber == "":
			return Wait("the package has no tracking number yet")
		}
		return SendNow()
	}}
}

// OrderFullyShippedTrigger sends one email per order, listing every
// package, once the host reports the order fully shipped and every package
// has a tracking number. Off by default (ShipmentShipped already tells
// about each package).
func OrderFullyShippedTrigger() *Trigger {
	return &Trigger{Name: OrderFullyShipped, PerOrder: true, Default: Off, Due: func(e Event) Verdict {
		if e.Sent != nil {
			return Verdict{}
		}
		if e.Order.Status != tracking.StatusFullyShipped {
			return Wait(fmt.Sprintf("the order is %s, not fully shipped yet", e.Order.Status))
		}
		for _, s := range e.Order.Shipments {
			if s.TrackingNumber == "" {
				return Wait(fmt.Sprintf("package %q has no tracking number yet", s.ID))
			}
		}
		return SendNow()
	}}
}

// TrackingUpdatedTrigger sends one email when a package's tracking number
// differs from the one the customer was last sent (by any trigger), once
// per new number. On by default.
func TrackingUpdatedTrigger() *Trigger {
	return &Trigger{Name: TrackingUpdated, Default: On, Due: func(e Event) Verdict {
		if e.Told == "" || e.Package.TrackingNumber == "" || e.Told == e.Package.TrackingNumber {
			return Verdict{}
		}
		return SendNow()
	}}
}

// builtinTriggers are the presets, in the order their emails go out.
func builtinTriggers() []*Trigger {
	return []*Trigger{ShipmentShippedTrigger(), OrderFullyShippedTrigger(), TrackingUpdatedTrigger()}
}

// purpose is the ledger Purpose of a trigger's records.
func purpose(trigger string) string { return "notify:" + trigger }

// validTriggerName accepts lower-case letters, digits and inner dashes.
func validTriggerName(name string) bool {
	if name == "" || len(name) > 64 || name[0] == '-' || name[len(name)-1] == '-' {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '-' {
			return false
		}
	}
	return true
}
