package mapping

// Config is the mapping configuration as JSON holds it; Load reads one, New
// validates one built in code. Store keys are tracking.Order.Store values:
// Shopify shop domains ("demo-shop.myshopify.com", compared without regard
// to case) and Amazon "sellerID/marketplaceID" (or "sellerID" alone, for
// every marketplace of the seller).
//
//	{
//	  "shopify": {
//	    "demo-shop.myshopify.com": {
//	      "locations": {"AMS": "gid://shopify/Location/6884", "BER": 6885},
//	      "carriers": {
//	        "own-dhl": {"carrier": "dhl-express"},
//	        "bike": {"company": "Fietskoerier", "url": "https://track.example.com/?id={number}"},
//	        "postnl/evening": {"company": "PostNL", "url": "https://jouw.postnl.nl/track-and-trace/{number}"}
//	      }
//	    }
//	  },
//	  "amazon": {
//	    "A2EXAMPLESELLER": {
//	      "carriers": {
//	        "bike": {"code": "Other", "name": "Fietskoerier", "shipping_method": "Same day"}
//	      }
//	    }
//	  },
//	  "channels": {
//	    "bol": {
//	      "require_location": true,
//	      "stores": {
//	        "retailer-1234": {
//	          "locations": {"AMS": "NL-AMS-1"},
//	          "carriers": {"own-dhl": {"carrier": "dhl-parcel", "code": "DHLFORYOU"}}
//	        }
//	      }
//	    }
//	  }
//	}
//
// A carrier key is a host carrier code, or "code/service" for one delivery
// service of it; the service entry wins over the carrier entry, which wins
// over the carrier catalogue's defaults.
//
// Shopify and Amazon have sections of their own, checked against what
// those channels accept. Every other channel has its place under
// "channels", keyed by its tracking.Channel: a channel added to tracksync
// needs no change here (see ChannelConfig).
type Config struct {
	Shopify  map[string]ShopifyStore  `json:"shopify,omitempty"`
	Amazon   map[string]AmazonStore   `json:"amazon,omitempty"`
	Channels map[string]ChannelConfig `json:"channels,omitempty"`
}

// ShopifyStore is the mapping of one Shopify shop.
type ShopifyStore struct {
	// Locations maps a host warehouse code to a Shopify location id:
	// "gid://shopify/Location/<n>" or the number alone.
	Locations map[string]string `json:"locations,omitempty"`
	// Carriers maps a host carrier code, or "code/service", to what Shopify
	// shows.
	Carriers map[string]ShopifyCarrier `json:"carriers,omitempty"`
}

// ShopifyCarrier is how one host carrier appears on Shopify.
type ShopifyCarrier struct {
	// Carrier names the catalogue carrier (tracking/carrier) whose company
	// name, tracking URL and number formats apply, when the host's code is
	// not a catalogue code itself.
	Carrier string `json:"carrier,omitempty"`
	// Company is the tracking company Shopify shows; Shopify recognises its
	// supported names exactly as spelled (case matters).
	Company string `json:"company,omitempty"`
	// URL is a tracking URL template: https, with {number} where the
	// tracking number goes. Required for a company Shopify does not know.
	URL string `json:"url,omitempty"`
}

// AmazonStore is the mapping of one Amazon seller or seller+marketplace.
type AmazonStore struct {
	// Carriers maps a host carrier code, or "code/service", to Amazon's
	// carrier fields.
	Carriers map[string]AmazonCarrier `json:"carriers,omitempty"`
}

// AmazonCarrier is how one host carrier is confirmed to Amazon.
type AmazonCarrier struct {
	// Carrier names the catalogue carrier whose Amazon code applies.
	Carrier string `json:"carrier,omitempty"`
	// Code is Amazon's carrierCode; "Other" needs Name.
	Code string `json:"code,omitempty"`
	// Name is the carrierName sent with Code "Other".
	Name string `json:"name,omitempty"`
	// ShippingMethod is the delivery service Amazon shows; default: the
	// shipment's Service.
	ShippingMethod string `json:"shipping_method,omitempty"`
}

// ChannelConfig is the mapping of a channel other than Shopify and Amazon,
// which Static serves through its Location and Carrier methods.
type ChannelConfig struct {
	// RequireLocation says that the channel's exporter asks for the
	// location of every shipment's warehouse, so that Validate checks it.
	RequireLocation bool `json:"require_location,omitempty"`
	// Stores maps a store (tracking.Order.Store, compared exactly) to its
	// mapping.
	Stores map[string]ChannelStore `json:"stores,omitempty"`
}

// ChannelStore is the mapping of one store of a channel.
type ChannelStore struct {
	// Locations maps a host warehouse code to the channel's id of that
	// location, as the channel spells it.
	Locations map[string]string `json:"locations,omitempty"`
	// Carriers maps a host carrier code, or "code/service", to the
	// channel's carrier.
	Carriers map[string]ChannelCarrier `json:"carriers,omitempty"`
}

// ChannelCarrier is how one host carrier appears on a channel. At least
// one of Carrier, Code and Name must say which carrier it is.
type ChannelCarrier struct {
	// Carrier names the catalogue carrier (tracking/carrier) whose name,
	// tracking URL and number formats apply, when the host's code is not a
	// catalogue code itself.
	Carrier string `json:"carrier,omitempty"`
	// Code is the channel's code of the carrier, as the channel's API
	// spells it. Without it the channel's exporter picks its own code for
	// the catalogue carrier, or sends the name.
	Code string `json:"code,omitempty"`
	// Name is the carrier's display name; default: the catalogue's.
	Name string `json:"name,omitempty"`
	// Service is the channel's delivery service or shipping method;
	// default: the shipment's Service.
	Service string `json:"service,omitempty"`
	// URL is a tracking URL template: https, with {number} where the
	// tracking number goes; default: the catalogue carrier's page.
	URL string `json:"url,omitempty"`
}
