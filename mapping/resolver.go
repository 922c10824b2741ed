package mapping

import (
	"context"

	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/carrier"
)

// A Resolver is the mapping of both Shopify and Amazon in one interface.
// Each channel package now owns the small interface its exporter needs
// (shopify.Mapping: ShopifyLocation and ShopifyCarrier; amazon.Mapping:
// AmazonCarrier), so that a host implements only the methods of the
// channels it sells on and a new channel adds no method here. Resolver
// stays so that hosts' implementations and their `var _ mapping.Resolver`
// checks keep compiling: a Resolver is both a shopify.Mapping and an
// amazon.Mapping. To Validate with one, wrap it in ResolverChecker.
//
// Deprecated: take shopify.Mapping or amazon.Mapping, or *Static.
type Resolver interface {
	// ShopifyLocation returns the Shopify location id
	// ("gid://shopify/Location/<n>") of a host warehouse.
	ShopifyLocation(ctx context.Context, store, warehouse string) (string, error)
	// ShopifyCarrier returns the tracking company and URL of a shipment.
	ShopifyCarrier(ctx context.Context, store string, s tracking.Shipment) (ShopifyTracking, error)
	// AmazonCarrier returns the carrier fields of a shipment's confirmation.
	AmazonCarrier(ctx context.Context, store string, s tracking.Shipment) (AmazonTracking, error)
}

// ShopifyTracking is a shipment's carrier as Shopify receives it.
type ShopifyTracking struct {
	Company string // trackingInfo.company
	URL     string // trackingInfo.url; "" when nothing is known
	// Carrier is the catalogue carrier, for checking the tracking number;
	// its Code is "" when the host carrier is not in the catalogue.
	Carrier carrier.Carrier
}

// AmazonTracking is a shipment's carrier as Amazon's confirmShipment and
// fulfillment feed receive it.
type AmazonTracking struct {
	CarrierCode    string // Amazon's carrierCode, or "Other"
	CarrierName    string // set when CarrierCode is "Other"
	ShippingMethod string
	URL            string // the tracking URL, for notifications; Amazon's API takes none
	Carrier        carrier.Carrier
}

// AmazonOther is the carrierCode for a carrier Amazon does not list; the
// confirmation then needs a carrierName.
const AmazonOther = "Other"
