package carrier

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// requiredCodes are the carrier codes other packages rely on.
var requiredCodes = []string{
	"ups", "fedex", "usps", "dhl-express", "dhl-paket", "dhl-parcel", "dhl-ecommerce",
	"postnl", "dpd", "gls", "royal-mail", "bpost", "colissimo", "hermes", "evri",
	"budbee", "amazon-logistics", "canada-post", "australia-post", "deutsche-post",
	"la-poste", "poste-italiane", "correos", "ontrac", "other",
}

func TestRequiredCodesExist(t *testing.T) {
	for _, code := range requiredCodes {
		c, ok := Lookup(code)
		require.True(t, ok, code)
		require.Equal(t, code, c.Code)
		require.NotEmpty(t, c.Name, code)
	}
}

func TestLookup(t *testing.T) {
	for _, in := range []string{"ups", "UPS", " Ups ", "uPs"} {
		c, ok := Lookup(in)
		require.True(t, ok, in)
		require.Equal(t, "ups", c.Code)
	}
	for _, in := range []string{"", "u p s", "unknown", "dhl"} {
		c, ok := Lookup(in)
		require.False(t, ok, in)
		require.Equal(t, Carrier{}, c)
	}
}

func TestAll(t *testing.T) {
	all := All()
	require.Len(t, all, len(requiredCodes))
	require.True(t, slices.IsSortedFunc(all, func(a, b Carrier) int { return strings.Compare(a.Code, b.Code) }))
	for _, c := range all {
		got, ok := Lookup(c.Code)
		require.True(t, ok)
		require.Equal(t, c, got)
	}

	// A copy: changing it leaves the catalogue alone.
	all[0] = Carrier{Code: "changed"}
	slices.Reverse(all)
	again := All()
	require.NotEqual(t, "changed", again[0].Code)
	require.True(t, slices.IsSortedFunc(again, func(a, b Carrier) int { return strings.Compare(a.Code, b.Code) }))
}

// TestChannelNames pins the channel spellings; catalogue.go cites where each
// comes from. Changing one changes what the exporters send.
func TestChannelNames(t *testing.T) {
	want := map[string][2]string{ // code: {ShopifyCompany, AmazonCode}
		"amazon-logistics": {"Amazon", "Amazon Shipping"},
		"australia-post":   {"Australia Post", "Australia Post"},
		"bpost":            {"BPost", "BPOST"},
		"budbee":           {"", ""},
		"canada-post":      {"Canada Post", "Canada Post"},
		"colissimo":        {"Colissimo", "Colissimo"},
		"correos":          {"Correos", "Correos"},
		"deutsche-post":    {"Deutsche Post", "Deutsche Post"},
		"dhl-ecommerce":    {"DHL eCommerce", "DHL eCommerce"},
		"dhl-express":      {"DHL Express", "DHL Express"},
		"dhl-paket":        {"DHL", "DHL-Paket"},
		"dhl-parcel":       {"DHL Parcel", ""},
		"dpd":              {"DPD", "DPD"},
		"evri":             {"Evri", "Hermes UK"},
		"fedex":            {"FedEx", "FedEx"},
		"gls":              {"GLS", "GLS"},
		"hermes":           {"Hermes", "Hermes"},
		"la-poste":         {"", "La Poste"},
		"ontrac":           {"OnTrac", "OnTrac"},
		"other":            {"", ""},
		"postnl":           {"PostNL", "Post NL"},
		"poste-italiane":   {"Poste Italiane", "Poste Italiane"},
		"royal-mail":       {"Royal Mail", "Royal Mail"},
		"ups":              {"UPS", "UPS"},
		"usps":             {"USPS", "USPS"},
	}
	require.Len(t, want, len(All()))
	for _, c := range All() {
		w, ok := want[c.Code]
		require.True(t, ok, c.Code)
		require.Equal(t, w[0], c.ShopifyCompany, "%s ShopifyCompany", c.Code)
		require.Equal(t, w[1], c.AmazonCode, "%s AmazonCode", c.Code)
		require.NotEqual(t, "Other", c.AmazonCode, "%s: Other is the mapping's fallback, not a catalogue value", c.Code)
	}
}

func TestCarrierString(t *testing.T) {
	require.Equal(t, "dhl-paket", mustLookup(t, "dhl-paket").String())
}

// TestBuildRejectsBadRows covers the catalogue's self-checks.
func TestBuildRejectsBadRows(t *testing.T) {
	bad := [][]row{
		{{code: "Upper"}},
		{{code: "a"}, {code: "a"}},
		{{code: "a", formats: []format{{name: "bad regexp", pattern: `[`}}}},
		{{code: "a", formats: []format{{name: "unbounded", pattern: `A+`}}}},
		{{code: "a", formats: []format{{name: "too long", pattern: `A{65}`}}}},
		{{code: "a", formats: []format{{name: "no room", pattern: `A`, check: mod10(1)}}}},
	}
	for _, rows := range bad {
		_, err := build(rows)
		require.Error(t, err, "%+v", rows)
	}
}

func TestLengthBounds(t *testing.T) {
	tests := map[string][2]int{
		`1Z[0-9A-Z]{15}[0-9]`: {18, 18},
		`[0-9]{10,11}`:        {10, 11},
		`(?:LX|RX)[0-9]{2}`:   {4, 4},
		`A|BCD`:               {1, 3},
		`AB?`:                 {1, 2},
		`(A)`:                 {1, 1},
	}
	for pattern, want := range tests {
		f := format{name: pattern, pattern: pattern}
		require.NoError(t, f.compile(), pattern)
		require.Equal(t, want, [2]int{f.minLen, f.maxLen}, pattern)
	}
}
