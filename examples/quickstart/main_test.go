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
	first, second, ok := strings.Cut(out.String(), "== run 2")
	require.True(t, ok, out.String())

	require.Contains(t, first, "mapping: every warehouse and carrier of the orders is mapped")
	require.Contains(t, first, "https://jouw.postnl.nl/track-and-trace/3SDEVC7654321-NL", "the evening service uses its own mapping")
	require.Contains(t, first, "== run 1: 2 exporter calls ==")
	require.Equal(t, 5, strings.Count(first, " pushed "))
	require.Contains(t, first, `failed  the order is invalid: lines[0].quantity: shipments hold 2 units of line "1044-1"; 1 ordered`)

	require.Contains(t, second, ": 0 exporter calls ==")
	require.Equal(t, 5, strings.Count(second, " already_pushed "))
	require.NotContains(t, second, " pushed ")
}
