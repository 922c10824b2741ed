package carrier

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestValidateTestdata(t *testing.T) {
	numbers := loadNumbers(t)
	for _, code := range sortedCodes(numbers) {
		t.Run(code, func(t *testing.T) {
			c := mustLookup(t, code)
			set := numbers[code]
			require.NotEmpty(t, set.Valid, "every carrier needs valid test numbers")
			for _, tn := range set.Valid {
				require.NoError(t, c.Validate(tn.Number), "%q (%s)", tn.Number, tn.Source)
			}
			for _, tn := range set.Invalid {
				err := c.Validate(tn.Number)
				require.Error(t, err, "%q (%s) must be invalid", tn.Number, tn.Source)
				var inv *InvalidNumberError
				require.True(t, errors.As(err, &inv))
				require.Equal(t, code, inv.Carrier)
				require.Equal(t, Normalize(tn.Number), inv.Number)
				require.NotEmpty(t, inv.Reason)
				switch tn.Error {
				case "format":
					require.ErrorIs(t, err, ErrFormat, "%q", tn.Number)
				case "check_digit":
					require.ErrorIs(t, err, ErrCheckDigit, "%q", tn.Number)
				default:
					t.Fatalf("testdata: %q has unknown error kind %q", tn.Number, tn.Error)
				}
			}
		})
	}
}

// TestTestdataCoversCatalogue keeps testdata and catalogue in step: every
// carrier has numbers, and every format with a check digit is exercised by a
// verified number.
func TestTestdataCoversCatalogue(t *testing.T) {
	numbers := loadNumbers(t)
	for _, c := range All() {
		set, ok := numbers[c.Code]
		require.True(t, ok, "testdata has no numbers for %s", c.Code)
		for i := range c.entry.formats {
			f := &c.entry.formats[i]
			covered := false
			for _, tn := range set.Valid {
				n := Normalize(tn.Number)
				if f.shapeMatches(n) && (!f.check.has() || f.check.verify(n)) {
					covered = true
					break
				}
			}
			require.True(t, covered, "%s: no valid test number for format %q", c.Code, f.name)
		}
	}
}

func TestValidateReasons(t *testing.T) {
	ups := mustLookup(t, "ups")

	err := ups.Validate("1Z5R89390357567128")
	var inv *InvalidNumberError
	require.ErrorAs(t, err, &inv)
	require.Equal(t, &InvalidNumberError{
		Carrier: "ups",
		Number:  "1Z5R89390357567128",
		Reason:  "the UPS 1Z check digit (mod 10) does not match",
		Err:     ErrCheckDigit,
	}, inv)
	require.Equal(t, `invalid ups tracking number "1Z5R89390357567128": the UPS 1Z check digit (mod 10) does not match`, err.Error())
	require.ErrorIs(t, err, ErrCheckDigit)
	require.NotErrorIs(t, err, ErrFormat)

	err = ups.Validate("ABC")
	require.ErrorAs(t, err, &inv)
	require.ErrorIs(t, err, ErrFormat)
	require.Equal(t, "it matches none of the formats: UPS 1Z; UPS waybill", inv.Reason)
}

func TestValidateEdgeCases(t *testing.T) {
	ups := mustLookup(t, "ups")
	other := mustLookup(t, "other")

	tests := []struct {
		name    string
		carrier Carrier
		number  string
		want    error // nil, ErrFormat or ErrCheckDigit
	}{
		{"empty", ups, "", ErrFormat},
		{"separators only", ups, " - . ", ErrFormat},
		{"other accepts anything", other, "whatever #1", nil},
		{"other rejects empty", other, "  ", ErrFormat},
		{"zero carrier", Carrier{}, "1Z5R89390357567127", ErrFormat},
		{"pasted lower case with spaces", ups, "1z 999 aa1 01 2345 6784", nil},
		{"wrong length", ups, "1Z5R8939035756712", ErrFormat},
		{"wrong prefix", ups, "2Z5R89390357567127", ErrFormat},
		{"letter where the check digit goes", ups, "1Z5R8939035756712X", ErrFormat},
		{"very long input", ups, string(make([]byte, 10000)), ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.carrier.Validate(tt.number)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.want)
			var inv *InvalidNumberError
			require.ErrorAs(t, err, &inv)
			require.NotEmpty(t, inv.Carrier)
		})
	}
}

// TestValidateWrongCarrier: a valid number of one carrier is not valid for a
// carrier with disjoint formats.
func TestValidateWrongCarrier(t *testing.T) {
	require.ErrorIs(t, mustLookup(t, "fedex").Validate("1Z5R89390357567127"), ErrFormat)
	require.ErrorIs(t, mustLookup(t, "postnl").Validate("RB123456785GB"), ErrFormat)
	require.NoError(t, mustLookup(t, "royal-mail").Validate("RB123456785GB"))
}
