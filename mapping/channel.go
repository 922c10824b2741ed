package mapping

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/carrier"
)

// The channels whose sections are their own, checked against what those
// channels accept. The mapping names them only for those sections; the
// channel packages own their tracking.Channel constants.
const (
	shopifyChannel tracking.Channel = "shopify"
	amazonChannel  tracking.Channel = "amazon"
)

// ChannelTracking is a shipment's carrier as a channel receives it, from
// Static.Carrier.
type ChannelTracking struct {
	// Code is the channel's code of the carrier as configured ("code");
	// "" when the configuration names none: the channel's exporter then
	// picks its own code for Carrier, or sends Name. For Shopify it is the
	// tracking company, for Amazon the carrierCode.
	Code string
	// Name is the carrier's display name: the entry's "name", else the
	// catalogue's, else Code.
	Name string
	// Service is the delivery service or shipping method: the entry's
	// "service", else the shipment's Service.
	Service string
	// URL is the tracking URL: the shipment's own, else the entry's
	// template, else the catalogue carrier's page; "" when none is known.
	URL string
	// Carrier is the catalogue carrier, for checking the tracking number
	// (carrier.Policy.Vet); its Code is "" when the host carrier is not in
	// the catalogue.
	Carrier carrier.Carrier
}

// channelMapping is a checked ChannelConfig.
type channelMapping struct {
	requireLocation bool
	stores          map[string]ChannelStore
}

// channel checks the section of one channel other than Shopify and Amazon.
func (c *checker) channel(name string, cfg ChannelConfig) (channelMapping, bool) {
	p := jsonPath{"channels", name}
	switch ch := tracking.Channel(name); {
	case !channelName(name):
		c.fail(p, "want a channel name as orders and the channel's exporter spell it: lower-case letters, digits, '.', '-' or '_'")
		return channelMapping{}, false
	case ch == shopifyChannel || ch == amazonChannel:
		c.fail(p, fmt.Sprintf("%s has a section of its own: move this to the top-level %q", name, name))
		return channelMapping{}, false
	}
	stores := make(map[string]ChannelStore, len(cfg.Stores)) // a copy: the caller's maps may change
	for _, store := range sortedKeys(cfg.Stores) {
		sp := p.child("stores").child(store)
		if store == "" || strings.TrimSpace(store) != store {
			c.fail(sp, "want the store as orders spell it (tracking.Order.Store), without surrounding space")
			continue
		}
		st := cfg.Stores[store]
		stores[store] = ChannelStore{Locations: maps.Clone(st.Locations), Carriers: maps.Clone(st.Carriers)}
		for _, wh := range sortedKeys(st.Locations) {
			switch lp := sp.child("locations").child(wh); {
			case wh == "":
				c.fail(lp, "the warehouse code is empty")
			case strings.TrimSpace(st.Locations[wh]) == "":
				c.fail(lp, "the location id is empty")
			}
		}
		for _, key := range sortedKeys(st.Carriers) {
			c.channelCarrier(sp.child("carriers").child(key), key, st.Carriers[key])
		}
	}
	return channelMapping{requireLocation: cfg.RequireLocation, stores: stores}, true
}

