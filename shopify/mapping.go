package shopify

import (
	"context"

	"github.com/shopctrl/tracksync/mapping"
	"github.com/shopctrl/tracksync/tracking"
)

// Channel is the channel of Shopify orders: the Exporter takes the orders
// whose tracking.Order.Channel it is.
const Channel tracking.Channel = "shopify"

// Mapping turns a host's warehouse and carrier codes into what Shopify
// needs. mapping.Static implements it from a configuration file; a host
// with its own database implements it itself. A mapping that is missing
// is an error naming what to configure (mapping.MissingError). It must be
// safe for concurrent use.
type Mapping interface {
	// ShopifyLocation returns the Shopify location id
	// ("gid://shopify/Location/<n>") of a host warehouse.
	ShopifyLocation(ctx context.Context, store, warehouse string) (string, error)
	// ShopifyCarrier returns the tracking company and URL of a shipment.
	ShopifyCarrier(ctx context.Context, store string, s tracking.Shipment) (mapping.ShopifyTracking, error)
}

var _ Mapping = (*mapping.Static)(nil)
