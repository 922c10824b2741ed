package shopify

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"
)

// The pacer keeps, per shop, a copy of Shopify's cost bucket
// (https://shopify.dev/docs/api/usage/limits#requested-and-actual-cost):
// a request is sent once the bucket holds its requested cost, which is
// taken at once; when the answer comes, what the query did not use is
// credited back, as Shopify refunds requested − actual after the query has
// run.
//
// It keeps two accounts of the shop's level. The own account starts from
// the first answer's throttleStatus and then counts this client's charges
// and refunds exactly: with no one else using the app on the shop it never
// promises more than the server has (refunds are counted when their answer
// comes, after the server made them). The server's account is set from
// every answer's throttleStatus — only from an answer to a request sent
// after the one whose status was applied last, since concurrent answers
// arrive in any order and an older level must not overwrite a newer one —
// less the requests sent after it, which it may not count yet; it sees
// what other processes of the same app spend. A request goes when the
// lower of the two holds its cost: each can be wrong (the own account when
// someone else uses the shop, the server's when the server ran requests
// out of the order they were sent), both rarely at once.
//
// Requests wait in one queue per shop, writes before reads, each in
// arrival order. The queue is served whenever the level changes — an
// answer's status or refund, a cancelled waiter, a released hold — and by
// one timer set for the moment the refill covers the first waiter, so a
// waiter never sleeps past the point where it could go. x/time/rate cannot
// do this: it cannot be told the bucket's level, nor refund a reservation
// in part.
//
// A read may set points aside (a hold) for the writes its export will make
// once it is answered: an order whose read was answered then gets its
// write before other orders' reads are admitted, and reads are only
// admitted while the bucket can also serve their writes soon. Otherwise,
// with many workers, every worker reads, and all of them then wait for the
// points their writes need while their leases run.
//
// An idle shop costs its bucket's few hundred bytes and no goroutine: the
// timer only exists while someone waits, and answers are applied by the
// goroutines that receive them.
type pacer struct {
	disabled bool
	maxWait  time.Duration

	mu      sync.Mutex
	buckets map[string]*bucket
}

// DefaultMaxWait is how long a request may wait for the shop's bucket
// unless WithMaxWait says otherwise.
const DefaultMaxWait = 5 * time.Minute

func (p *pacer) bucket(shop string) *bucket {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.buckets == nil {
		p.buckets = map[string]*bucket{}
	}
	b := p.buckets[shop]
	if b == nil {
		b = &bucket{shop: shop, maxWait: p.maxWait}
		p.buckets[shop] = b
	}
	return b
}

// priority orders the queue: writes first.
type priority uint8

const (
	priorityWrite priority = iota
	priorityRead
)

// bucket is the pacing state of one shop.
type bucket struct {
	shop    string
	maxWait time.Duration

	mu sync.Mutex
	// Until the first answer tells the bucket's size and rate, one request
	// at a time goes out (the probe).
	known, probing bool
	max, rate      float64
	// own and srv are the two accounts of the shop's level at time at,
	// after the charges of every request sent (see above). What may be
	// spent is the lower of the two less the holds (level).
	own, srv float64
	at       time.Time
	inflight float64 // requested cost of the unanswered requests
	held     float64 // points set aside by holds
	sent     uint64  // sequence number of the last request sent
	applied  uint64  // sequence number of the request whose status was applied last
	flights  []flight
	queue    []*waiter
	timer    *time.Timer // armed while the first waiter waits for the refill
	last     ThrottleStatus

	versionOK sync.Once // warn about a fall-forward API version once per shop
}

type flight struct {
	seq  uint64
	cost float64
}

// waiter is a request waiting in the queue.
type waiter struct {
	cost  float64
	prio  priority
	hold  *hold   // the export's hold, nil if none
	extra float64 // points this read sets aside in hold when admitted
	ready chan ticket
}

// ticket is one request's passage through the bucket.
type ticket struct {
	seq   uint64
	cost  float64
	probe bool
	wait  time.Duration // spent in the queue
}

// hold is points set aside in a bucket for the writes of one export. The
// export's first read takes want points with it; its writes spend them.
type hold struct {
	b      *bucket
	want   float64
	taken  bool    // the first read came through (with or without points)
	points float64 // set aside now
}

