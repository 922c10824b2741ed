package mapping_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopctrl/tracksync/mapping"
	"github.com/shopctrl/tracksync/tracking"
)

// Load a configuration and resolve one shipment for each channel: the
// Shopify location and tracking company of a package, and the carrier
// fields of an Amazon confirmation.
func Example() {
	cfg := `{
	  "shopify": {
	    "demo-shop.myshopify.com": {
	      "locations": {"AMS": "gid://shopify/Location/6884"},
	      "carriers": {"bike": {"company": "Fietskoerier", "url": "https://track.example.com/?id={number}"}}
	    }
	  },
	  "amazon": {
	    "A2EXAMPLESELLER": {
	      "carriers": {"bike": {"code": "Other", "name": "Fietskoerier", "shipping_method": "Same day"}}
	    }
	  }
	}`
	m, err := mapping.Load(strings.NewReader(cfg))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	pkg := tracking.Shipment{ID: "S1", Warehouse: "AMS", Carrier: "bike", TrackingNumber: "fk-1001", ShippedAt: time.Now()}

	loc, _ := m.ShopifyLocation(ctx, "demo-shop.myshopify.com", pkg.Warehouse)
	shop, _ := m.ShopifyCarrier(ctx, "demo-shop.myshopify.com", pkg)
	fmt.Println("shopify:", loc, shop.Company, shop.URL)

	amzn, _ := m.AmazonCarrier(ctx, "A2EXAMPLESELLER/A1PA6795UKMFR9", pkg)
	fmt.Println("amazon:", amzn.CarrierCode, amzn.CarrierName, amzn.ShippingMethod)

	// A warehouse nobody mapped is an error that says what to add.
	_, err = m.ShopifyLocation(ctx, "demo-shop.myshopify.com", "BER")
	fmt.Println(errors.Is(err, mapping.ErrNotMapped))
	fmt.Println(err)
	// Output:
	// shopify: gid://shopify/Location/6884 Fietskoerier https://track.example.com/?id=fk-1001
	// amazon: Other Fietskoerier Same day
	// true
	// mapping: shopify store "demo-shop.myshopify.com" has no location for warehouse "BER"; add "BER": "gid://shopify/Location/<id>" under .shopify["demo-shop.myshopify.com"].locations
}

// A channel without a section of its own (here bol.com) is mapped under
// "channels" and resolved with Location and Carrier, which take the
// channel: adding a channel to tracksync changes nothing in this package.
func ExampleStatic_Carrier() {
	cfg := `{
	  "channels": {
	    "bol": {
	      "require_location": true,
	      "stores": {
	        "retailer-1234": {
	          "locations": {"AMS": "NL-AMS-1"},
	          "carriers": {"postnl": {"code": "TNT"}}
	        }
	      }
	    }
	  }
	}`
	m, err := mapping.Load(strings.NewReader(cfg))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	const bol tracking.Channel = "bol"
	pkg := tracking.Shipment{ID: "S1", Warehouse: "AMS", Carrier: "postnl", TrackingNumber: "3SDEVC1234567", ShippedAt: time.Now()}

	loc, _ := m.Location(ctx, bol, "retailer-1234", pkg.Warehouse)
	t, _ := m.Carrier(ctx, bol, "retailer-1234", pkg)
	fmt.Println(loc, t.Code, t.Name, t.URL, t.Carrier.Code)

	// Validate knows that bol needs a location, and names what to add.
	pkg.Warehouse = "BER"
	fmt.Println(mapping.Validate(ctx, m, tracking.Order{ID: "O1", Channel: bol, Store: "retailer-1234", Shipments: []tracking.Shipment{pkg}}))
	// Output:
	// NL-AMS-1 TNT PostNL https://jouw.postnl.nl/track-and-trace/3SDEVC1234567 postnl
	// mapping: bol store "retailer-1234" has no location for warehouse "BER"; add "BER": "<bol location id>" under .channels.bol.stores["retailer-1234"].locations
}
