package mapping

import (
	"context"
	"errors"

	"github.com/shopctrl/tracksync/tracking"
)

// A Checker knows what the exporter of each channel asks a mapping for, and
// says what one shipment lacks. Validate asks it for every shipment.
// Static is a Checker; a host with its own mapping store implements
// CheckShipment by calling its own methods the way its exporters do.
type Checker interface {
	// CheckShipment returns everything shipment s of an order of channel
	// ch in store needs and the mapping lacks, as *MissingError (joined
	// when there are several); nil when nothing is missing. Other errors
	// are the backing store's.
	CheckShipment(ctx context.Context, ch tracking.Channel, store string, s tracking.Shipment) error
}

var _ Checker = (*Static)(nil)

// CheckShipment implements Checker: a Shopify shipment needs its location
// and, once it has a carrier, its tracking company; an Amazon shipment with
// a carrier needs its carrier fields; a shipment of another channel needs
// its carrier, once it has one, and its location when the channel's
// section says "require_location".
func (s *Static) CheckShipment(ctx context.Context, ch tracking.Channel, store string, sh tracking.Shipment) error {
	var errs []error
	if ch == shopifyChannel || (ch != amazonChannel && s.channels[ch].requireLocation) {
		_, err := s.Location(ctx, ch, store, sh.Warehouse)
		errs = append(errs, err)
	}
	_, err := s.Carrier(ctx, ch, store, sh)
	return errors.Join(append(errs, err)...)
}

// ResolverChecker is the Checker of a host's own Resolver, for Validate.
// It checks Shopify and Amazon shipments as Static does and finds nothing
// missing for other channels, which a Resolver does not map.
//
// Deprecated: implement Checker alongside the channels' Mapping
// interfaces.
func ResolverChecker(r Resolver) Checker { return resolverChecker{r} }

type resolverChecker struct{ r Resolver }

func (c resolverChecker) CheckShipment(ctx context.Context, ch tracking.Channel, store string, sh tracking.Shipment) error {
	switch ch {
	case shopifyChannel:
		_, lerr := c.r.ShopifyLocation(ctx, store, sh.Warehouse)
		_, cerr := c.r.ShopifyCarrier(ctx, store, sh)
		return errors.Join(lerr, cerr)
	case amazonChannel:
		if sh.Carrier == "" {
			return nil // no carrier yet: nothing to confirm, nothing to map
		}
		_, err := c.r.AmazonCarrier(ctx, store, sh)
		return err
	}
	return nil
}
