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
//   - A full bucket refills nothing, so Amazon's starts refilling when the
//     request that draws from it full arrives, which is after the client
//     sent it and before the client has the answer. The pacer starts full
//     (as Amazon's does), and whenever a request draws from it full, it
//     holds its refill until that request's answer (or until it is given
//     up unsent). A bucket that refilled from the send would be that lag
//     ahead of Amazon's until it was full again: at the start, and each
//     time a full bucket is drained, by as many tokens as the plan makes
//     in a one-way network delay (a 429 now and then at a high rate).
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
	running bool          // refilling: no request drawn from a full bucket is on its way
	started chan struct{} // closed when running becomes true
	draws   uint64        // the draws so far: the last one's ticket
	holder  uint64        // while not running: the ticket of the draw whose answer restarts the refill
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
// The ticket names the draw: pass it to answered once the attempt has its
// answer (or transport error), or to unsent if it is not sent after all.
// Waiters are served in order: each
// reserves the next token (the count goes below zero) and sleeps until it
// exists, so a thousand waiters cost a thousand wake-ups, not a thousand
// each.
func (p *pacer) wait(ctx context.Context) (ticket uint64, waited time.Duration, err error) {
	begin := time.Now()
	for {
		p.mu.Lock()
		now := time.Now()
		p.refill(now)
		if !p.running && p.tokens < 1 {
			// No refill until the request that found the bucket full has
			// its answer: wait for it.
			started := p.started
			p.mu.Unlock()
			select {
			case <-started:
				continue
			case <-ctx.Done():
				return 0, time.Since(begin), ctx.Err()
			}
		}
		if p.tokens >= p.burst {
			p.hold()
		}
		p.tokens--
		p.draws++
		ticket = p.draws
		if p.tokens >= 0 {
			p.mu.Unlock()
			return ticket, now.Sub(begin), nil
		}
		// Round up: a wake-up a nanosecond early would send too soon.
		d := time.Duration(math.Ceil(-p.tokens / p.rate * float64(time.Second)))
		if perToken := time.Duration(float64(time.Second) / p.rate); perToken > maxPacerWait && p.rate < p.planned {
			p.tokens++ // no reservation: nothing will be sent
			p.mu.Unlock()
			return 0, time.Since(begin), &WaitError{Wait: max(d, perToken), Max: maxPacerWait}
		}
		p.mu.Unlock()
		if err := ctxtime.Sleep(ctx, d); err != nil {
			p.mu.Lock()
			p.tokens++ // give the reservation back
			p.mu.Unlock()
			return 0, time.Since(begin), err
		}
		return ticket, time.Since(begin), nil
	}
}

// hold stops the refill until the answer of the draw about to be made,
// which finds the bucket full. The caller holds mu.
func (p *pacer) hold() {
	if p.running {
		p.running, p.started = false, make(chan struct{})
	}
	p.holder = p.draws + 1
}

// resume restarts the refill from now. The caller holds mu.
func (p *pacer) resume(now time.Time) {
	if p.running {
		return
	}
	p.running, p.last = true, now
	close(p.started)
}

// refill brings the bucket up to now. The caller holds mu.
func (p *pacer) refill(now time.Time) {
	if !p.running || !now.After(p.last) {
		return
	}
	p.tokens = math.Min(p.burst, p.tokens+now.Sub(p.last).Seconds()*p.rate)
	p.last = now
}

// answered learns from the outcome of the attempt that drew ticket
// (status 0 for a transport error): the answer of one that found the
// bucket full restarts the refill, a 429 empties the bucket.
func (p *pacer) answered(ticket uint64, now time.Time, status int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if ticket == p.holder {
		p.resume(now)
	}
	p.refill(now)
	if status == http.StatusTooManyRequests {
		// Amazon's bucket is empty now; reservations already made (a
		// negative count) stand.
		p.tokens = math.Min(p.tokens, 0)
	}
}

// unsent gives back the token of a draw whose attempt was not sent (its
// access token or its lease was lost meanwhile): Amazon never saw it.
func (p *pacer) unsent(ticket uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if ticket == p.holder {
		p.resume(time.Now())
	}
	p.refill(time.Now())
	p.tokens = math.Min(p.burst, p.tokens+1)
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