// acquire waits until cost may be sent and registers the request as sent.
// It fails with ctx's error, with ErrMaxCost when cost can never fit the
// bucket, and with a *WaitError when the wait would exceed the limit.
func (b *bucket) acquire(ctx context.Context, cost float64, prio priority, h *hold) (ticket, error) {
	start := time.Now()
	b.mu.Lock()
	if h != nil && h.b != b {
		h = nil
	}
	if h != nil && b.known && h.points >= cost && b.refill(start) >= 0 {
		// A write from its export's hold. (A level below zero means the
		// server has less than the holds: then it queues like any write.)
		h.points -= cost
		b.held -= cost
		b.spend(cost)
		t := b.register(cost)
		b.mu.Unlock()
		return t, nil
	}
	if h != nil && h.points > 0 { // too little held: give it back, queue for all of it
		b.release(h, start)
	}
	if b.known && cost > b.max {
		b.mu.Unlock()
		return ticket{}, fmt.Errorf("%w: the request costs %.0f points but the bucket of %s holds at most %.0f", ErrMaxCost, cost, b.shop, b.max)
	}
	w := &waiter{cost: cost, prio: prio, ready: make(chan ticket, 1)}
	if h != nil && prio == priorityRead && !h.taken {
		w.hold, w.extra = h, h.want
	}
	b.enqueue(w)
	b.dispatch(start)
	if len(w.ready) == 0 && b.known {
		if err := b.checkWait(w, start); err != nil {
			b.remove(w)
			b.dispatch(start)
			b.mu.Unlock()
			return ticket{}, err
		}
	}
	b.mu.Unlock()
	return b.await(ctx, w, start)
}

// await waits for w's admission, or takes w out of the queue when ctx ends
// first.
func (b *bucket) await(ctx context.Context, w *waiter, start time.Time) (ticket, error) {
	select {
	case t := <-w.ready:
		t.wait = time.Since(start)
		return t, nil
	case <-ctx.Done():
		b.mu.Lock()
		defer b.mu.Unlock()
		select {
		case t := <-w.ready: // admitted meanwhile: it will not be sent
			b.unsend(t)
		default:
			b.remove(w)
		}
		b.dispatch(time.Now())
		return ticket{}, ctx.Err()
	}
}

// enqueue puts w behind the waiters of its priority and higher.
func (b *bucket) enqueue(w *waiter) {
	i := len(b.queue)
	for i > 0 && b.queue[i-1].prio > w.prio {
		i--
	}
	b.queue = slices.Insert(b.queue, i, w)
}

func (b *bucket) remove(w *waiter) {
	if i := slices.Index(b.queue, w); i >= 0 {
		b.queue = slices.Delete(b.queue, i, i+1)
	}
	if len(b.queue) == 0 {
		b.queue = nil
	}
}

// need is what admitting w takes from the level: its cost, and for the
// first read of an export what its writes will need, as far as the bucket
// can hold both.
func (b *bucket) need(w *waiter) float64 {
	if w.hold == nil || !b.known {
		return w.cost
	}
	return w.cost + min(w.extra, max(0, b.max-w.cost))
}

// dispatch admits the waiters that fit, in queue order, and arms the timer
// for the first one that does not. b.mu is held.
func (b *bucket) dispatch(now time.Time) {
	b.refill(now)
	for len(b.queue) > 0 {
		w := b.queue[0]
		if !b.known {
			if b.probing {
				break
			}
			b.probing = true
			b.admit(w, 0)
			continue
		}
		need := b.need(w)
		if b.level() < need {
			break
		}
		b.admit(w, need-w.cost)
	}
	if len(b.queue) == 0 {
		b.queue = nil
	}
	b.arm()
}

// admit takes w's cost (and its hold's extra) from the level and sends it.
func (b *bucket) admit(w *waiter, extra float64) {
	b.queue = b.queue[1:]
	b.spend(w.cost)
	if w.hold != nil {
		w.hold.taken = true
		w.hold.points += extra
		b.held += extra
	}
	t := b.register(w.cost)
	t.probe = !b.known
	w.ready <- t
}

// arm sets the timer for when the refill covers the first waiter, or stops
// it when nobody waits (or the refill is unknown: answers then wake the
// queue).
func (b *bucket) arm() {
	if len(b.queue) == 0 || !b.known || b.rate <= 0 {
		if b.timer != nil {
			b.timer.Stop()
			b.timer = nil
		}
		return
	}
	d := floatDuration(math.Ceil((b.need(b.queue[0]) - b.level()) / b.rate * float64(time.Second)))
	d = min(max(d, time.Millisecond), b.maxWait)
	if b.timer == nil {
		b.timer = time.AfterFunc(d, b.wake)
		return
	}
	b.timer.Reset(d)
}

// floatDuration converts nanoseconds held in a float to a Duration,
// saturating: float64(math.MaxInt64) rounds up to 2^63, whose conversion
// would wrap to a negative wait (a restore rate of 1e-12 then looked like
// no wait at all and spun the timer).
func floatDuration(ns float64) time.Duration {
	if ns >= math.MaxInt64 || math.IsNaN(ns) {
		return math.MaxInt64
	}
	return time.Duration(ns)
}

func (b *bucket) wake() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.dispatch(time.Now())
}

