// Package mapping turns a host's warehouse and carrier codes into what each
// sales channel needs, per store: the Shopify location a package left from,
// the tracking company and URL Shopify shows, and the carrier code, name
// and shipping method Amazon's confirmation takes.
//
// Exporters ask a Resolver. Static is the Resolver over a JSON
// configuration (Load, LoadFile) or a Config built in code (New); a host
// with its own database implements Resolver itself. Defaults come from the
// carrier catalogue (tracking/carrier): a host carrier code that is a
// catalogue code ("ups", "postnl", "dhl-paket", …) needs no mapping unless
// the host wants to override it, and a "code/service" entry beats a "code"
// entry for that delivery service.
//
// A mapping that is missing is never skipped: it is a *MissingError
// (errors.Is ErrNotMapped) that names the store, channel and code and
// carries the JSON to add. Validate reports every missing mapping of a set
// of orders at once, so that a host fixes its configuration in one round.
//
// Names: Resolver, Static, New, Load, LoadFile, Validate; Config,
// ShopifyStore, ShopifyCarrier, AmazonStore, AmazonCarrier (the JSON
// shape); ShopifyTracking, AmazonTracking (what a shipment resolves to);
// MissingError, ErrNotMapped, ConfigError, ErrInvalidConfig.
package mapping
