package shopify_test

import (
	"bytes"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/shopify"
	"github.com/shopctrl/tracksync/shopify/shopifytest"
)

// The default version is one the fake (like Shopify) still supports, and
// the newest of them; the previous default, 2025-10, retired 12 months
// after its release, falls forward to the oldest supported version, and
// the client says so once per shop.
func TestAPIVersionAgainstTheFake(t *testing.T) {
	require.True(t, slices.IsSorted(shopifytest.DefaultVersions))
	require.Equal(t, shopifytest.DefaultVersions[len(shopifytest.DefaultVersions)-1], shopify.DefaultAPIVersion,
		"DefaultAPIVersion is the newest version the fake supports")

	tests := []struct {
		name      string
		opts      []shopify.Option
		requested string
		served    string
		warned    bool
	}{
		{"default", nil, shopify.DefaultAPIVersion, shopify.DefaultAPIVersion, false},
		{"older but supported", []shopify.Option{shopify.WithAPIVersion("2026-04")}, "2026-04", "2026-04", false},
		{"retired previous default", []shopify.Option{shopify.WithAPIVersion("2025-10")}, "2025-10", shopifytest.DefaultVersions[0], true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := shopifytest.NewServer()
			t.Cleanup(srv.Close)
			srv.AddShop(shopDomain, shopToken)
			var logs bytes.Buffer
			opts := append([]shopify.Option{shopify.WithBaseURL(srv.URL()), shopify.WithLogger(slog.New(slog.NewTextHandler(&logs, nil)))}, tt.opts...)
			c, err := shopify.NewClient(shopDomain, shopToken, opts...)
			require.NoError(t, err)

			for range 2 {
				resp, err := c.Do(t.Context(), `query { shop { name } }`, nil, nil)
				require.NoError(t, err)
				require.Equal(t, tt.served, resp.APIVersion)
			}
			for _, r := range srv.Requests() {
				require.Equal(t, tt.served, r.Version)
			}
			if !tt.warned {
				require.NotContains(t, logs.String(), "served another API version")
				return
			}
			require.Equal(t, 1, strings.Count(logs.String(), "served another API version"), "one warning per shop")
			require.Contains(t, logs.String(), "requested="+tt.requested+" served="+tt.served)
		})
	}
}
