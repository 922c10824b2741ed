package carrier

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"
)

// testNumber is one entry of testdata/numbers.json.
type testNumber struct {
	Number   string `json:"number"`
	Verified bool   `json:"verified"`
	Error    string `json:"error"`
	Source   string `json:"source"`
}

// testCarrierNumbers are the valid and invalid numbers of one carrier.
type testCarrierNumbers struct {
	Valid   []testNumber `json:"valid"`
	Invalid []testNumber `json:"invalid"`
}

// loadNumbers reads testdata/numbers.json (see testdata/README.md).
func loadNumbers(tb testing.TB) map[string]testCarrierNumbers {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "numbers.json"))
	require.NoError(tb, err)
	var doc struct {
		Carriers map[string]testCarrierNumbers `json:"carriers"`
	}
	require.NoError(tb, json.Unmarshal(raw, &doc))
	require.NotEmpty(tb, doc.Carriers)
	return doc.Carriers
}

// sortedCodes returns the map's keys in order, for deterministic subtests.
func sortedCodes(m map[string]testCarrierNumbers) []string {
	codes := make([]string, 0, len(m))
	for code := range m {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	return codes
}

// mustLookup returns a catalogue carrier or fails the test.
func mustLookup(tb testing.TB, code string) Carrier {
	tb.Helper()
	c, ok := Lookup(code)
	require.True(tb, ok, "carrier %q is not in the catalogue", code)
	return c
}
