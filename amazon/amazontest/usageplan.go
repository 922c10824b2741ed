package amazontest

import (
	"math"
	"net/http"
	"strconv"
	"time"
)

// The SP-API limits each operation per selling partner (and application)
// with a token bucket: "tokens are added to your bucket at a set rate per
// second until the maximum limit of the bucket is reached ... Each request
// subtracts a token"; an empty bucket answers 429 ("Usage Plans and Rate
// Limits", developer-docs.amazon.com/sp-api/docs/usage-plans-and-rate-limits).
// Amazon reports the rate in x-amzn-RateLimit-Limit but neither the tokens
// left nor a Retry-After, so the fake sends neither.

// UsagePlan is an operation's limit: Rate requests per second refill a
// bucket of Burst requests.
type UsagePlan struct {
	Rate  float64 // requests per second added to the bucket
	Burst int     // the bucket's size
}

// limited reports whether the plan limits anything; WithUsagePlan with a
// rate or burst of 0 or less removes the limit.
func (p UsagePlan) limited() bool { return p.Rate > 0 && p.Burst > 0 }

// DefaultUsagePlans returns the models' default usage plans, operation →
// [rate per second, burst]:
//
//	confirmShipment     2       10   ordersV0.json confirmShipment
//	getOrderV0          0.5     30   ordersV0.json getOrder
//	getOrderItems       0.5     30   ordersV0.json getOrderItems
//	getOrder            0.5     30   orders_2026-01-01.json getOrder
//	createFeedDocument  0.5     15   feeds_2021-06-30.json createFeedDocument
//	createFeed          0.0083  15   feeds_2021-06-30.json createFeed
//	getFeeds            0.0222  10   feeds_2021-06-30.json getFeeds
//	getFeed             2       15   feeds_2021-06-30.json getFeed
//	cancelFeed          2       15   feeds_2021-06-30.json cancelFeed
//	getFeedDocument     0.0222  10   feeds_2021-06-30.json getFeedDocument
//
// Login with Amazon and the document URLs (S3) have no usage plan.
// Orders v0 has "dynamic usage plans" that Amazon may raise per seller;
// the fake keeps the defaults unless WithUsagePlan says otherwise.
func DefaultUsagePlans() map[string]UsagePlan {
	return map[string]UsagePlan{
		OpConfirmShipment:    {2, 10},
		OpGetOrderV0:         {0.5, 30},
		OpGetOrderItems:      {0.5, 30},
		OpGetOrder:           {0.5, 30},
		OpCreateFeedDocument: {0.5, 15},
		OpCreateFeed:         {0.0083, 15},
		OpGetFeeds:           {0.0222, 10},
		OpGetFeed:            {2, 15},
		OpCancelFeed:         {2, 15},
		OpGetFeedDocument:    {0.0222, 10},
	}
}

// bucket is one seller's token bucket for one operation. It starts full.
type bucket struct {
	tokens float64
	last   time.Time
}

// take refills the bucket for the time passed since its last use and
// takes one token, reporting whether there was one. A clock that steps
// back refills nothing.
func (b *bucket) take(p UsagePlan, now time.Time) bool {
	if d := now.Sub(b.last); d > 0 {
		b.tokens = math.Min(float64(p.Burst), b.tokens+d.Seconds()*p.Rate)
		b.last = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// charge takes a token from the seller's bucket for the call's operation,
// answering 429 QuotaExceeded (with no Retry-After, as Amazon sends none)
// when it is empty.
func (s *Server) charge(c *call) *response {
	p, ok := s.plans[c.route.op]
	if !ok || !p.limited() {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b := c.seller.buckets[c.route.op]
	if b == nil {
		b = &bucket{tokens: float64(p.Burst), last: c.now}
		c.seller.buckets[c.route.op] = b
	}
	if b.take(p, c.now) {
		return nil
	}
	s.throttled++
	c.rec.RateLimited = true
	r := errorResponse(http.StatusTooManyRequests, newError(CodeQuotaExceeded, msgQuotaExceeded, ""))
	return &r
}

// formatRate writes a rate as Amazon does in x-amzn-RateLimit-Limit:
// "2.0", "0.5", "0.0083".
func formatRate(rate float64) string {
	if rate == math.Trunc(rate) {
		return strconv.FormatFloat(rate, 'f', 1, 64)
	}
	return strconv.FormatFloat(rate, 'f', -1, 64)
}
