package mapping_test

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/mapping"
	"github.com/shopctrl/tracksync/tracking"
)

// FuzzTrackingURLTemplate: a tracking number from the order-management
// system cannot move a configured tracking link to another host or give it
// other query parameters, whatever the number and whatever template Load
// accepts (issue 10, hostile inputs). The reference is the template with
// a plain number.
func FuzzTrackingURLTemplate(f *testing.F) {
	for _, tmpl := range []string{
		"https://track.example.com/?id={number}",
		"https://jouw.postnl.nl/track-and-trace/{number}-NL",
		"https://track.example.com/{number}/details?lang=en&n={number}",
		"https://track.example.com/x#{number}",
	} {
		for _, n := range []string{"fk-1001", "../../evil", "x?y=1&z=2", "@evil.example", "#frag", "a/b", "%2F", " spaced "} {
			f.Add(tmpl, n)
		}
	}
	f.Fuzz(func(t *testing.T, tmpl, number string) {
		cfg, err := json.Marshal(mapping.Config{Shopify: map[string]mapping.ShopifyStore{
			"fuzz.myshopify.com": {Carriers: map[string]mapping.ShopifyCarrier{"bike": {Company: "Fietskoerier", URL: tmpl}}},
		}})
		require.NoError(t, err)
		m, err := mapping.Load(strings.NewReader(string(cfg)))
		if err != nil {
			return // Load refused the template
		}
		link := func(n string) string {
			tr, err := m.ShopifyCarrier(context.Background(), "fuzz.myshopify.com",
				tracking.Shipment{ID: "S1", Carrier: "bike", TrackingNumber: n, ShippedAt: time.Now()})
			require.NoError(t, err)
			return tr.URL
		}
		got := link(number)
		if got == "" {
			return
		}
		want := link("fk1001")
		gu, err := url.Parse(got)
		require.NoError(t, err, "number %q in template %q gave %q", number, tmpl, got)
		wu, err := url.Parse(want)
		require.NoError(t, err)
		require.Equal(t, wu.Scheme+"://"+wu.Host, gu.Scheme+"://"+gu.Host, "number %q moved template %q to another host: %q", number, tmpl, got)
		require.Equal(t, queryKeys(wu), queryKeys(gu), "number %q changed the parameters of template %q: %q", number, tmpl, got)
	})
}

func queryKeys(u *url.URL) []string {
	var keys []string
	for k := range u.Query() {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
