package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestQuickstart(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out))
	text := out.String()
	require.Contains(t, text, "mapping: every warehouse and carrier of the orders is mapped")
	require.Contains(t, text, "https://jouw.postnl.nl/track-and-trace/3SDEVC7654321-NL", "the evening service uses its own mapping")

	runs := strings.Split(text, "\n== run ")
	require.Len(t, runs, 4, text)
	require.Contains(t, runs[1], "1: push: 4 Shopify requests, 1 Amazon calls ==", "read, move, read, create")
	require.Equal(t, 5, strings.Count(runs[1], " pushed "))
	require.Contains(t, runs[1], `failed  the order is invalid: lines[0].quantity: shipments hold 2 units of line "1044-1"; 1 ordered`)
	require.Contains(t, runs[1], "(FULFILLED) now holds:")
	require.Regexp(t, `#1042.3\s+Berlin\s+DHL\s+00340434161094042557`, runs[1])

	require.Contains(t, runs[2], ": 0 Shopify requests, 0 Amazon calls ==")
	require.Equal(t, 5, strings.Count(runs[2], " already_pushed "))

	require.Contains(t, runs[3], ": 1 Shopify requests, 1 Amazon calls ==", "one read, no write")
	require.Equal(t, 5, strings.Count(runs[3], " already_pushed "))
	require.NotContains(t, runs[3], " pushed ")
	require.Contains(t, text, "Shopify holds 3 fulfillments")
}
