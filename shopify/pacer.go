package shopify

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"
)

// The pacer keeps one cost bucket per shop, a local copy of Shopify's leaky
// bucket (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits):
// a request waits until the bucket holds its requested cost, so that
// Shopify never has to refuse it. The copy is put back in step with the
// server on every answer from extensions.cost.throttleStatus, which also
// accounts for other processes using the same app on the shop.
//
// Waiters reserve in arrival order, as x/time/rate does: the level may go
// below zero, and each waiter sleeps until the refill covers it. x/time/rate
// itself cannot be used because it cannot be told the bucket's current
// level, and Shopify reports exactly that.
type pacer struct {
	disabled bool

	mu      sync.Mutex
	buckets map[string]*bucket
}

func (p *pacer) bucket(shop string) *bucket {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.buckets == nil {
		p.buckets = map[string]*bucket{}
	}
	b := p.buckets[shop]
	if b == nil {
		b = &bucket{inflight: map[uint64]float64{}, calibrated: make(chan struct{})}
		p.buckets[shop] = b
	}
	return b
}

// bucket is the pacing state of one shop.
type bucket struct {
	mu sync.Mutex
	// Until the first answer tells the bucket's size, one request at a time
	// goes out (the probe); the others wait for calibrated to close.
	known      bool
	probing    bool
	calibrated chan struct{}

	max, rate float64   // bucket size and restore rate per second
	level     float64   // points available at time at, net of reservations; may be negative
	at        time.Time // when level was last brought up to date
	pending   float64   // reserved by waiters that have not sent yet
	inflight  map[uint64]float64
	seq       uint64
	last      ThrottleStatus
	versionOK sync.Once // warn about a fall-forward API version once per shop
}

// ticket is one request's passage through the bucket.
type ticket struct {
	seq   uint64
	cost  float64
	probe bool
}

// acquire waits until cost may be sent and registers the request as in
// flight. It fails with ctx's error, or when cost can never fit the bucket.
func (b *bucket) acquire(ctx context.Context, cost float64) (ticket, error) {
	for {
		b.mu.Lock()
		if !b.known {
			if !b.probing {
				b.probing = true
				t := b.send(cost)
				t.probe = true
				b.mu.Unlock()
				return t, nil
			}
			wait := b.calibrated
			b.mu.Unlock()
			select {
			case <-wait:
				continue
			case <-ctx.Done():
				return ticket{}, ctx.Err()
			}
		}
		if cost > b.max {
			b.mu.Unlock()
			return ticket{}, fmt.Errorf("%w: the request costs %.0f points but the shop's bucket holds at most %.0f", ErrMaxCost, cost, b.max)
		}
		b.refill(time.Now())
		b.level -= cost
		b.pending += cost
		wait := time.Duration(0)
		if b.level < 0 {
			wait = time.Duration(math.Ceil(-b.level / b.rate * float64(time.Second)))
		}
		b.mu.Unlock()

		if wait > 0 {
			timer := time.NewTimer(wait)
			select {
			case <-timer.C:
			case <-ctx.Done():
				timer.Stop()
				b.mu.Lock()
				b.pending -= cost
				b.level += cost
				b.mu.Unlock()
				return ticket{}, ctx.Err()
			}
		}
		b.mu.Lock()
		b.pending -= cost
		t := b.send(cost)
		b.mu.Unlock()
		return t, nil
	}
}

// send registers a request as in flight; b.mu is held.
func (b *bucket) send(cost float64) ticket {
	b.seq++
	b.inflight[b.seq] = cost
	return ticket{seq: b.seq, cost: cost}
}

// refill brings level up to now; b.mu is held.
func (b *bucket) refill(now time.Time) {
	if !b.at.IsZero() && now.After(b.at) {
		b.level = math.Min(b.max, b.level+b.rate*now.Sub(b.at).Seconds())
	}
	b.at = now
}

// done ends a request. status is the server's throttle status from the
// answer, nil when the answer carried none (a transport or HTTP error).
//
// The server's currentlyAvailable counts every request it has processed.
// Requests still unanswered may or may not be in it (concurrent requests
// reach the server in any order), and reservations of waiters certainly
// are not: both are taken off again, so the copy errs towards waiting,
// never towards being throttled. The next answers correct the error.
func (b *bucket) done(t ticket, status *ThrottleStatus) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.inflight, t.seq)
	if status == nil || status.MaximumAvailable <= 0 || status.RestoreRate <= 0 {
		if t.probe { // let the next waiter probe
			b.probing = false
			close(b.calibrated)
			b.calibrated = make(chan struct{})
		}
		return
	}
	unanswered := 0.0
	for _, cost := range b.inflight {
		unanswered += cost
	}
	b.max, b.rate = status.MaximumAvailable, status.RestoreRate
	b.level = status.CurrentlyAvailable - unanswered - b.pending
	b.at = time.Now()
	b.last = *status
	if !b.known {
		b.known, b.probing = true, false
		close(b.calibrated)
	}
}

// wait returns how long until the bucket holds cost, by the last status.
func (b *bucket) wait(cost float64) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.known || b.rate <= 0 {
		return 0
	}
	b.refill(time.Now())
	if b.level >= cost {
		return 0
	}
	return time.Duration(math.Ceil((cost - b.level) / b.rate * float64(time.Second)))
}

// status returns the last throttle status the shop reported.
func (b *bucket) status() (ThrottleStatus, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.last, b.known
}
