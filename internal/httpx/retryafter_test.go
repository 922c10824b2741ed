package httpx

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var raNow = time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)

func TestParseRetryAfter(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"120", 120 * time.Second, true},
		{"0", 0, true},
		{" 7 ", 7 * time.Second, true},
		{"007", 7 * time.Second, true},
		{"2.0", 2 * time.Second, true},
		{"1.5", 1500 * time.Millisecond, true},
		{"0.0000000019", 1, true}, // beyond ns precision: truncated
		{"99999999999999999999999", time.Duration(math.MaxInt64), true},
		{"9223372036", 9223372036 * time.Second, true},
		{"9223372037", time.Duration(math.MaxInt64), true},
		{"Sat, 14 Mar 2026 12:00:30 GMT", 30 * time.Second, true}, // IMF-fixdate
		{"Saturday, 14-Mar-26 12:01:00 GMT", time.Minute, true},   // RFC 850
		{"Sat Mar 14 12:00:05 2026", 5 * time.Second, true},       // asctime
		{"Fri, 31 Dec 1999 23:59:59 GMT", 0, true},                // past
		{"", 0, false},
		{"   ", 0, false},
		{"-1", 0, false},
		{"+5", 0, false},
		{"5s", 0, false},
		{"1e3", 0, false},
		{"0x10", 0, false},
		{"Inf", 0, false},
		{"NaN", 0, false},
		{"1.", 0, false},
		{".5", 0, false},
		{"1.2.3", 0, false},
		{"soon", 0, false},
		{"Sat, 14 Mar 2026 25:00:00 GMT", 0, false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := ParseRetryAfter(tc.in, raNow)
			require.Equal(t, tc.ok, ok)
			require.Equal(t, tc.want, got)
		})
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"120", "0", "-1", "2.0", "", "soon", "1e3",
		"Fri, 31 Dec 1999 23:59:59 GMT", "Sat, 14 Mar 2026 12:00:30 GMT",
		"Saturday, 14-Mar-26 12:01:00 GMT", "Sat Mar 14 12:00:05 2026",
		"99999999999999999999999.99999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := ParseRetryAfter(v, raNow)
		if !ok {
			require.Zero(t, d)
			return
		}
		require.GreaterOrEqual(t, d, time.Duration(0))
		// Plain delay-seconds that fit must round-trip exactly.
		s := strings.TrimSpace(v)
		if len(s) > 0 && len(s) <= 9 && strings.Trim(s, "0123456789") == "" {
			var n int64
			for _, c := range s {
				n = n*10 + int64(c-'0')
			}
			require.Equal(t, time.Duration(n)*time.Second, d)
		}
		// Backoff never lets a parsed hint exceed the ceiling.
		resp := response(429, "", "Retry-After", v)
		require.LessOrEqual(t, Backoff(0, time.Second, 0, resp), maxRetryAfter)
	})
}
