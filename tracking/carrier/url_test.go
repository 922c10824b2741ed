package carrier

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTrackingURL(t *testing.T) {
	tests := []struct {
		code, number, want string
	}{
		{"ups", "1z 999 aa1 01 2345 6784", "https://www.ups.com/track?tracknum=1Z999AA10123456784"},
		{"usps", "9400 1112 0108 0805 4830 16", "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111201080805483016"},
		{"postnl", "3STUNM283054292", "https://jouw.postnl.nl/track-and-trace/3STUNM283054292"},
		{"evri", "H01HYA0012345678", "https://www.evri.com/track/parcel/H01HYA0012345678"},
		{"royal-mail", "RB123456785GB", "https://www.royalmail.com/track-your-item#/tracking-results/RB123456785GB"},
		{"other", "ANYTHING", ""},
		{"ups", "", ""},
		{"ups", " - ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.code+" "+tt.number, func(t *testing.T) {
			require.Equal(t, tt.want, mustLookup(t, tt.code).TrackingURL(tt.number))
		})
	}
	require.Empty(t, Carrier{}.TrackingURL("1Z999AA10123456784"))
}

func TestTrackingURLFor(t *testing.T) {
	postnl := mustLookup(t, "postnl")
	dhlParcel := mustLookup(t, "dhl-parcel")
	ups := mustLookup(t, "ups")

	require.Equal(t, "https://jouw.postnl.nl/track-and-trace/3STUNM283054292-NL-1234AB",
		postnl.TrackingURLFor("3stunm283054292", Destination{Country: "nl", Postcode: "1234 ab"}))
	// Without a usable postcode or country the plain page is the answer.
	plain := "https://jouw.postnl.nl/track-and-trace/3STUNM283054292"
	require.Equal(t, plain, postnl.TrackingURLFor("3STUNM283054292", Destination{Country: "NL"}))
	require.Equal(t, plain, postnl.TrackingURLFor("3STUNM283054292", Destination{Postcode: "1234AB"}))
	require.Equal(t, plain, postnl.TrackingURLFor("3STUNM283054292", Destination{Country: "Netherlands", Postcode: "1234AB"}))
	require.Equal(t, plain, postnl.TrackingURLFor("3STUNM283054292", Destination{Country: "NL", Postcode: "1234AB/../x"}))

	// DHL Parcel needs only the postcode.
	require.Equal(t, "https://my.dhlecommerce.nl/home/tracktrace/JVGL0627463317265600/3071NE",
		dhlParcel.TrackingURLFor("JVGL0627463317265600", Destination{Postcode: "3071 NE"}))
	require.Equal(t, "https://my.dhlecommerce.nl/home/tracktrace/JVGL0627463317265600",
		dhlParcel.TrackingURLFor("JVGL0627463317265600", Destination{}))

	// Carriers that need nothing more ignore the destination.
	require.Equal(t, ups.TrackingURL("1Z999AA10123456784"),
		ups.TrackingURLFor("1Z999AA10123456784", Destination{Country: "US", Postcode: "10001"}))
}

// TestTrackingURLEscaping: whatever the input, the number stays inside its
// URL component: no extra query parameters, path segments or fragments.
func TestTrackingURLEscaping(t *testing.T) {
	hostile := []string{"1Z&admin=1", "a/../../b", "x?y=z", "x#frag", "%2F", "a b+c", "<script>"}
	for _, c := range All() {
		for _, in := range hostile {
			for _, d := range []Destination{{}, {Country: "NL", Postcode: "1234AB"}} {
				got := c.TrackingURLFor(in, d)
				if got == "" {
					continue
				}
				u, err := url.Parse(got)
				require.NoError(t, err, got)
				require.Equal(t, "https", u.Scheme, got)

				tmpl := c.entry.trackURL
				if d.Country != "" && c.entry.destURL != "" {
					tmpl = c.entry.destURL
				}
				base, err := url.Parse(strings.NewReplacer(phNumber, "N", phCountry, "NL", phPostcode, "P").Replace(tmpl))
				require.NoError(t, err)
				require.Equal(t, base.Host, u.Host, got)
				require.Equal(t, strings.Count(base.EscapedPath(), "/"), strings.Count(u.EscapedPath(), "/"), "path segments of %s", got)
				require.Equal(t, len(base.Query()), len(u.Query()), "query parameters of %s", got)
				require.Equal(t, strings.Count(base.RawQuery, "&"), strings.Count(u.RawQuery, "&"), got)
				require.NotContains(t, got, "<")
				require.Equal(t, strings.Count(tmpl, "#"), strings.Count(got, "#"), got)
			}
		}
	}
}

// TestTrackingURLTemplates: every carrier but "other" has an https page with
// the number in it, and only the known placeholders.
func TestTrackingURLTemplates(t *testing.T) {
	for _, c := range All() {
		if c.Code == "other" {
			require.Empty(t, c.entry.trackURL)
			continue
		}
		for _, tmpl := range []string{c.entry.trackURL, c.entry.destURL} {
			if tmpl == "" {
				continue
			}
			require.True(t, strings.HasPrefix(tmpl, "https://"), "%s: %s", c.Code, tmpl)
			require.Contains(t, tmpl, phNumber, c.Code)
			rest := strings.NewReplacer(phNumber, "", phCountry, "", phPostcode, "").Replace(tmpl)
			require.NotContains(t, rest, "{", "%s: unknown placeholder in %s", c.Code, tmpl)
		}
		require.NotEmpty(t, c.entry.trackURL, c.Code)
	}
}
