package carrier

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Carrier is one entry of the catalogue. The exported fields are what the
// exporters send to the channels; the formats, check digits and URL
// templates stay unexported so that every caller validates and links the
// same way. The zero Carrier is not in the catalogue: it validates nothing
// and has no URL.
type Carrier struct {
	// Code is the stable lower-case id used in configuration and mappings,
	// such as "dhl-paket"; it never changes once published.
	Code string
	// Name is the display name, for people and for channels that take free
	// text (Amazon's carrierName when AmazonCode is "").
	Name string
	// ShopifyCompany is the exact tracking company name Shopify recognizes
	// (case matters), or "" when Shopify lists none; the mapping must then
	// send its own name and tracking URL.
	ShopifyCompany string
	// AmazonCode is the exact SP-API / feed carrierCode value, or "" when
	// Amazon lists none; the mapping then sends "Other" and the Name.
	AmazonCode string

	entry *entry
}

// entry holds the unexported part of a catalogue row. Carriers point at it so
// that copying a Carrier stays cheap and comparable.
type entry struct {
	formats []format
	// catchAll accepts any non-empty number: the "other" carrier.
	catchAll bool
	// trackURL is an https URL template with {number}; "" when the carrier
	// has no public tracking page.
	trackURL string
	// destURL adds {country} and/or {postcode} for carriers whose full page
	// needs them; "" when trackURL is all there is.
	destURL string
	// formatList names the formats for ErrFormat reasons.
	formatList string
}

// String returns the code, so that a Carrier prints as its id in logs.
func (c Carrier) String() string { return c.Code }

// Lookup returns the carrier with the given code. Codes are matched without
// regard to case or surrounding space, because they come from configuration
// files and order imports typed by people.
func Lookup(code string) (Carrier, bool) {
	c, ok := idx.byCode[strings.ToLower(strings.TrimSpace(code))]
	return c, ok
}

// All returns every carrier ordered by Code. The slice is a fresh copy: the
// caller may sort or modify it without affecting the catalogue.
func All() []Carrier {
	return slices.Clone(idx.sorted)
}

// index is the compiled catalogue.
type index struct {
	// byCode serves Lookup.
	byCode map[string]Carrier
	// sorted is the catalogue ordered by code, for All.
	sorted []Carrier
	// byLength lists, for each number length, the formats that can match a
	// number of that length, so that Detect tries only a handful of regexps.
	byLength [maxFormatLen + 1][]detectFormat
}

// idx is built once at package initialization and only read afterwards, so
// concurrent use needs no locking.
var idx = mustBuild(catalogue())

// detectFormat ties a format to its carrier for Detect.
type detectFormat struct {
	*format
	carrier Carrier
}

// mustBuild panics on a malformed catalogue: that is a programming error
// every test run catches, better than a wrong answer later.
func mustBuild(rows []row) *index {
	x, err := build(rows)
	if err != nil {
		panic("carrier: " + err.Error())
	}
	return x
}

// build compiles the catalogue rows into an index.
func build(rows []row) (*index, error) {
	x := &index{byCode: make(map[string]Carrier, len(rows)), sorted: make([]Carrier, 0, len(rows))}
	for i := range rows {
		r := &rows[i]
		if r.code == "" || r.code != strings.ToLower(r.code) {
			return nil, fmt.Errorf("carrier code %q must be non-empty lower case", r.code)
		}
		if _, dup := x.byCode[r.code]; dup {
			return nil, fmt.Errorf("duplicate carrier code %q", r.code)
		}
		e := &entry{formats: r.formats, catchAll: r.catchAll, trackURL: r.url, destURL: r.destURL}
		names := make([]string, 0, len(e.formats))
		for j := range e.formats {
			if err := e.formats[j].compile(); err != nil {
				return nil, fmt.Errorf("%s: %w", r.code, err)
			}
			names = append(names, e.formats[j].name)
		}
		e.formatList = strings.Join(names, "; ")
		c := Carrier{Code: r.code, Name: r.name, ShopifyCompany: r.shopify, AmazonCode: r.amazon, entry: e}
		x.byCode[c.Code] = c
		x.sorted = append(x.sorted, c)
	}
	slices.SortFunc(x.sorted, func(a, b Carrier) int { return cmp.Compare(a.Code, b.Code) })
	for _, c := range x.sorted {
		for j := range c.entry.formats {
			f := &c.entry.formats[j]
			if f.noDetect {
				continue
			}
			for n := f.minLen; n <= f.maxLen; n++ {
				x.byLength[n] = append(x.byLength[n], detectFormat{format: f, carrier: c})
			}
		}
	}
	return x, nil
}