// channelName reports whether name can be an order's channel: the rule of
// tracking.Order.Validate, so that a section an order can never reach
// (such as "Bol") is an error, not a mapping that silently never applies.
func channelName(name string) bool {
	if name == "" || len(name) > 64 {
		return false
	}
	for _, r := range []byte(name) {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

func (c *checker) channelCarrier(p jsonPath, key string, e ChannelCarrier) {
	base, ok := c.entryBase(p, key, e.Carrier)
	if !ok {
		return
	}
	if e.Code == "" && e.Name == "" && base.Code == "" {
		c.fail(p, "nothing says which carrier this is: set \"code\" (the channel's carrier code) or \"name\", or \"carrier\" (a catalogue code)")
	}
	if e.URL != "" {
		if err := checkTemplate(e.URL); err != nil {
			c.fail(p.child("url"), fmt.Sprintf("%q %v", e.URL, err))
		}
	}
}

// Location returns a channel's id of the location a host warehouse ships
// from, for a store of channel ch. It serves the "channels" section, and
// the "shopify" section for Shopify (as ShopifyLocation); Amazon takes no
// location. A missing mapping is a *MissingError with the JSON to add.
func (s *Static) Location(ctx context.Context, ch tracking.Channel, store, warehouse string) (string, error) {
	switch ch {
	case shopifyChannel:
		return s.ShopifyLocation(ctx, store, warehouse)
	case amazonChannel:
		return "", &MissingError{Store: store, Channel: ch, Kind: KindLocation, Key: warehouse,
			Reason: "the amazon section maps no warehouses: Amazon confirmations take no location"}
	}
	if id, ok := s.channels[ch].stores[store].Locations[warehouse]; ok {
		return id, nil
	}
	return "", &MissingError{Store: store, Channel: ch, Kind: KindLocation, Key: warehouse,
		Hint: fmt.Sprintf("%q: \"<%s location id>\" under %s", warehouse, ch, jsonPath{"channels", string(ch), "stores", store, "locations"})}
}

// Carrier returns a shipment's carrier as channel ch receives it, for a
// store of ch. It serves the "channels" section, and the "shopify" and
// "amazon" sections for those channels (as ShopifyCarrier and
// AmazonCarrier, in ChannelTracking's terms). A shipment without a carrier
// (not yet handed to one) has the zero ChannelTracking; the exporter
// decides whether it can push without one. A carrier that is neither
// configured nor in the catalogue is a *MissingError with the JSON to add.
func (s *Static) Carrier(ctx context.Context, ch tracking.Channel, store string, sh tracking.Shipment) (ChannelTracking, error) {
	if sh.Carrier == "" {
		return ChannelTracking{}, nil
	}
	switch ch {
	case shopifyChannel:
		t, err := s.ShopifyCarrier(ctx, store, sh)
		if err != nil {
			return ChannelTracking{}, err
		}
		return ChannelTracking{Code: t.Company, Name: t.Company, Service: sh.Service, URL: t.URL, Carrier: t.Carrier}, nil
	case amazonChannel:
		t, err := s.AmazonCarrier(ctx, store, sh)
		if err != nil {
			return ChannelTracking{}, err
		}
		return ChannelTracking{Code: t.CarrierCode, Name: firstOf(t.CarrierName, t.Carrier.Name, t.CarrierCode), Service: t.ShippingMethod, URL: t.URL, Carrier: t.Carrier}, nil
	}
	e, found := findCarrier(s.channels[ch].stores[store].Carriers, sh.Carrier, sh.Service)
	base, known := catalogue(e.Carrier, sh.Carrier)
	if !found && !known {
		return ChannelTracking{}, &MissingError{Store: store, Channel: ch, Kind: KindCarrier, Key: sh.Carrier, Service: sh.Service,
			Reason: fmt.Sprintf("%q is not in the carrier catalogue", sh.Carrier),
			Hint:   fmt.Sprintf("%q: {\"code\": \"<%s carrier code>\", \"name\": \"<carrier name>\"} under %s", sh.Carrier, ch, jsonPath{"channels", string(ch), "stores", store, "carriers"})}
	}
	return ChannelTracking{Code: e.Code, Name: firstOf(e.Name, base.Name, e.Code), Service: firstOf(e.Service, sh.Service),
		URL: trackingURL(sh, e.URL, base), Carrier: base}, nil
}

// firstOf returns the first of vs that is not empty.
func firstOf(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// trackingURL is a shipment's tracking URL: its own, else the entry's
// template, else the catalogue carrier's page; "" without a number.
func trackingURL(sh tracking.Shipment, template string, base carrier.Carrier) string {
	switch {
	case sh.TrackingURL != "":
		return sh.TrackingURL
	case sh.TrackingNumber == "":
		return ""
	case template != "":
		return renderTemplate(template, sh.TrackingNumber)
	}
	return base.TrackingURL(sh.TrackingNumber) // "" for a carrier outside the catalogue
}
