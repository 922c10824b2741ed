package shopify_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/tracking/carrier"
)

func mustPolicy(t *testing.T, s string) carrier.Policy {
	t.Helper()
	p, err := carrier.ParsePolicy(s)
	require.NoError(t, err)
	return p
}
