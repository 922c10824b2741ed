package carrier

import (
	"errors"
	"strings"
	"testing"
)

// seedFuzz adds every test number and a few hostile strings to the corpus.
func seedFuzz(f *testing.F) {
	numbers := loadNumbers(f)
	for _, code := range sortedCodes(numbers) {
		for _, tn := range numbers[code].Valid {
			f.Add(tn.Number)
		}
		for _, tn := range numbers[code].Invalid {
			f.Add(tn.Number)
		}
	}
	for _, s := range []string{"", " ", "\xff\xfe", "1Z", "420", strings.Repeat("9", 70), "1z 999 aa1 01 2345 6784\u200b", "RB123456785", "00"} {
		f.Add(s)
	}
}

// FuzzDetect: Detect never panics, never names "other", returns normalized
// numbers in rank order, and every candidate passes its carrier's Validate -
// in particular every Verified one.
func FuzzDetect(f *testing.F) {
	seedFuzz(f)
	f.Fuzz(func(t *testing.T, in string) {
		ms := Detect(in)
		n := Normalize(in)
		seen := map[string]bool{}
		for i, m := range ms {
			if m.Carrier.Code == "other" {
				t.Fatalf("Detect(%q) returned the catch-all carrier", in)
			}
			if seen[m.Carrier.Code] {
				t.Fatalf("Detect(%q) returned %s twice", in, m.Carrier.Code)
			}
			seen[m.Carrier.Code] = true
			if m.Number != n {
				t.Fatalf("Detect(%q): number %q, want %q", in, m.Number, n)
			}
			if err := m.Carrier.Validate(m.Number); err != nil {
				t.Fatalf("Detect(%q): candidate %s (verified %v, %s) fails Validate: %v", in, m.Carrier.Code, m.Verified, m.Format, err)
			}
			if i > 0 && compareMatches(ms[i-1], m) > 0 {
				t.Fatalf("Detect(%q): candidates out of order at %d", in, i)
			}
		}
	})
}

// FuzzValidate: Validate and the URL builders never panic on any carrier;
// errors are always *InvalidNumberError wrapping one of the two sentinels;
// URLs are https or empty.
func FuzzValidate(f *testing.F) {
	seedFuzz(f)
	carriers := append(All(), Carrier{})
	f.Fuzz(func(t *testing.T, in string) {
		for _, c := range carriers {
			err := c.Validate(in)
			if err != nil {
				var inv *InvalidNumberError
				if !errors.As(err, &inv) {
					t.Fatalf("%s.Validate(%q): %T, want *InvalidNumberError", c.Code, in, err)
				}
				if !errors.Is(err, ErrFormat) && !errors.Is(err, ErrCheckDigit) {
					t.Fatalf("%s.Validate(%q): %v wraps neither sentinel", c.Code, in, err)
				}
			}
			for _, d := range []Destination{{}, {Country: in, Postcode: in}, {Country: "NL", Postcode: "1234AB"}} {
				if u := c.TrackingURLFor(in, d); u != "" && !strings.HasPrefix(u, "https://") {
					t.Fatalf("%s.TrackingURLFor(%q): %q is not https", c.Code, in, u)
				}
			}
			if _, err := PolicyStrict.Check(c, in); (err == nil) != (c.Validate(in) == nil) {
				t.Fatalf("PolicyStrict.Check disagrees with Validate on %q", in)
			}
		}
	})
}

// FuzzNormalize: normalization is idempotent and removes every separator.
func FuzzNormalize(f *testing.F) {
	seedFuzz(f)
	f.Fuzz(func(t *testing.T, in string) {
		n := Normalize(in)
		if Normalize(n) != n {
			t.Fatalf("Normalize not idempotent on %q: %q then %q", in, n, Normalize(n))
		}
		if strings.ContainsAny(n, " -.\t\nabcdefghijklmnopqrstuvwxyz") {
			t.Fatalf("Normalize(%q) = %q still has separators or lower case", in, n)
		}
	})
}
