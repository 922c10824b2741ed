package mapping_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/mapping"
	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/carrier"
)

const (
	shop   = "demo-shop.myshopify.com"
	seller = "A2EXAMPLESELLER/A1PA6795UKMFR9"
)

func load(t testing.TB) *mapping.Static {
	t.Helper()
	return loadFile(t, "testdata/mapping.json")
}

func loadFile(t testing.TB, path string) *mapping.Static {
	t.Helper()
	m, err := mapping.LoadFile(path)
	require.NoError(t, err)
	return m
}

func ship(carrierCode, service, number string) tracking.Shipment {
	return tracking.Shipment{ID: "S1", Warehouse: "AMS", Carrier: carrierCode, Service: service, TrackingNumber: number,
		ShippedAt: time.Unix(1, 0), Items: []tracking.Item{{LineID: "L1", Quantity: 1}}}
}

func TestShopifyLocation(t *testing.T) {
	m := load(t)
	ctx := t.Context()
	tests := []struct {
		store, warehouse, want string
	}{
		{shop, "AMS", "gid://shopify/Location/6884"},
		{shop, "BER", "gid://shopify/Location/6885"}, // a bare number in the file
		{"DEMO-SHOP.MYSHOPIFY.COM", "AMS", "gid://shopify/Location/6884"},
	}
	for _, tt := range tests {
		got, err := m.ShopifyLocation(ctx, tt.store, tt.warehouse)
		require.NoError(t, err)
		require.Equal(t, tt.want, got)
	}

	_, err := m.ShopifyLocation(ctx, shop, "RTM")
	var missing *mapping.MissingError
	require.ErrorAs(t, err, &missing)
	require.ErrorIs(t, err, mapping.ErrNotMapped)
	require.Equal(t, mapping.MissingError{Store: shop, Channel: tracking.Channel("shopify"), Kind: mapping.KindLocation, Key: "RTM",
		Hint: `"RTM": "gid://shopify/Location/<id>" under .shopify["Demo-Shop.myshopify.com"].locations`}, *missing)
	require.EqualError(t, err, `mapping: shopify store "demo-shop.myshopify.com" has no location for warehouse "RTM"; add "RTM": "gid://shopify/Location/<id>" under .shopify["Demo-Shop.myshopify.com"].locations`)

	_, err = m.ShopifyLocation(ctx, "other-shop.myshopify.com", "AMS")
	require.ErrorIs(t, err, mapping.ErrNotMapped)
	require.ErrorContains(t, err, `under .shopify["other-shop.myshopify.com"].locations`)
}

func TestShopifyCarrierPrecedence(t *testing.T) {
	m := load(t)
	ups, _ := carrier.Lookup("ups")
	postnl, _ := carrier.Lookup("postnl")
	dhl, _ := carrier.Lookup("dhl-express")
	tests := []struct {
		name     string
		shipment tracking.Shipment
		company  string
		url      string
		catalog  string
	}{
		{"catalogue default", ship("ups", "", "1Z999AA10123456784"), ups.ShopifyCompany, ups.TrackingURL("1Z999AA10123456784"), "ups"},
		{"catalogue default, service without mapping", ship("postnl", "standard", "3SDEVC1234567"), postnl.ShopifyCompany, postnl.TrackingURL("3SDEVC1234567"), "postnl"},
		{"path placeholder is path-escaped", ship("postnl", "evening", "3S/../x?y"), "PostNL", "https://jouw.postnl.nl/track-and-trace/3S%2F..%2Fx%3Fy-NL", "postnl"},
		{"service mapping beats the default", ship("postnl", "evening", "3SDEVC1234567"), "PostNL", "https://jouw.postnl.nl/track-and-trace/3SDEVC1234567-NL", "postnl"},
		{"entry naming a catalogue carrier", ship("own-dhl", "", "1234567890"), dhl.ShopifyCompany, dhl.TrackingURL("1234567890"), "dhl-express"},
		{"own company with template, escaped", ship("bike", "", "ab 12&x=1"), "Fietskoerier", "https://track.example.com/parcel?id=ab+12%26x%3D1&lang=nl", ""},
		{"host override wins", func() tracking.Shipment {
			s := ship("ups", "", "1Z999AA10123456784")
			s.TrackingURL = "https://example.com/t/1"
			return s
		}(), ups.ShopifyCompany, "https://example.com/t/1", "ups"},
		{"no number yet: no URL", ship("ups", "", ""), ups.ShopifyCompany, "", "ups"},
		{"no carrier yet: nothing", ship("", "", ""), "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := m.ShopifyCarrier(t.Context(), shop, tt.shipment)
			require.NoError(t, err)
			require.Equal(t, tt.company, got.Company)
			require.Equal(t, tt.url, got.URL)
			require.Equal(t, tt.catalog, got.Carrier.Code)
		})
	}
	require.NotEmpty(t, ups.ShopifyCompany, "the catalogue names UPS for Shopify")
}

