package mapping

import (
	"errors"
	"net/url"
	"strings"
)

// numberPlaceholder marks where a URL template takes the tracking number.
const numberPlaceholder = "{number}"

// checkTemplate accepts an https URL with a host and at least one
// {number}, and no other placeholder: a template that cannot carry the
// number would send every customer to the same page.
func checkTemplate(t string) error {
	if !strings.Contains(t, numberPlaceholder) {
		return errors.New("lacks the {number} placeholder")
	}
	probe := strings.ReplaceAll(t, numberPlaceholder, "X")
	if strings.ContainsAny(probe, "{}") {
		return errors.New("has a placeholder other than {number}")
	}
	u, err := url.Parse(probe)
	if err != nil {
		return errors.New("is not a URL")
	}
	if u.Scheme != "https" {
		return errors.New("is not an https URL")
	}
	if u.Host == "" || u.User != nil {
		return errors.New("needs a host and no user info")
	}
	const marker = "tracksyncnumber"
	h, _ := url.Parse(strings.ReplaceAll(t, numberPlaceholder, marker))
	if h == nil || h.Host != u.Host {
		// The number would choose the host: a tracking number such as
		// "evil.example" would link customers to any site.
		return errors.New("puts {number} in the host; it may stand only in the path or the query")
	}
	for key := range h.Query() {
		if strings.Contains(key, marker) {
			// The number would name the parameters the page receives.
			return errors.New("puts {number} in a query parameter's name; it may stand only in a value, as in ?id={number}")
		}
	}
	return nil
}

// renderTemplate puts the number into a checked template, escaped for where
// it stands, so that no number can add query parameters or path segments.
// The number is not normalized: a carrier outside the catalogue may well
// use dashes or lower case in its own ids.
func renderTemplate(t, number string) string {
	n := strings.TrimSpace(number)
	query := strings.IndexByte(t, '?') // placeholders after it are query values
	var b strings.Builder
	start := 0
	for {
		i := strings.Index(t[start:], numberPlaceholder)
		if i < 0 {
			b.WriteString(t[start:])
			return b.String()
		}
		i += start
		b.WriteString(t[start:i])
		if query >= 0 && i > query {
			b.WriteString(url.QueryEscape(n))
		} else {
			b.WriteString(url.PathEscape(n))
		}
		start = i + len(numberPlaceholder)
	}
}
