package amazon

import (
	"context"

	"github.com/shopctrl/tracksync/mapping"
	"github.com/shopctrl/tracksync/tracking"
)

// Channel is the tracking.Channel of Amazon orders: the exporters of this
// package take the orders whose Channel it is.
const Channel tracking.Channel = "amazon"

// Mapping resolves how a shipment's carrier is confirmed to Amazon: the
// carrierCode (or "Other" and a carrierName) and the shipping method, per
// store ("sellerID/marketplaceID"). mapping.Static implements it; a host
// that keeps its carrier table elsewhere implements it itself.
type Mapping interface {
	// AmazonCarrier returns the carrier fields of a shipment's
	// confirmation, or an error that says what to map (such as
	// *mapping.MissingError).
	AmazonCarrier(ctx context.Context, store string, s tracking.Shipment) (mapping.AmazonTracking, error)
}
