package carrier

import (
	"cmp"
	"slices"
)

// Match is one Detect candidate: a carrier whose formats accept the number.
type Match struct {
	// Carrier is the candidate carrier.
	Carrier Carrier
	// Number is the normalized number, ready to push and to pass to
	// TrackingURL.
	Number string
	// Verified is true when the accepting format has a check digit and it
	// matched. A shape-only match is false: without a checksum nothing
	// confirms the number beyond its look.
	Verified bool
	// Format names the format that accepted the number, e.g. "UPS 1Z".
	Format string

	// priority is the accepting format's rank among equally verified
	// candidates; unexported because it is an ordering detail.
	priority int
}

// Detect returns every carrier whose formats accept the number, most likely
// first, or nil if none does. Every candidate passes its carrier's Validate.
//
// Ranking: check-digit-verified candidates come before shape-only ones; among
// equals a format with a distinctive shape (an S10 number's operator, a fixed
// prefix such as 1Z or TBA) comes before a bare run of digits that many
// carriers print; remaining ties go by carrier code, so the order is
// deterministic. A UPU S10 number names the postal operator of its country
// suffix; one from a country without an operator in the catalogue yields no
// S10 candidate. The catch-all "other" carrier is never a candidate, and
// neither are formats too loose to name a carrier (such as Budbee ids).
func Detect(number string) []Match {
	n := Normalize(number)
	if n == "" || len(n) >= len(idx.byLength) {
		return nil
	}
	// Candidates are collected on the stack; only the result is allocated.
	var buf [16]Match
	found := buf[:0]
	for _, f := range idx.byLength[len(n)] {
		if !f.shapeMatches(n) {
			continue
		}
		verified := f.check.has()
		if verified && !f.check.verify(n) {
			continue
		}
		m := Match{Carrier: f.carrier, Number: n, Verified: verified, Format: f.name, priority: f.priority}
		if i := indexCarrier(found, m.Carrier.Code); i >= 0 {
			if better(m, found[i]) {
				found[i] = m
			}
			continue
		}
		found = append(found, m)
	}
	if len(found) == 0 {
		return nil
	}
	slices.SortStableFunc(found, compareMatches)
	return slices.Clone(found)
}

// indexCarrier returns the index of the candidate for code, or -1: one
// candidate per carrier, the best of its formats.
func indexCarrier(found []Match, code string) int {
	for i := range found {
		if found[i].Carrier.Code == code {
			return i
		}
	}
	return -1
}

// better reports whether a outranks b.
func better(a, b Match) bool { return compareMatches(a, b) < 0 }

// compareMatches orders candidates: verified first, then higher priority, then
// carrier code.
func compareMatches(a, b Match) int {
	if a.Verified != b.Verified {
		if a.Verified {
			return -1
		}
		return 1
	}
	if c := cmp.Compare(b.priority, a.priority); c != 0 {
		return c
	}
	return cmp.Compare(a.Carrier.Code, b.Carrier.Code)
}
