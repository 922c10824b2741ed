package shopifytest

import (
	"math"
	"strconv"
	"time"
)

// Default bucket: Shopify's Standard plan. The rate-limits page gives the
// restore rate, 100 points/second
// (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits);
// the size, 2000 points, is what real Standard-plan responses report as
// maximumAvailable next to restoreRate 100 (quoted in Shopify community
// threads). Other plans restore 200 (Advanced), 1000 (Plus) or 2000
// (Enterprise) points per second; use WithBucket or ShopBucket for them.
const (
	DefaultBucketSize  = 2000.0
	DefaultRestoreRate = 100.0
)

// bucket is the calculated-cost leaky bucket of one shop (Shopify keeps one
// per app and store; the fake has one app). It holds the points still
// available and refills continuously at rate points per second up to size.
type bucket struct {
	size      float64
	rate      float64
	available float64
	last      time.Time
}

func newBucket(size, rate float64, now time.Time) bucket {
	return bucket{size: size, rate: rate, available: size, last: now}
}

// refill adds what leaked back since the last look. A clock that went
// backwards adds nothing rather than draining the bucket.
func (b *bucket) refill(now time.Time) {
	if dt := now.Sub(b.last).Seconds(); dt > 0 {
		b.available = math.Min(b.size, b.available+dt*b.rate)
	}
	if now.After(b.last) {
		b.last = now
	}
}

// take charges n points if they are available.
func (b *bucket) take(n float64) bool {
	if n > b.available {
		return false
	}
	b.available -= n
	return true
}

// refund gives back points charged but not used, never above the size.
func (b *bucket) refund(n float64) {
	if n > 0 {
		b.available = math.Min(b.size, b.available+n)
	}
}

// throttleStatus is extensions.cost.throttleStatus. Shopify writes
// maximumAvailable and restoreRate as floats (2000.0, 100.0) and
// currentlyAvailable as a whole number, as real responses show; the fake
// keeps those spellings so clients that decode them strictly still work.
type throttleStatus struct {
	max, available, rate float64
}

func (b *bucket) status() throttleStatus {
	return throttleStatus{max: b.size, available: b.available, rate: b.rate}
}

func (t throttleStatus) MarshalJSON() ([]byte, error) {
	buf := []byte(`{"maximumAvailable":`)
	buf = appendFloat(buf, t.max)
	buf = append(buf, `,"currentlyAvailable":`...)
	buf = strconv.AppendInt(buf, int64(math.Floor(t.available)), 10)
	buf = append(buf, `,"restoreRate":`...)
	buf = appendFloat(buf, t.rate)
	return append(buf, '}'), nil
}

// appendFloat writes f as JSON with at least one decimal (2000.0).
func appendFloat(buf []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		f = 0
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	buf = append(buf, s...)
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			return buf
		}
	}
	return append(buf, ".0"...)
}

// queryCost is extensions.cost. actualQueryCost is null when the query was
// not executed (throttled, too expensive or invalid): nothing was charged.
type queryCost struct {
	Requested int            `json:"requestedQueryCost"`
	Actual    *int           `json:"actualQueryCost"`
	Throttle  throttleStatus `json:"throttleStatus"`
}
