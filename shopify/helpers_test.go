package shopify_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/mapping"
	"github.com/shopctrl/tracksync/shopify"
	"github.com/shopctrl/tracksync/tracking/carrier"
)

func mustMapping(t *testing.T, e *env) *mapping.Static {
	t.Helper()
	m, err := mapping.New(mapping.Config{Shopify: map[string]mapping.ShopifyStore{
		shopDomain: {Locations: map[string]string{"AMS": e.ams, "BER": e.ber}},
	}})
	require.NoError(t, err)
	return m
}

var eachShipment = shopify.WithEachShipment()

// newExporterWith is an exporter for e's shop with its own warehouse map.
func newExporterWith(t *testing.T, e *env, warehouses map[string]string, opts ...shopify.ExporterOption) *shopify.Exporter {
	t.Helper()
	m, err := mapping.New(mapping.Config{Shopify: map[string]mapping.ShopifyStore{shopDomain: {Locations: warehouses}}})
	require.NoError(t, err)
	exp, err := shopify.NewExporter(e.clients, m, opts...)
	require.NoError(t, err)
	return exp
}

func mustPolicy(t *testing.T, s string) carrier.Policy {
	t.Helper()
	p, err := carrier.ParsePolicy(s)
	require.NoError(t, err)
	return p
}
