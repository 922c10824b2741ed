package mapping

import (
	"context"
	"errors"

	"github.com/shopctrl/tracksync/tracking"
)

// Validate asks c for everything the orders' shipments need and returns
// every missing mapping at once, as joined *MissingError (errors.Is
// ErrNotMapped), each with the JSON to add; nil when nothing is missing.
// Errors of the mapping's backing store are included as they are. Hosts
// run it before a sync, or after changing the mapping, to fix the
// configuration in one round. A *Static is a Checker; wrap a host's own
// Resolver in ResolverChecker.
func Validate(ctx context.Context, c Checker, orders ...tracking.Order) error {
	var errs []error
	seen := map[string]bool{}
	var add func(err error)
	add = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				add(e)
			}
			return
		}
		if err == nil {
			return
		}
		if k := err.Error(); !seen[k] { // one report per store and mapping
			seen[k] = true
			errs = append(errs, err)
		}
	}
	for _, o := range orders {
		for _, s := range o.Shipments {
			if err := ctx.Err(); err != nil {
				return err
			}
			add(c.CheckShipment(ctx, o.Channel, o.Store, s))
		}
	}
	return errors.Join(errs...)
}
