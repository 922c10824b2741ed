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