func TestShopifyCarrierMissing(t *testing.T) {
	m := load(t)
	tests := []struct {
		name, code, reason string
	}{
		{"unknown to the catalogue", "koerier-x", `"koerier-x" is not in the carrier catalogue`},
		{"catch-all is never a default", "other", `"other" is not in the carrier catalogue`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := m.ShopifyCarrier(t.Context(), shop, ship(tt.code, "", "X1"))
			var missing *mapping.MissingError
			require.ErrorAs(t, err, &missing)
			require.Equal(t, mapping.KindCarrier, missing.Kind)
			require.Equal(t, tt.code, missing.Key)
			require.Equal(t, tt.reason, missing.Reason)
			require.Contains(t, missing.Hint, `{"company": "<Shopify tracking company>", "url": "https://…{number}"} under .shopify["Demo-Shop.myshopify.com"].carriers`)
		})
	}
	// Catalogue carriers that Shopify has no company for must be mapped too.
	for _, c := range carrier.All() {
		if c.ShopifyCompany != "" || c.Code == "other" {
			continue
		}
		_, err := m.ShopifyCarrier(t.Context(), shop, ship(c.Code, "", "X1"))
		require.ErrorIs(t, err, mapping.ErrNotMapped, c.Code)
		require.ErrorContains(t, err, "Shopify has no tracking company for "+c.Name)
	}
}

