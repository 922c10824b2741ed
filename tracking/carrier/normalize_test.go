package carrier

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", ""},
		{"1Z999AA10123456784", "1Z999AA10123456784"},
		{"1z 999 aa1 01 2345 6784", "1Z999AA10123456784"},
		{"  1Z999AA10123456784\n", "1Z999AA10123456784"},
		{"\t0307-1790-0005-2348-3741\r\n", "03071790000523483741"},
		{"JJD.0001.2345", "JJD00012345"},
		{"rb 123 456 785 gb", "RB123456785GB"},
		{"1Z\u00a0999\u2009AA1", "1Z999AA1"},         // no-break and thin spaces
		{"1Z\u200b999\ufeffAA1", "1Z999AA1"},         // zero-width space, BOM
		{"1Z\u2013999\u2014AA1\u2011X", "1Z999AA1X"}, // en dash, em dash, non-breaking hyphen
		{"ab/cd&e=f", "AB/CD&E=F"},                   // other characters stay, visibly
		{"straße", "STRAßE"},                         // only ASCII letters change case
		{"\xff1z", "\ufffd1Z"},                       // invalid UTF-8 becomes U+FFFD, never matches
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := Normalize(tt.in)
			require.Equal(t, tt.want, got)
			require.Equal(t, got, Normalize(got), "idempotent")
		})
	}
}

func TestNormalizeDoesNotAllocateWhenNormal(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		_ = Normalize("1Z999AA10123456784")
	})
	require.Zero(t, allocs)
}

func TestValidateDoesNotAllocate(t *testing.T) {
	ups := mustLookup(t, "ups")
	dpd := mustLookup(t, "dpd")
	usps := mustLookup(t, "usps")
	allocs := testing.AllocsPerRun(100, func() {
		_ = ups.Validate("1Z999AA10123456784")
		_ = dpd.Validate("008182709980000020045327276N")
		_ = usps.Validate("420902459261290336128704042634")
	})
	require.Zero(t, allocs)
}
