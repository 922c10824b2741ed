// Package mapping turns a host's warehouse and carrier codes into what each
// sales channel needs, per store: the Shopify location a package left from,
// the tracking company and URL Shopify shows, the carrier code, name and
// shipping method Amazon's confirmation takes, and the location and carrier
// of any other channel.
//
// Each channel package owns the small interface its exporter asks
// (shopify.Mapping, amazon.Mapping, and a new channel's own). Static
// implements all of them over a JSON configuration (Load, LoadFile) or a
// Config built in code (New): ShopifyLocation and ShopifyCarrier for
// Shopify, AmazonCarrier for Amazon, and Location and Carrier, which take
// the channel as an argument, for every channel. A channel added to
// tracksync gets its section under "channels" in the same file and needs
// no change in this package. A host with its own database implements the
// interfaces of the channels it uses.
//
// Defaults come from the carrier catalogue (tracking/carrier): a host
// carrier code that is a catalogue code ("ups", "postnl", "dhl-paket", …)
// needs no mapping unless the host wants to override it, and a
// "code/service" entry beats a "code" entry for that delivery service.
//
// A mapping that is missing is never skipped: it is a *MissingError
// (errors.Is ErrNotMapped, not retryable) that names the store, channel
// and code and carries the JSON to add. Validate reports every missing
// mapping of a set of orders at once, so that a host fixes its
// configuration in one round.
//
// Names: Static, New, Load, LoadFile, Validate, Checker; Config,
// ShopifyStore, ShopifyCarrier, AmazonStore, AmazonCarrier, ChannelConfig,
// ChannelStore, ChannelCarrier (the JSON shape); ShopifyTracking,
// AmazonTracking, ChannelTracking (what a shipment resolves to);
// MissingError, ErrNotMapped, ConfigError, ErrInvalidConfig; Resolver and
// ResolverChecker (deprecated).
package mapping