func TestAmazonCarrier(t *testing.T) {
	m := load(t)
	ups, _ := carrier.Lookup("ups")
	tests := []struct {
		name, store string
		shipment    tracking.Shipment
		want        mapping.AmazonTracking
	}{
		{"catalogue code, service as shipping method", seller, ship("ups", "standard", "1Z999AA10123456784"),
			mapping.AmazonTracking{CarrierCode: ups.AmazonCode, ShippingMethod: "standard", URL: ups.TrackingURL("1Z999AA10123456784"), Carrier: ups}},
		{"service entry of the seller", seller, ship("ups", "express", "1Z999AA10123456784"),
			mapping.AmazonTracking{CarrierCode: ups.AmazonCode, ShippingMethod: "UPS Express Saver", URL: ups.TrackingURL("1Z999AA10123456784"), Carrier: ups}},
		{"Other with a name, seller-wide", seller, ship("bike", "", "B-1"),
			mapping.AmazonTracking{CarrierCode: "Other", CarrierName: "Fietskoerier", ShippingMethod: "Same day"}},
		{"marketplace entry beats the seller's", "A2EXAMPLESELLER/A1805IZSGTT6HS", ship("bike", "", "B-1"),
			mapping.AmazonTracking{CarrierCode: "Other", CarrierName: "Fietskoerier NL"}},
		{"unmapped store still gets catalogue defaults", "OTHERSELLER/A1PA6795UKMFR9", ship("ups", "", "1Z999AA10123456784"),
			mapping.AmazonTracking{CarrierCode: ups.AmazonCode, URL: ups.TrackingURL("1Z999AA10123456784"), Carrier: ups}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := m.AmazonCarrier(t.Context(), tt.store, tt.shipment)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
	// A catalogue carrier without an Amazon code goes as "Other" with its name.
	for _, c := range carrier.All() {
		if c.AmazonCode != "" || c.Code == "other" {
			continue
		}
		got, err := m.AmazonCarrier(t.Context(), seller, ship(c.Code, "", "X1"))
		require.NoError(t, err)
		require.Equal(t, "Other", got.CarrierCode, c.Code)
		require.Equal(t, c.Name, got.CarrierName)
	}

	_, err := m.AmazonCarrier(t.Context(), seller, ship("koerier-x", "", "X1"))
	require.ErrorIs(t, err, mapping.ErrNotMapped)
	require.ErrorContains(t, err, `add "koerier-x": {"code": "<Amazon carrierCode>"} or {"code": "Other", "name": "<carrier name>"} under .amazon.A2EXAMPLESELLER.carriers`)
}

func TestValidateReportsEveryMissingMappingOnce(t *testing.T) {
	m := load(t)
	shopOrder := tracking.Order{ID: "1", Channel: tracking.Channel("shopify"), Store: shop, Shipments: []tracking.Shipment{
		ship("ups", "", "1Z999AA10123456784"),
		func() tracking.Shipment { s := ship("koerier-x", "", "K1"); s.Warehouse = "RTM"; return s }(),
		func() tracking.Shipment { s := ship("koerier-x", "", "K2"); s.Warehouse = "RTM"; return s }(), // same gaps again
	}}
	amazonOrder := tracking.Order{ID: "2", Channel: tracking.Channel("amazon"), Store: seller, Shipments: []tracking.Shipment{
		ship("koerier-y", "", "Y1"),
		ship("", "", ""), // not handed to a carrier yet
	}}
	err := mapping.Validate(t.Context(), m, shopOrder, amazonOrder)
	joined, ok := err.(interface{ Unwrap() []error })
	require.True(t, ok)
	var got []string
	for _, e := range joined.Unwrap() {
		var missing *mapping.MissingError
		require.ErrorAs(t, e, &missing)
		got = append(got, fmt.Sprintf("%s %s %s", missing.Channel, missing.Kind, missing.Key))
	}
	require.Equal(t, []string{"shopify location RTM", "shopify carrier koerier-x", "amazon carrier koerier-y"}, got)
	require.NoError(t, mapping.Validate(t.Context(), m, tracking.Order{Channel: tracking.Channel("shopify"), Store: shop, Shipments: []tracking.Shipment{ship("ups", "", "1Z")}}))

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	require.ErrorIs(t, mapping.Validate(ctx, m, shopOrder), context.Canceled)
}

func TestLoadStrictErrors(t *testing.T) {
	tests := []struct {
		name string
		json string
		want []string // "line: path: problem" fragments, in order
	}{
		{"unknown top-level field", `{"shopfy": {}}`, []string{`1: .shopfy: unknown field "shopfy"`}},
		{"unknown store field", "{\"shopify\": {\"a.myshopify.com\": {\n\"location\": {}}}}", []string{`2: .shopify["a.myshopify.com"].location: unknown field "location"; want one of ["locations" "carriers"]`}},
		{"unknown carrier field", `{"amazon": {"S": {"carriers": {"x": {"code": "UPS", "method": "a"}}}}}`, []string{`.amazon.S.carriers.x.method: unknown field`}},
		{"wrong type: store", `{"shopify": []}`, []string{`1: .shopify: want an object, got array`}},
		{"wrong type: location", "{\"shopify\": {\"a\": {\"locations\": {\n\n\"AMS\": true}}}}", []string{`3: .shopify.a.locations.AMS: want a location id ("gid://shopify/Location/<n>" or a number), got boolean`}},
		{"wrong type: company", `{"shopify": {"a": {"carriers": {"x": {"company": 5}}}}}`, []string{`.shopify.a.carriers.x.company: want a string, got number`}},
		{"bad location ids", "{\"shopify\": {\"a\": {\"locations\": {\n\"A\": \"gid://shopify/Product/1\",\n\"B\": 0,\n\"C\": 1.5,\n\"D\": \"-3\",\n\"E\": \"\"}}}}",
			[]string{`2: .shopify.a.locations.A: "gid://shopify/Product/1" is not a Shopify location id`, `3: .shopify.a.locations.B: "0" is not`, `4: .shopify.a.locations.C: "1.5" is not`, `5: .shopify.a.locations.D`, `6: .shopify.a.locations.E`}},
		{"url templates", "{\"shopify\": {\"a\": {\"carriers\": {\n\"w\": {\"company\": \"W\", \"url\": \"http://t.example/{number}\"},\n\"x\": {\"company\": \"X\", \"url\": \"https://t.example/track\"},\n\"y\": {\"company\": \"Y\", \"url\": \"https://t.example/{id}/{number}\"},\n\"z\": {\"company\": \"Z\", \"url\": \"https:///{number}\"}}}}}",
			[]string{`2: .shopify.a.carriers.w.url: "http://t.example/{number}" is not an https URL`, `3: .shopify.a.carriers.x.url: "https://t.example/track" lacks the {number} placeholder`, `4: .shopify.a.carriers.y.url: "https://t.example/{id}/{number}" has a placeholder other than {number}`, `5: .shopify.a.carriers.z.url: "https:///{number}" needs a host`}},
		{"unknown company without url", `{"shopify": {"a": {"carriers": {"x": {"company": "Koerier"}}}}}`, []string{`.shopify.a.carriers.x: company "Koerier" is not one Shopify links by itself: set "url"`}},
		{"carrier without company", `{"shopify": {"a": {"carriers": {"x": {}}}}}`, []string{`.shopify.a.carriers.x: no Shopify company: set "company" (and "url")`}},
		{"unknown catalogue carrier", `{"shopify": {"a": {"carriers": {"x": {"carrier": "dhl-mars"}}}}}`, []string{`.shopify.a.carriers.x.carrier: unknown catalogue carrier "dhl-mars"`}},
		{"bad carrier keys", `{"amazon": {"S": {"carriers": {"/x": {"code": "UPS"}, "ups/": {"code": "UPS"}, "a/b/c": {"code": "UPS"}}}}}`,
			[]string{`.amazon.S.carriers["/x"]: want a host carrier code`, `.amazon.S.carriers["a/b/c"]: want`, `.amazon.S.carriers["ups/"]: want`}},
		{"Other without name", `{"amazon": {"S": {"carriers": {"x": {"code": "Other"}}}}}`, []string{`.amazon.S.carriers.x: code "Other" needs "name"`}},
		{"no amazon code", `{"amazon": {"S": {"carriers": {"x": {"shipping_method": "a"}}}}}`, []string{`.amazon.S.carriers.x: no Amazon carrier`}},
		{"bad amazon store", `{"amazon": {"S/": {}, "/M": {}, "S/M/X": {}}}`, []string{`.amazon["/M"]: want "sellerID"`, `.amazon["S/"]: want`, `.amazon["S/M/X"]: want`}},
		{"same shop twice", `{"shopify": {"a.myshopify.com": {}, "A.myshopify.com": {}}}`, []string{`.shopify["a.myshopify.com"]: the same shop as "A.myshopify.com"`}},
		{"duplicate key", "{\"shopify\": {\n\"a\": {},\n\"a\": {}}}", []string{`3: duplicate key "a" (first on line 2)`}},
		{"syntax error", "{\"shopify\": {\n\"a\": {,}}}", []string{`2: invalid JSON`}},
		{"truncated", `{"shopify": {`, []string{`unexpected end of input`}},
		{"trailing data", `{} {}`, []string{`unexpected data after the top-level object`}},
		{"not an object", `[1]`, []string{`1: .: want an object, got array`}},
		{"empty", ``, []string{`unexpected end of input`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { requireConfigErrors(t, tt.json, tt.want) })
	}
}

// requireConfigErrors loads data and requires one *ConfigError per want
// fragment, in order.
func requireConfigErrors(t *testing.T, data string, want []string) {
	t.Helper()
	_, err := mapping.Load(strings.NewReader(data))
	require.ErrorIs(t, err, mapping.ErrInvalidConfig)
	var all []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		all = j.Unwrap()
	} else {
		all = []error{err}
	}
	require.Len(t, all, len(want), err.Error())
	for i, e := range all {
		var ce *mapping.ConfigError
		require.ErrorAs(t, e, &ce)
		require.Contains(t, e.Error(), want[i])
	}
}

func TestLoadFileNamesTheFile(t *testing.T) {
	path := t.TempDir() + "/bad.json"
	require.NoError(t, writeFile(path, "{\n\"amazon\": {\"S\": {\"carriers\": {\"x\": {\"code\": \"Other\"}}}}}"))
	_, err := mapping.LoadFile(path)
	require.ErrorContains(t, err, "mapping: "+path+":2: .amazon.S.carriers.x: code \"Other\" needs \"name\"")
	_, err = mapping.LoadFile(t.TempDir() + "/missing.json")
	require.Error(t, err)
	require.False(t, errors.Is(err, mapping.ErrInvalidConfig))
}

func TestNewChecksConfigsBuiltInCode(t *testing.T) {
	_, err := mapping.New(mapping.Config{Shopify: map[string]mapping.ShopifyStore{
		"a.myshopify.com": {Locations: map[string]string{"AMS": "12", "": "13"}},
	}})
	require.ErrorIs(t, err, mapping.ErrInvalidConfig)
	require.ErrorContains(t, err, `mapping: .shopify["a.myshopify.com"].locations[""]: the warehouse code is empty`)

	m, err := mapping.New(mapping.Config{Shopify: map[string]mapping.ShopifyStore{"a.myshopify.com": {Locations: map[string]string{"AMS": "12"}}}})
	require.NoError(t, err)
	gid, err := m.ShopifyLocation(t.Context(), "a.myshopify.com", "AMS")
	require.NoError(t, err)
	require.Equal(t, "gid://shopify/Location/12", gid)
}

func TestStaticIsSafeForConcurrentUse(t *testing.T) {
	m := load(t)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			for range 100 {
				_, err := m.ShopifyLocation(t.Context(), shop, "AMS")
				require.NoError(t, err)
				_, err = m.AmazonCarrier(t.Context(), seller, ship("bike", "", fmt.Sprint(i)))
				require.NoError(t, err)
			}
		})
	}
	wg.Wait()
}

