// Package fake holds what the fake servers (shopifytest, amazontest) share:
// the queue of injected faults and the dropped connection.
package fake

import (
	"net/http"
	"slices"
)

// Faults is a queue of injected faults, consumed in the order they were
// added: a request takes the first one that matches it, and a fault that
// has fired its number of times is gone. It is not safe for concurrent
// use; the servers guard it with their own lock.
type Faults[F any] struct {
	items []*counted[F]
}

type counted[F any] struct {
	fault F
	left  int
}

// Add queues f to fire times times (at least once).
func (q *Faults[F]) Add(f F, times int) {
	q.items = append(q.items, &counted[F]{fault: f, left: max(times, 1)})
}

// Take consumes the first queued fault that match accepts.
func (q *Faults[F]) Take(match func(F) bool) (F, bool) {
	for i, c := range q.items {
		if !match(c.fault) {
			continue
		}
		if c.left--; c.left <= 0 {
			q.items = slices.Delete(q.items, i, i+1)
		}
		return c.fault, true
	}
	var zero F
	return zero, false
}

// Drop closes the connection of w without an answer: the client sees a
// transport error. httptest's servers speak HTTP/1.1, whose connections can
// be hijacked; where one cannot be (an in-memory ResponseRecorder), aborting
// the handler is net/http's own way to drop the answer.
func Drop(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}
