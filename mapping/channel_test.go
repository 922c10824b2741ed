package mapping_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/mapping"
	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/carrier"
)

const bol tracking.Channel = "bol"

const retailer = "retailer-1234"

func loadChannels(t testing.TB) *mapping.Static {
	t.Helper()
	return loadFile(t, "testdata/channels.json")
}

func TestLocationOfAnyChannel(t *testing.T) {
	m := loadChannels(t)
	tests := []struct {
		ch              tracking.Channel
		store, wh, want string
	}{
		{bol, retailer, "AMS", "NL-AMS-1"},
		{bol, retailer, "BER", "42"}, // a number in the file
		{"shopify", "Demo-Shop.myshopify.com", "AMS", "gid://shopify/Location/6884"},
	}
	for _, tt := range tests {
		got, err := m.Location(t.Context(), tt.ch, tt.store, tt.wh)
		require.NoError(t, err)
		require.Equal(t, tt.want, got)
	}
}

func TestLocationMissing(t *testing.T) {
	m := loadChannels(t)
	tests := []struct {
		name      string
		ch        tracking.Channel
		store, wh string
		msg       string
	}{
		{"warehouse", bol, retailer, "RTM",
			`mapping: bol store "retailer-1234" has no location for warehouse "RTM"; add "RTM": "<bol location id>" under .channels.bol.stores["retailer-1234"].locations`},
		{"store", bol, "retailer-9", "AMS",
			`mapping: bol store "retailer-9" has no location for warehouse "AMS"; add "AMS": "<bol location id>" under .channels.bol.stores["retailer-9"].locations`},
		{"channel without a section", "otto", "S", "AMS",
			`mapping: otto store "S" has no location for warehouse "AMS"; add "AMS": "<otto location id>" under .channels.otto.stores.S.locations`},
		{"shopify, as ShopifyLocation", "shopify", "demo-shop.myshopify.com", "RTM",
			`mapping: shopify store "demo-shop.myshopify.com" has no location for warehouse "RTM"; add "RTM": "gid://shopify/Location/<id>" under .shopify["demo-shop.myshopify.com"].locations`},
		{"amazon takes none", "amazon", "A2EXAMPLESELLER", "AMS",
			`mapping: amazon store "A2EXAMPLESELLER" has no location for warehouse "AMS" (the amazon section maps no warehouses: Amazon confirmations take no location)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := m.Location(t.Context(), tt.ch, tt.store, tt.wh)
			var missing *mapping.MissingError
			require.ErrorAs(t, err, &missing)
			require.ErrorIs(t, err, mapping.ErrNotMapped)
			require.Equal(t, mapping.KindLocation, missing.Kind)
			require.Equal(t, tt.ch, missing.Channel)
			require.False(t, missing.Retryable(), "a missing mapping stays missing until configured")
			require.EqualError(t, err, tt.msg)
		})
	}
}

func TestCarrierOfAnyChannel(t *testing.T) {
	m := loadChannels(t)
	dhl, _ := carrier.Lookup("dhl-parcel")
	postnl, _ := carrier.Lookup("postnl")
	ups, _ := carrier.Lookup("ups")
	const dhlNo, postnlNo, upsNo = "JVGL0123456789", "3SDEVC1234567", "1Z999AA10123456784"
	withURL := func(s tracking.Shipment, url string) tracking.Shipment { s.TrackingURL = url; return s }
	tests := []struct {
		name  string
		ch    tracking.Channel
		store string
		sh    tracking.Shipment
		want  mapping.ChannelTracking
	}{
		{"entry naming a catalogue carrier", bol, retailer, ship("own-dhl", "", dhlNo),
			mapping.ChannelTracking{Code: "DHLFORYOU", Name: dhl.Name, URL: dhl.TrackingURL(dhlNo), Carrier: dhl}},
		{"code entry over the catalogue", bol, retailer, ship("postnl", "standard", postnlNo),
			mapping.ChannelTracking{Code: "TNT", Name: postnl.Name, Service: "standard", URL: postnl.TrackingURL(postnlNo), Carrier: postnl}},
		{"service entry beats the code entry", bol, retailer, ship("postnl", "evening", postnlNo),
			mapping.ChannelTracking{Code: "TNT-EVENING", Name: postnl.Name, Service: "Avondlevering", URL: postnl.TrackingURL(postnlNo), Carrier: postnl}},
		{"own carrier with template, escaped", bol, retailer, ship("bike", "", "ab 12&x=1"),
			mapping.ChannelTracking{Code: "OTHER", Name: "Fietskoerier", URL: "https://track.example.com/?id=ab+12%26x%3D1"}},
		{"catalogue carrier without entry: the exporter picks the code", bol, retailer, ship("ups", "", upsNo),
			mapping.ChannelTracking{Name: ups.Name, URL: ups.TrackingURL(upsNo), Carrier: ups}},
		{"unmapped store still gets catalogue defaults", bol, "retailer-9", ship("ups", "", upsNo),
			mapping.ChannelTracking{Name: ups.Name, URL: ups.TrackingURL(upsNo), Carrier: ups}},
		{"host URL wins", bol, retailer, withURL(ship("ups", "", upsNo), "https://example.com/t/1"),
			mapping.ChannelTracking{Name: ups.Name, URL: "https://example.com/t/1", Carrier: ups}},
		{"no number yet: no URL", bol, retailer, ship("ups", "", ""),
			mapping.ChannelTracking{Name: ups.Name, Carrier: ups}},
		{"no carrier yet: nothing", bol, retailer, ship("", "", ""), mapping.ChannelTracking{}},
		{"name only", "woocommerce", "shop.example.com", ship("bike", "", "B-1"),
			mapping.ChannelTracking{Name: "Fietskoerier"}},
		{"shopify, as ShopifyCarrier", "shopify", "demo-shop.myshopify.com", ship("bike", "", "B-1"),
			mapping.ChannelTracking{Code: "Fietskoerier", Name: "Fietskoerier", URL: "https://track.example.com/?id=B-1"}},
		{"amazon, as AmazonCarrier", "amazon", "A2EXAMPLESELLER/A1PA6795UKMFR9", ship("bike", "", "B-1"),
			mapping.ChannelTracking{Code: "Other", Name: "Fietskoerier", Service: "Same day"}},
		{"amazon, catalogue code", "amazon", "A2EXAMPLESELLER", ship("ups", "", upsNo),
			mapping.ChannelTracking{Code: ups.AmazonCode, Name: ups.Name, URL: ups.TrackingURL(upsNo), Carrier: ups}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := m.Carrier(t.Context(), tt.ch, tt.store, tt.sh)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestCarrierMissing(t *testing.T) {
	m := loadChannels(t)
	tests := []struct {
		name  string
		ch    tracking.Channel
		store string
		code  string
		msg   string
	}{
		{"unknown to the catalogue", bol, retailer, "koerier-x",
			`mapping: bol store "retailer-1234" has no carrier "koerier-x" ("koerier-x" is not in the carrier catalogue); add "koerier-x": {"code": "<bol carrier code>", "name": "<carrier name>"} under .channels.bol.stores["retailer-1234"].carriers`},
		{"catch-all is never a default", bol, retailer, "other",
			`("other" is not in the carrier catalogue)`},
		{"another store's entry does not apply", "woocommerce", "other.example.com", "bike",
			`under .channels.woocommerce.stores["other.example.com"].carriers`},
		{"shopify, as ShopifyCarrier", "shopify", "demo-shop.myshopify.com", "koerier-x",
			`under .shopify["demo-shop.myshopify.com"].carriers`},
		{"amazon, as AmazonCarrier", "amazon", "A2EXAMPLESELLER", "koerier-x",
			`under .amazon.A2EXAMPLESELLER.carriers`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := m.Carrier(t.Context(), tt.ch, tt.store, ship(tt.code, "", "X1"))
			require.Zero(t, got)
			var missing *mapping.MissingError
			require.ErrorAs(t, err, &missing)
			require.Equal(t, mapping.KindCarrier, missing.Kind)
			require.Equal(t, tt.ch, missing.Channel)
			require.Equal(t, tt.code, missing.Key)
			require.ErrorContains(t, err, tt.msg)
		})
	}
}

func TestValidateEveryChannel(t *testing.T) {
	m := loadChannels(t)
	withWarehouse := func(s tracking.Shipment, wh string) tracking.Shipment { s.Warehouse = wh; return s }
	orders := []tracking.Order{
		{ID: "1", Channel: bol, Store: retailer, Shipments: []tracking.Shipment{
			ship("own-dhl", "", "JVGL0123456789"),             // all mapped
			withWarehouse(ship("koerier-x", "", "K1"), "RTM"), // both missing
			withWarehouse(ship("", "", ""), "LON"),            // no carrier yet: only the location
		}},
		{ID: "2", Channel: "woocommerce", Store: "shop.example.com", Shipments: []tracking.Shipment{
			withWarehouse(ship("bike", "", "B1"), "NOWHERE"), // woocommerce requires no location
			ship("koerier-y", "", "Y1"),
		}},
		{ID: "3", Channel: "shopify", Store: shop, Shipments: []tracking.Shipment{withWarehouse(ship("bike", "", "B1"), "RTM")}},
	}
	err := mapping.Validate(t.Context(), m, orders...)
	require.ErrorIs(t, err, mapping.ErrNotMapped)
	require.Equal(t, []string{
		"bol location RTM", "bol carrier koerier-x", "bol location LON",
		"woocommerce carrier koerier-y",
		"shopify location RTM",
	}, missingKeys(t, err))

	require.NoError(t, m.CheckShipment(t.Context(), bol, retailer, ship("own-dhl", "", "JVGL0123456789")))
}

// A host's own Resolver is checked through ResolverChecker as Validate
// checked it before channels had mappings of their own.
func TestValidateWithResolverChecker(t *testing.T) {
	var r mapping.Resolver = load(t)
	orders := []tracking.Order{
		{ID: "1", Channel: "shopify", Store: shop, Shipments: []tracking.Shipment{
			func() tracking.Shipment { s := ship("koerier-x", "", "K1"); s.Warehouse = "RTM"; return s }(),
		}},
		{ID: "2", Channel: "amazon", Store: seller, Shipments: []tracking.Shipment{ship("koerier-y", "", "Y1"), ship("", "", "")}},
		{ID: "3", Channel: bol, Store: retailer, Shipments: []tracking.Shipment{ship("koerier-z", "", "Z1")}}, // a Resolver maps no bol
	}
	err := mapping.Validate(t.Context(), mapping.ResolverChecker(r), orders...)
	require.Equal(t, []string{"shopify location RTM", "shopify carrier koerier-x", "amazon carrier koerier-y"}, missingKeys(t, err))
}

// missingKeys lists the "channel kind key" of every *MissingError in err.
func missingKeys(t *testing.T, err error) []string {
	t.Helper()
	joined, ok := err.(interface{ Unwrap() []error })
	require.True(t, ok, "want joined errors, got %v", err)
	var got []string
	for _, e := range joined.Unwrap() {
		var missing *mapping.MissingError
		require.ErrorAs(t, e, &missing)
		got = append(got, string(missing.Channel)+" "+string(missing.Kind)+" "+missing.Key)
	}
	return got
}

func TestLoadChannelsStrictErrors(t *testing.T) {
	tests := []struct {
		name string
		json string
		want []string
	}{
		{"unknown channel field", `{"channels": {"bol": {"store": {}}}}`, []string{`1: .channels.bol.store: unknown field "store"; want one of ["require_location" "stores"]`}},
		{"unknown store field", "{\"channels\": {\"bol\": {\"stores\": {\"R\": {\n\"location\": {}}}}}}", []string{`2: .channels.bol.stores.R.location: unknown field "location"; want one of ["locations" "carriers"]`}},
		{"unknown carrier field", `{"channels": {"bol": {"stores": {"R": {"carriers": {"x": {"code": "TNT", "company": "a"}}}}}}}`, []string{`.channels.bol.stores.R.carriers.x.company: unknown field`}},
		{"require_location not a boolean", `{"channels": {"bol": {"require_location": "yes"}}}`, []string{`.channels.bol.require_location: want true or false, got string`}},
		{"wrong type: location", `{"channels": {"bol": {"stores": {"R": {"locations": {"AMS": null}}}}}}`, []string{`.channels.bol.stores.R.locations.AMS: want a location id (a string or a number), got null`}},
		{"empty location id and warehouse", `{"channels": {"bol": {"stores": {"R": {"locations": {"AMS": " ", "": "X"}}}}}}`,
			[]string{`.channels.bol.stores.R.locations[""]: the warehouse code is empty`, `.channels.bol.stores.R.locations.AMS: the location id is empty`}},
		{"empty or padded store", `{"channels": {"bol": {"stores": {" ": {}, "R ": {}}}}}`,
			[]string{`.channels.bol.stores[" "]: want the store as orders spell it`, `.channels.bol.stores["R "]: want the store as orders spell it`}},
		{"channels with sections of their own", `{"channels": {"shopify": {}, "amazon": {}}}`,
			[]string{`.channels.amazon: amazon has a section of its own: move this to the top-level "amazon"`, `.channels.shopify: shopify has a section of its own`}},
		{"not channel names", `{"channels": {"": {}, "*": {}, " bol": {}, "Bol": {}}}`,
			[]string{`.channels[""]: want a channel name`, `.channels[" bol"]: want a channel name`, `.channels["*"]: want a channel name`, `.channels.Bol: want a channel name as orders and the channel's exporter spell it`}},
		{"entry naming no carrier", `{"channels": {"bol": {"stores": {"R": {"carriers": {"x": {"service": "s"}}}}}}}`,
			[]string{`.channels.bol.stores.R.carriers.x: nothing says which carrier this is`}},
		{"catalogue carrier needs nothing more", `{"channels": {"bol": {"stores": {"R": {"carriers": {"x": {"carrier": "ups", "url": "http://t.example/{number}"}}}}}}}`,
			[]string{`.channels.bol.stores.R.carriers.x.url: "http://t.example/{number}" is not an https URL`}},
		{"number in the host", `{"channels": {"bol": {"stores": {"R": {"carriers": {"x": {"carrier": "ups", "url": "https://{number}/track"}}}}}}}`,
			[]string{`.channels.bol.stores.R.carriers.x.url: "https://{number}/track" puts {number} in the host; it may stand only in the path or the query`}},
		{"unknown catalogue carrier and bad keys", `{"channels": {"bol": {"stores": {"R": {"carriers": {"x": {"carrier": "dhl-mars"}, "a/b/c": {"code": "A"}}}}}}}`,
			[]string{`.channels.bol.stores.R.carriers["a/b/c"]: want a host carrier code`, `.channels.bol.stores.R.carriers.x.carrier: unknown catalogue carrier "dhl-mars"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { requireConfigErrors(t, tt.json, tt.want) })
	}
}

func TestNewChecksChannelsBuiltInCode(t *testing.T) {
	_, err := mapping.New(mapping.Config{Channels: map[string]mapping.ChannelConfig{
		"bol": {Stores: map[string]mapping.ChannelStore{"R": {Carriers: map[string]mapping.ChannelCarrier{"x": {}}}}},
	}})
	require.ErrorIs(t, err, mapping.ErrInvalidConfig)
	require.ErrorContains(t, err, `mapping: .channels.bol.stores.R.carriers.x: nothing says which carrier this is`)

	locations := map[string]string{"AMS": "L1"}
	m, err := mapping.New(mapping.Config{Channels: map[string]mapping.ChannelConfig{
		"bol": {Stores: map[string]mapping.ChannelStore{"R": {Locations: locations}}},
	}})
	require.NoError(t, err)
	locations["AMS"] = "" // the Static keeps what New checked
	loc, err := m.Location(t.Context(), bol, "R", "AMS")
	require.NoError(t, err)
	require.Equal(t, "L1", loc)
}