func FuzzLoad(f *testing.F) {
	f.Add([]byte(`{"shopify": {"a": {"locations": {"A": 1}, "carriers": {"x": {"company": "X", "url": "https://x/{number}"}}}}}`))
	f.Add([]byte(`{"amazon": {"S/M": {"carriers": {"x/y": {"code": "Other", "name": "n"}}}}}`))
	f.Add([]byte(`{"channels": {"bol": {"require_location": true, "stores": {"a": {"locations": {"A": "L"}, "carriers": {"x/y": {"code": "C", "url": "https://x/?n={number}"}}}}}}}`))
	f.Add([]byte(`{"shopify": {"a": {"a": {"a": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := mapping.Load(strings.NewReader(string(data)))
		if err != nil {
			require.ErrorIs(t, err, mapping.ErrInvalidConfig)
			return
		}
		// Whatever loaded must resolve without panicking.
		_, _ = m.ShopifyLocation(t.Context(), "a", "A")
		_, _ = m.ShopifyCarrier(t.Context(), "a", ship("x", "y", "1"))
		_, _ = m.AmazonCarrier(t.Context(), "S/M", ship("x", "y", "1"))
		_, _ = m.Location(t.Context(), "bol", "a", "A")
		_, _ = m.Carrier(t.Context(), "bol", "a", ship("x", "y", "1"))
		_ = m.CheckShipment(t.Context(), "bol", "a", ship("x", "y", "1"))
	})
}
