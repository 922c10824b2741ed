package shopify_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/mapping"
	"github.com/shopctrl/tracksync/tracking/carrier"
)

func mustMapping(t *testing.T, e *env) mapping.Resolver {
	t.Helper()
	m, err := mapping.New(mapping.Config{Shopify: map[string]mapping.ShopifyStore{
		shopDomain: {Locations: map[string]string{"AMS": e.ams, "BER": e.ber}},
	}})
	require.NoError(t, err)
	return m
}

func mustPolicy(t *testing.T, s string) carrier.Policy {
	t.Helper()
	p, err := carrier.ParsePolicy(s)
	require.NoError(t, err)
	return p
}
