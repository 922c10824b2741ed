package mapping

import (
	"context"
	"errors"

	"github.com/shopctrl/tracksync/tracking"
)

// Validate asks r for everything the orders' shipments need and returns
// every missing mapping at once, as joined *MissingError (errors.Is
// ErrNotMapped), each with the JSON to add; nil when nothing is missing.
// Errors of the resolver's backing store are included as they are. Hosts
// run it before a sync, or after changing the mapping, to fix the
// configuration in one round.
func Validate(ctx context.Context, r Resolver, orders ...tracking.Order) error {
	var errs []error
	seen := map[string]bool{}
	add := func(err error) {
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
			switch o.Channel {
			case tracking.ChannelShopify:
				_, err := r.ShopifyLocation(ctx, o.Store, s.Warehouse)
				add(err)
				_, err = r.ShopifyCarrier(ctx, o.Store, s)
				add(err)
			case tracking.ChannelAmazon:
				if s.Carrier == "" {
					continue // no carrier yet: nothing to confirm, nothing to map
				}
				_, err := r.AmazonCarrier(ctx, o.Store, s)
				add(err)
			}
		}
	}
	return errors.Join(errs...)
}
