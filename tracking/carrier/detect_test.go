package carrier

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// codes lists the carrier codes of Detect's candidates in order.
func codes(ms []Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Carrier.Code)
	}
	return out
}

// find returns the candidate for code.
func find(ms []Match, code string) (Match, bool) {
	for _, m := range ms {
		if m.Carrier.Code == code {
			return m, true
		}
	}
	return Match{}, false
}

// TestDetectTestdata: every valid test number is detected as its carrier with
// the verification the testdata claims, unless only a format that Detect
// skips accepts it.
func TestDetectTestdata(t *testing.T) {
	numbers := loadNumbers(t)
	for _, code := range sortedCodes(numbers) {
		if code == "other" {
			continue
		}
		t.Run(code, func(t *testing.T) {
			c := mustLookup(t, code)
			for _, tn := range numbers[code].Valid {
				ms := Detect(tn.Number)
				m, ok := find(ms, code)
				if !ok {
					require.False(t, tn.Verified, "%q: verified number not detected (got %v)", tn.Number, codes(ms))
					require.True(t, onlyUndetectable(c, Normalize(tn.Number)), "%q: not detected as %s (got %v)", tn.Number, code, codes(ms))
					continue
				}
				require.Equal(t, tn.Verified, m.Verified, "%q: %s via %s", tn.Number, code, m.Format)
				require.Equal(t, Normalize(tn.Number), m.Number)
				require.NotEmpty(t, m.Format)
			}
		})
	}
}

// onlyUndetectable reports whether only noDetect formats of c accept n.
func onlyUndetectable(c Carrier, n string) bool {
	for i := range c.entry.formats {
		f := &c.entry.formats[i]
		if f.shapeMatches(n) && (!f.check.has() || f.check.verify(n)) && !f.noDetect {
			return false
		}
	}
	return true
}

func TestDetectRanking(t *testing.T) {
	tests := []struct {
		name     string
		number   string
		want     []string // carrier codes, in order; nil for no candidate
		verified []bool
	}{
		{"1Z is UPS, verified, first", "1z 999 aa1 01 2345 6784", []string{"ups"}, []bool{true}},
		{"S10 GB names Royal Mail", "RB123456785GB", []string{"royal-mail"}, []bool{true}},
		{"S10 US names USPS", "RB123456785US", []string{"usps"}, []bool{true}},
		{"S10 NL names PostNL, DHL eCommerce's LX shape after it", "LX473124829NL", []string{"postnl", "dhl-ecommerce"}, []bool{true, false}},
		{"S10 DE parcel: Deutsche Post, then DHL Paket, then DHL eCommerce's CN shape", "CN204556783DE", []string{"deutsche-post", "dhl-paket", "dhl-ecommerce"}, []bool{true, true, false}},
		{"S10 FR parcel: La Poste before Colissimo", "CP555123453FR", []string{"la-poste", "colissimo"}, []bool{true, true}},
		{"S10 from a country without operator: nothing", "RB123456785CV", nil, nil},
		{"S10 with a wrong check digit: nothing", "RB123456786GB", nil, nil},
		{"DHL Paket SSCC before USPS 20-digit", "00340434161094042557", []string{"dhl-paket", "usps"}, []bool{true, true}},
		{"verified Hermes before shape-only DPD and DHL eCommerce", "09133131530724", []string{"hermes", "dpd", "dhl-ecommerce"}, []bool{true, false, false}},
		{"verified Canada Post before shape-only 16-digit formats", "0073938000549297", []string{"canada-post", "evri", "hermes"}, []bool{true, false, false}},
		{"PostNL 3S before DHL Parcel 3S", "3STUNM283054292", []string{"postnl", "dhl-parcel"}, []bool{false, false}},
		{"TBA is Amazon Logistics, shape only", "TBA000000000000", []string{"amazon-logistics"}, []bool{false}},
		{"DPD with check character", "01015026003653C", []string{"dpd"}, []bool{true}},
		{"OnTrac", "C11031500001879", []string{"ontrac"}, []bool{true}},
		{"USPS IMpb with routing", "420 11213 92 6129098349792366623 8", []string{"usps", "dhl-ecommerce"}, []bool{true, true}},
		{"empty", "", nil, nil},
		{"garbage", "hello world", nil, nil},
		{"Budbee ids are never detected", "AB12CD34EF", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Detect(tt.number)
			require.Equal(t, tt.want, codes(got))
			for i, m := range got {
				require.Equal(t, tt.verified[i], m.Verified, "candidate %d (%s)", i, m.Carrier.Code)
			}
			if tt.want == nil {
				require.Nil(t, got)
			}
		})
	}
}

// TestDetectVerifiedFirst checks the ordering invariant on every test number:
// no shape-only candidate precedes a verified one, and no carrier repeats.
func TestDetectVerifiedFirst(t *testing.T) {
	numbers := loadNumbers(t)
	for _, code := range sortedCodes(numbers) {
		for _, tn := range numbers[code].Valid {
			got := Detect(tn.Number)
			seen := map[string]bool{}
			for i, m := range got {
				require.False(t, seen[m.Carrier.Code], "%q: %s twice", tn.Number, m.Carrier.Code)
				seen[m.Carrier.Code] = true
				require.NotEqual(t, "other", m.Carrier.Code)
				require.NoError(t, m.Carrier.Validate(m.Number))
				if i > 0 && m.Verified {
					require.True(t, got[i-1].Verified, "%q: verified %s after shape-only %s", tn.Number, m.Carrier.Code, got[i-1].Carrier.Code)
				}
			}
		}
	}
}

// TestDetectDeterministic: the same input gives the same order every time.
func TestDetectDeterministic(t *testing.T) {
	first := Detect("0073938000549297")
	for range 50 {
		require.Equal(t, first, Detect("0073938000549297"))
	}
}
