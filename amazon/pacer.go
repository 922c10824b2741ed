package amazon

import (
	"context"
	"math"
	"net/http"
	"sync"
	"time"

	"github.com/shopctrl/tracksync/internal/ctxtime"
)

// pacer is the client's copy of one operation's usage plan for one seller:
// a token bucket that every attempt draws from, retries included, so that
// the client never sends what Amazon's bucket would refuse.
//
// It is kept behind Amazon's bucket, never ahead of it:
//
//   - It starts full (as Amazon's does) but refills only from the first
//     answer on. Amazon's bucket starts refilling when the first request
//     arrives, which is after the client sent it and before the client has
//     the answer; a bucket that refilled from the send would stay that lag
//     ahead of Amazon's for ever.
//   - A 429 says Amazon's bucket is empty: the pacer empties too.
//   - It refills at the plan's rate less paceMargin, so that jitter in
//     the network's delay is absorbed within a few requests.
//
// It is a bucket of its own rather than golang.org/x/time/rate's, whose
// reservations cannot be held back until the first answer.
type pacer struct {
	mu      sync.Mutex
	rate    float64 // tokens per second, margin applied
	planned float64 // the rate of the plan the client was given, margin applied
	burst   float64
	tokens  float64
	last    time.Time     // when tokens was last brought up to date
	running bool          // refilling: the first answer came
	started chan struct{} // closed when running becomes true
}

// paceMargin keeps the client just under a usage plan: one per cent of
// the rate absorbs a lag or jitter of the network within a few requests.
const paceMargin = 0.99

// maxPacerWait bounds the time the bucket may take to make one token at a
// rate Amazon reported below the plan the client was given. The plans'
// slowest rate (createFeed, one per two minutes) stays under it; a reported
// rate that needs more would park every worker, and its lease, for hours.
// (A plan the host configured that slow is the host's choice.) A long queue of waiters at a plausible rate is not refused:
// thousands of reads at 0.5/s do take hours, and each waits its turn.
const maxPacerWait = 5 * time.Minute

func newPacer(p UsagePlan) *pacer {
	return &pacer{rate: p.Rate * paceMargin, planned: p.Rate * paceMargin, burst: float64(p.Burst), tokens: float64(p.Burst), started: make(chan struct{})}
}

// wait takes a token, waiting for one as long as needed or until ctx
// ends, and says how long it waited; it refuses at once, with a
// *WaitError, when a reported rate is implausibly low (see maxPacerWait).
// Waiters are served in order: each
// reserves the next token (the count goes below zero) and sleeps until it
// exists, so a thousand waiters cost a thousand wake-ups, not a thousand
// each.
func (p *pacer) wait(ctx context.Context) (time.Duration, error) {
	begin := time.Now()
	for {
		p.mu.Lock()
		now := time.Now()
		p.refill(now)
		if !p.running && p.tokens < 1 {
			// No refill before the first answer: wait for it.
			started := p.started
			p.mu.Unlock()
			select {
			case <-started:
				continue
			case <-ctx.Done():
				return time.Since(begin), ctx.Err()
			}
		}
		p.tokens--
		if p.tokens >= 0 {
			p.mu.Unlock()
			return now.Sub(begin), nil
		}
		// Round up: a wake-up a nanosecond early would send too soon.
		d := time.Duration(math.Ceil(-p.tokens / p.rate * float64(time.Second)))
		if perToken := time.Duration(float64(time.Second) / p.rate); perToken > maxPacerWait && p.rate < p.planned {
			p.tokens++ // no reservation: nothing will be sent
			p.mu.Unlock()
			return time.Since(begin), &WaitError{Wait: max(d, perToken), Max: maxPacerWait}
		}
		p.mu.Unlock()
		if err := ctxtime.Sleep(ctx, d); err != nil {
			p.mu.Lock()
			p.tokens++ // give the reservation back
			p.mu.Unlock()
			return time.Since(begin), err
		}
		return time.Since(begin), nil
	}
}

// refill brings the bucket up to now. The caller holds mu.
func (p *pacer) refill(now time.Time) {
	if !p.running || !now.After(p.last) {
		return
	}
	p.tokens = math.Min(p.burst, p.tokens+now.Sub(p.last).Seconds()*p.rate)
	p.last = now
}

// answered learns from an attempt's outcome (status 0 for a transport
// error): the first one starts the refill, a 429 empties the bucket.
func (p *pacer) answered(now time.Time, status int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.running {
		p.running, p.last = true, now
		close(p.started)
	}
	p.refill(now)
	if status == http.StatusTooManyRequests {
		// Amazon's bucket is empty now; reservations already made (a
		// negative count) stand.
		p.tokens = math.Min(p.tokens, 0)
	}
}

// retune adopts the rate Amazon reported in x-amzn-RateLimit-Limit and
// says whether it changed.
func (p *pacer) retune(ratePerSecond float64) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	r := ratePerSecond * paceMargin
	if r == p.rate {
		return false
	}
	p.refill(time.Now())
	p.rate = r
	return true
}

// refillTime is how long the bucket takes to hold one token again.
func (p *pacer) refillTime() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return time.Duration(float64(time.Second) / p.rate)
}