// checkWait refuses a waiter that would wait longer than the limit: by
// the restore rate, the waiters ahead of it and itself need more points
// than the bucket will hold by then. b.mu is held.
func (b *bucket) checkWait(w *waiter, now time.Time) error {
	ahead, points := 0, -b.level()
	for _, q := range b.queue {
		points += b.need(q)
		if q == w {
			break
		}
		ahead++
	}
	if points <= 0 {
		return nil
	}
	wait := time.Duration(math.MaxInt64)
	if b.rate > 0 {
		wait = floatDuration(points / b.rate * float64(time.Second))
	}
	if wait <= b.maxWait {
		return nil
	}
	return &WaitError{Shop: b.shop, Cost: w.cost, Wait: wait, Limit: b.maxWait, RestoreRate: b.rate, Ahead: ahead}
}

// spend takes cost from both accounts for a request about to be sent;
// b.mu is held.
func (b *bucket) spend(cost float64) {
	b.own -= cost
	b.srv -= cost
	b.inflight += cost
}

// level is what may be spent now (after refill); b.mu is held.
func (b *bucket) level() float64 { return min(b.own, b.srv) - b.held }

// register records a request as sent; b.mu is held.
func (b *bucket) register(cost float64) ticket {
	b.sent++
	b.flights = append(b.flights, flight{seq: b.sent, cost: cost})
	return ticket{seq: b.sent, cost: cost}
}

// land removes an answered (or abandoned) request; b.mu is held.
func (b *bucket) land(t ticket) {
	if i := slices.IndexFunc(b.flights, func(f flight) bool { return f.seq == t.seq }); i >= 0 {
		b.flights = slices.Delete(b.flights, i, i+1)
		b.inflight -= t.cost
	}
	if len(b.flights) == 0 {
		b.flights, b.inflight = nil, 0 // no drift from float sums
	}
	if t.probe {
		b.probing = false
	}
}

// cancel gives back a request that was admitted but is not sent after
// all.
func (b *bucket) cancel(t ticket) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.unsend(t)
	b.dispatch(time.Now())
}

// unsend gives back a request that was admitted but never sent; b.mu is
// held.
func (b *bucket) unsend(t ticket) {
	b.land(t)
	b.refill(time.Now())
	b.own += t.cost
	b.srv += t.cost
}

// refill brings both accounts up to now, never past what the bucket can
// hold, and returns the level.
func (b *bucket) refill(now time.Time) float64 {
	if b.known && now.After(b.at) {
		add := b.rate * now.Sub(b.at).Seconds()
		b.own, b.srv = b.capped(b.own+add), b.capped(b.srv+add)
	}
	if now.After(b.at) {
		b.at = now
	}
	return b.level()
}

// capped is v, but no more than the bucket can hold after the charges of
// the requests unanswered.
func (b *bucket) capped(v float64) float64 { return min(b.max-b.inflight, v) }

// done ends a request with what its answer said: status is the
// throttleStatus (nil when the answer carried none, as after a transport
// or HTTP error), actual the actualQueryCost (nil when the query did not
// run, as when throttled).
func (b *bucket) done(t ticket, status *ThrottleStatus, actual *float64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := time.Now()
	b.land(t)
	if status == nil || status.MaximumAvailable <= 0 || status.RestoreRate <= 0 {
		// Whether the server charged it is unknown: it stays spent (the
		// next status corrects the server's account; the own account gets
		// it back as the bucket refills to the top).
		b.dispatch(now)
		return
	}
	charged := 0.0 // nothing when the query did not run (throttled)
	if actual != nil {
		charged = *actual
	}
	b.max, b.rate, b.last = status.MaximumAvailable, status.RestoreRate, *status
	if !b.known {
		b.known, b.applied, b.at = true, t.seq, now
		b.own = b.capped(status.CurrentlyAvailable)
		b.srv = b.own
		b.dispatch(now)
		return
	}
	b.refill(now)
	refund := t.cost - charged
	b.own = b.capped(b.own + refund)
	if t.seq > b.applied {
		// The newest status, as of when the server answered t: the
		// requests sent before t reached the server before it, as a rule,
		// and are in it; those sent after may not be.
		b.applied = t.seq
		after := 0.0
		for _, f := range b.flights {
			if f.seq > t.seq {
				after += f.cost
			}
		}
		b.srv = b.capped(status.CurrentlyAvailable - after)
	} else {
		b.srv = b.capped(b.srv + refund)
	}
	b.dispatch(now)
}

// release gives back what a hold has left; b.mu is held.
func (b *bucket) release(h *hold, now time.Time) {
	b.refill(now)
	b.held -= h.points
	h.points = 0
	if b.held < 1e-9 {
		b.held = 0
	}
}

// releaseHold is release for an export that is done with its hold.
func (b *bucket) releaseHold(h *hold) {
	b.mu.Lock()
	defer b.mu.Unlock()
	h.taken = true // a hold is only taken once
	if h.points == 0 {
		return
	}
	now := time.Now()
	b.release(h, now)
	b.dispatch(now)
}

// status returns the last throttle status the shop reported.
func (b *bucket) status() (ThrottleStatus, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.last, b.known
}
