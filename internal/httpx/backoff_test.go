package httpx

import (
	"fmt"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// setJitter replaces the random source for one test. Tests that use it must
// not call t.Parallel.
func setJitter(t *testing.T, f func() float64) {
	t.Helper()
	old := jitter
	jitter = f
	t.Cleanup(func() { jitter = old })
}

func TestBackoffBounds(t *testing.T) {
	bounds := []struct{ min, max time.Duration }{
		{250 * time.Millisecond, 30 * time.Second},
		{time.Millisecond, time.Millisecond},
		{0, time.Second},
		{time.Second, 0}, // max < min: min wins
		{-time.Second, time.Second},
		{time.Hour, time.Duration(math.MaxInt64)},
		{1, time.Duration(math.MaxInt64)},
	}
	jitters := []float64{0, 0.5, 0.999999999, 1, -1, math.NaN()}
	attempts := []int{-1, math.MaxInt, math.MaxInt32, 62, 63, 64, 1000}
	for a := 0; a <= 20; a++ {
		attempts = append(attempts, a)
	}
	for _, b := range bounds {
		for _, j := range jitters {
			setJitter(t, func() float64 { return j })
			lo := max(b.min, 0)
			hi := max(b.max, lo)
			for _, a := range attempts {
				got := Backoff(b.min, b.max, a, nil)
				require.GreaterOrEqual(t, got, lo, "min=%v max=%v attempt=%d jitter=%v", b.min, b.max, a, j)
				require.LessOrEqual(t, got, hi, "min=%v max=%v attempt=%d jitter=%v", b.min, b.max, a, j)
			}
		}
	}
}

func TestBackoffGrowsExponentially(t *testing.T) {
	setJitter(t, func() float64 { return 0 })
	// Equal jitter at its floor is half the step, floored at min.
	want := []time.Duration{
		250 * time.Millisecond, // step 250ms, half 125ms -> min
		250 * time.Millisecond, // step 500ms
		500 * time.Millisecond, // step 1s
		time.Second,
		2 * time.Second,
		4 * time.Second,
		8 * time.Second,
		15 * time.Second, // step capped at 30s
		15 * time.Second,
	}
	for a, w := range want {
		require.Equal(t, w, Backoff(250*time.Millisecond, 30*time.Second, a, nil), "attempt %d", a)
	}
}

func TestBackoffRetryAfter(t *testing.T) {
	setJitter(t, func() float64 { return 0.5 })
	at := func(d time.Duration) string { return time.Now().Add(d).UTC().Format(http.TimeFormat) }
	for _, tc := range []struct {
		name  string
		value string
		want  func(time.Duration) bool
	}{
		{"seconds win over exponential", "7", eq(7 * time.Second)},
		{"seconds above max are honoured", "120", eq(2 * time.Minute)},
		{"ceiling applied", "3600", eq(maxRetryAfter)},
		{"huge value", "99999999999999999999999", eq(maxRetryAfter)},
		{"zero floored at min", "0", eq(250 * time.Millisecond)},
		{"fractional (Shopify)", "2.0", eq(2 * time.Second)},
		{"date in the future", at(90 * time.Second), within(88*time.Second, 90*time.Second)},
		{"date in the past floored at min", at(-time.Hour), eq(250 * time.Millisecond)},
		{"garbage falls back to exponential", "soon", within(250*time.Millisecond, time.Second)},
		{"negative falls back to exponential", "-5", within(250*time.Millisecond, time.Second)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := response(429, "", "Retry-After", tc.value)
			got := Backoff(250*time.Millisecond, 30*time.Second, 2, resp)
			require.True(t, tc.want(got), "got %v", got)
		})
	}
}

func eq(d time.Duration) func(time.Duration) bool {
	return func(g time.Duration) bool { return g == d }
}

func within(lo, hi time.Duration) func(time.Duration) bool {
	return func(g time.Duration) bool { return g >= lo && g <= hi }
}

func TestBackoffDistribution(t *testing.T) {
	// With the real source, waits for a given attempt spread over
	// [step/2, step]: jitter is actually applied.
	seen := map[time.Duration]bool{}
	for range 200 {
		d := Backoff(time.Second, time.Minute, 3, nil) // step 8s
		require.GreaterOrEqual(t, d, 4*time.Second)
		require.LessOrEqual(t, d, 8*time.Second)
		seen[d] = true
	}
	require.Greater(t, len(seen), 100, fmt.Sprint("too few distinct waits: ", len(seen)))
}
