package carrier_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/tracking/carrier"
)

// urlShape is what a tracking number must not be able to change in a
// carrier's tracking URL: where it points and which parameters it has.
func urlShape(t *testing.T, raw string) (host string, segments int, keys []string) {
	t.Helper()
	u, err := url.Parse(raw)
	require.NoError(t, err, "tracking URL %q does not parse", raw)
	keys = make([]string, 0, len(u.Query()))
	for k := range u.Query() {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return u.Scheme + "://" + u.Host, strings.Count(u.EscapedPath(), "/"), keys
}

// FuzzTrackingURLShape: a tracking number, postcode or country from the
// order-management system cannot move a carrier's tracking link to another
// host, add path segments or add query parameters, whatever it contains
// ("/", "?", "&", "#", "@", "%", "..", Unicode): the customer must land on
// the carrier's page (issue 10, hostile inputs).
func FuzzTrackingURLShape(f *testing.F) {
	for _, s := range []string{"1Z999AA10123456784", "../../evil", "x?y=1&z=2", "#frag", "@evil.example", "a/b", "%2F%3F", "\u2215evil", "3SABCD1234567 ", "http://evil.example/"} {
		f.Add(s, "NL", "1234 AB")
		f.Add(s, s, s)
	}
	carriers := carrier.All()
	f.Fuzz(func(t *testing.T, number, country, postcode string) {
		for _, c := range carriers {
			for _, d := range []carrier.Destination{{}, {Country: country, Postcode: postcode}, {Country: "NL", Postcode: postcode}, {Country: country, Postcode: "1234AB"}} {
				got := c.TrackingURLFor(number, d)
				if got == "" {
					continue
				}
				// The same link for a plain number and the destination's
				// template choice: TrackingURLFor falls back to the plain
				// page when the destination is unusable, so compare with
				// both.
				plainHost, plainSegs, plainKeys := urlShape(t, c.TrackingURL("AB1234"))
				destHost, destSegs, destKeys := urlShape(t, c.TrackingURLFor("AB1234", carrier.Destination{Country: "NL", Postcode: "1234AB"}))
				host, segs, keys := urlShape(t, got)
				plain := host == plainHost && segs == plainSegs && slices.Equal(keys, plainKeys)
				dest := host == destHost && segs == destSegs && slices.Equal(keys, destKeys)
				require.True(t, plain || dest, "%s: number %q, destination %+v gave %q, reshaping %q / %q", c.Code, number, d, got,
					c.TrackingURL("AB1234"), c.TrackingURLFor("AB1234", carrier.Destination{Country: "NL", Postcode: "1234AB"}))
			}
		}
	})
}
