package notify

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/shopctrl/tracksync/mapping"
	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/carrier"
)

// Link is how an email names a package's carrier and links to its
// tracking page.
type Link struct {
	Carrier string // the carrier's name, such as "PostNL"
	URL     string // the tracking page; "" when there is none
}

// A Linker resolves the carrier name and tracking link of a package. The
// default is CatalogueLinks(nil); MappingLinks uses the same mapping as the
// channel exporters, so that the email links where the channel does.
// Implementations must be safe for concurrent use.
type Linker interface {
	Link(ctx context.Context, o tracking.Order, s tracking.Shipment) (Link, error)
}

// LinkerFunc adapts a function to Linker.
type LinkerFunc func(ctx context.Context, o tracking.Order, s tracking.Shipment) (Link, error)

// Link calls f.
func (f LinkerFunc) Link(ctx context.Context, o tracking.Order, s tracking.Shipment) (Link, error) {
	return f(ctx, o, s)
}

// DestinationFunc tells where an order goes, for carriers whose full
// tracking page needs the destination (PostNL: country and postcode; DHL
// Parcel Benelux: postcode). tracking.Order carries no address, so the
// host supplies it; nil, or a zero Destination, links to the carrier's
// plain page.
type DestinationFunc func(o tracking.Order) carrier.Destination

// CatalogueLinks links packages through the carrier catalogue
// (tracking/carrier): the shipment's own TrackingURL when the host set one,
// else the catalogue carrier's page for the number, with the destination
// where the carrier needs it. A host carrier code outside the catalogue is
// shown as it is, without a link.
func CatalogueLinks(dest DestinationFunc) Linker {
	return LinkerFunc(func(_ context.Context, o tracking.Order, s tracking.Shipment) (Link, error) {
		c, ok := carrier.Lookup(s.Carrier)
		if !ok {
			return Link{Carrier: s.Carrier, URL: s.TrackingURL}, nil
		}
		l := Link{Carrier: c.Name, URL: s.TrackingURL}
		if l.URL == "" {
			l.URL = c.TrackingURLFor(s.TrackingNumber, destination(dest, o))
		}
		return l, nil
	})
}

// CarrierMapping is the part of a mapping MappingLinks reads;
// *mapping.Static implements it.
type CarrierMapping interface {
	ShopifyCarrier(ctx context.Context, store string, s tracking.Shipment) (mapping.ShopifyTracking, error)
	AmazonCarrier(ctx context.Context, store string, s tracking.Shipment) (mapping.AmazonTracking, error)
}

// The channels MappingLinks knows; their packages define the same names.
const (
	channelShopify tracking.Channel = "shopify"
	channelAmazon  tracking.Channel = "amazon"
)

// MappingLinks links packages the way the order's channel shows them: a
// Shopify order's package by the tracking company and URL the mapping
// gives Shopify, an Amazon order's by the carrier name and URL it gives
// Amazon. Where that URL is the catalogue carrier's plain page and the
// carrier's full page needs the destination, the email links to the full
// page (same carrier, same number). Orders of other channels are linked
// through the catalogue. A missing mapping is an error (the channel
// exporter fails on it too) that names what to configure.
func MappingLinks(m CarrierMapping, dest DestinationFunc) Linker {
	fallback := CatalogueLinks(dest)
	return LinkerFunc(func(ctx context.Context, o tracking.Order, s tracking.Shipment) (Link, error) {
		var l Link
		var base carrier.Carrier
		switch o.Channel {
		case channelShopify:
			t, err := m.ShopifyCarrier(ctx, o.Store, s)
			if err != nil {
				return Link{}, err
			}
			l, base = Link{Carrier: t.Company, URL: t.URL}, t.Carrier
		case channelAmazon:
			t, err := m.AmazonCarrier(ctx, o.Store, s)
			if err != nil {
				return Link{}, err
			}
			l, base = Link{Carrier: t.CarrierName, URL: t.URL}, t.Carrier
			if l.Carrier == "" {
				l.Carrier = base.Name
			}
			if l.Carrier == "" {
				l.Carrier = t.CarrierCode
			}
		default:
			return fallback.Link(ctx, o, s)
		}
		if base.Code != "" && s.TrackingURL == "" && l.URL == base.TrackingURL(s.TrackingNumber) {
			l.URL = base.TrackingURLFor(s.TrackingNumber, destination(dest, o))
		}
		return l, nil
	})
}

func destination(dest DestinationFunc, o tracking.Order) carrier.Destination {
	if dest == nil {
		return carrier.Destination{}
	}
	return dest(o)
}

// checkLink accepts an absolute http or https URL without user info; a
// host's TrackingURL override or a mapping template could hold anything,
// and an email must not link a customer to javascript: or a look-alike.
func checkLink(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("tracking URL %q is not a URL", raw)
	}
	if s := strings.ToLower(u.Scheme); (s != "https" && s != "http") || u.Host == "" || u.User != nil {
		return fmt.Errorf("tracking URL %q is not an http(s) URL with a host", raw)
	}
	return nil
}
