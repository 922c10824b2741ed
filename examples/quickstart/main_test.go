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
	require.Contains(t, runs[1], "1: push: 4 Shopify requests, 4 SP-API requests ==", "Shopify: read, move, read, create; Amazon: token, three confirmations (no read: a repeat is an edit)")
	require.Equal(t, 6, strings.Count(runs[1], " pushed "))
	require.Contains(t, runs[1], `failed  the order is invalid: lines[0].quantity: shipments hold 2 units of line "1044-1"; 1 ordered`)
	require.Contains(t, runs[1], "(FULFILLED) now holds:")
	require.Regexp(t, `#1042.3\s+Berlin\s+DHL\s+00340434161094042557`, runs[1])
	// Amazon received the packages in order of dispatch, not as listed.
	require.Regexp(t, `(?s)DHL-Paket .*00340434161094042564.*\n.*UPS .*1Z999AA10123456784.*\n.*Other / Fietskoerier Amsterdam\s+Same day\s+FK-20261124-7`, runs[1])

	require.Contains(t, runs[2], ": 0 Shopify requests, 0 SP-API requests ==")
	require.Equal(t, 6, strings.Count(runs[2], " already_pushed "))

	// With the ledger lost, Shopify reads and finds every package; Amazon
	// confirms again under the same package references: edits, not new
	// packages (the last line checks Amazon still holds 3).
	require.Contains(t, runs[3], ": 2 Shopify requests, 3 SP-API requests ==", "Shopify: the read and the items of the fulfillments whose numbers match (never matched by number alone); Amazon: three edits")
	require.Equal(t, 3, strings.Count(runs[3], " already_pushed "))
	require.Equal(t, 3, strings.Count(runs[3], " pushed "))
	require.Contains(t, text, "Shopify holds 3 fulfillments")
	require.Contains(t, text, "Amazon 3 packages")
}
