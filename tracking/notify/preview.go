package notify

import (
	"context"
	"errors"
	"fmt"

	"github.com/shopctrl/tracksync/tracking"
)

// ErrUnknownTrigger reports a trigger name the Notifier does not have.
var ErrUnknownTrigger = errors.New("notify: unknown trigger")

// Preview renders the emails a trigger sends for an order — one per
// package with a tracking number, or one for the order — without sending
// them or reading the ledger, and whether or not the trigger is due or
// switched on. The customer's address is used as given, even when Export
// would refuse it.
func (n *Notifier) Preview(ctx context.Context, o tracking.Order, trigger string) ([]*Message, error) {
	t := n.byName[trigger]
	if t == nil {
		return nil, fmt.Errorf("%w %q; the Notifier has %s", ErrUnknownTrigger, trigger, triggerNames(n.triggers))
	}
	st, err := n.storeFor(o.Store)
	if err != nil {
		return nil, err
	}
	var emails []email
	if t.PerOrder {
		emails = append(emails, email{trigger: t, packages: o.Shipments})
	} else {
		for _, s := range o.Shipments {
			if s.TrackingNumber != "" {
				emails = append(emails, email{trigger: t, shipment: s.ID, packages: []tracking.Shipment{s}})
			}
		}
	}
	if len(emails) == 0 {
		return nil, fmt.Errorf("notify: order %q has no package with a tracking number to preview %q for", o.ID, trigger)
	}
	out := make([]*Message, 0, len(emails))
	for _, e := range emails {
		c, err := n.compose(ctx, st, o, e, o.Customer.Email)
		if err != nil {
			return out, err
		}
		out = append(out, c.msg)
	}
	return out, nil
}
