package carrier

import (
	"net/url"
	"strings"
)

// Destination is what some carriers need, besides the number, to open their
// full tracking page: PostNL shows details only for barcode + country +
// postcode, DHL Parcel Benelux for barcode + postcode.
type Destination struct {
	// Country is the ISO 3166-1 alpha-2 code of the destination, e.g. "NL".
	Country string
	// Postcode is the destination postcode; spaces and dashes are ignored.
	Postcode string
}

// Placeholders of the URL templates in the catalogue.
const (
	phNumber   = "{number}"
	phCountry  = "{country}"
	phPostcode = "{postcode}"
)

// TrackingURL returns the carrier's public tracking page for the number, or ""
// if the carrier has none (the "other" carrier, the zero Carrier) or the
// number is empty. The number is normalized and escaped, so input such as
// "1Z..&x=1" cannot add query parameters or path segments; every URL is
// https. The number is not validated: a merchant may still want the link for a
// number Validate rejects.
func (c Carrier) TrackingURL(number string) string {
	return c.TrackingURLFor(number, Destination{})
}

// TrackingURLFor is TrackingURL with the destination, for carriers whose full
// page needs it (PostNL, DHL Parcel). When the carrier needs nothing more, or
// the destination lacks a usable value it needs, it returns the plain
// TrackingURL.
func (c Carrier) TrackingURLFor(number string, d Destination) string {
	if c.entry == nil || c.entry.trackURL == "" {
		return ""
	}
	n := Normalize(number)
	if n == "" {
		return ""
	}
	if tmpl := c.entry.destURL; tmpl != "" {
		country, okCountry := normalizeCountry(d.Country)
		postcode, okPostcode := normalizePostcode(d.Postcode)
		if (okCountry || !strings.Contains(tmpl, phCountry)) && (okPostcode || !strings.Contains(tmpl, phPostcode)) {
			return expand(tmpl, map[string]string{phNumber: n, phCountry: country, phPostcode: postcode})
		}
	}
	return expand(c.entry.trackURL, map[string]string{phNumber: n})
}

// expand replaces each placeholder with its escaped value: query escaping
// after a '?' or '#', path escaping before, so that a value never leaves its
// URL component.
func expand(tmpl string, values map[string]string) string {
	var b strings.Builder
	b.Grow(len(tmpl) + 32)
	inQuery := false
	for len(tmpl) > 0 {
		open := strings.IndexByte(tmpl, '{')
		if open < 0 {
			b.WriteString(tmpl)
			break
		}
		closing := strings.IndexByte(tmpl[open:], '}')
		if closing < 0 {
			b.WriteString(tmpl)
			break
		}
		lit := tmpl[:open]
		inQuery = inQuery || strings.ContainsAny(lit, "?#")
		b.WriteString(lit)
		ph := tmpl[open : open+closing+1]
		v := values[ph]
		if inQuery {
			b.WriteString(url.QueryEscape(v))
		} else {
			b.WriteString(url.PathEscape(v))
		}
		tmpl = tmpl[open+closing+1:]
	}
	return b.String()
}

// normalizeCountry accepts a two-letter country code in any case.
func normalizeCountry(s string) (string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) != 2 || !isUpperAlpha(s[0]) || !isUpperAlpha(s[1]) {
		return "", false
	}
	return s, true
}

// normalizePostcode removes spaces and dashes and accepts 2-10 letters and
// digits, the range of postcodes worldwide; anything else is ignored rather
// than placed in a URL.
func normalizePostcode(s string) (string, bool) {
	s = Normalize(s)
	if len(s) < 2 || len(s) > 10 {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if !isUpperAlpha(s[i]) && (s[i] < '0' || s[i] > '9') {
			return "", false
		}
	}
	return s, true
}

func isUpperAlpha(c byte) bool { return c >= 'A' && c <= 'Z' }
