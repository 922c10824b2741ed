package httpxtest

import (
	"context"
	"net/http"
	"testing"
	"testing/synctest"
	"time"
)

// Bounds is what one client call may cost against a hostile server.
type Bounds struct {
	Requests int           // requests the call may make (paging, retries, token refreshes)
	Wait     time.Duration // time the call may spend, in the bubble's fake time
}

// RunBounded runs call inside a testing/synctest bubble with an
// *http.Client whose requests h answers in memory, and fails t when the
// call made more than b.Requests requests or took longer than b.Wait.
// Because the bubble's clock only moves while every goroutine waits, a
// client that waits hours costs no wall time, and one that loops without
// waiting is stopped by the request bound (later requests fail with
// ErrTooManyRequests). what describes the server's answer for the failure
// message. It returns call's error.
func RunBounded(t *testing.T, h http.Handler, b Bounds, what string, call func(ctx context.Context, hc *http.Client) error) error {
	t.Helper()
	var err error
	synctest.Test(t, func(t *testing.T) {
		m := NewInMemory(h)
		m.Max = b.Requests
		// Far past the bound, so the bound is what fails, but a call that
		// would wait for years still returns.
		ctx, cancel := context.WithTimeout(context.Background(), 100*b.Wait)
		defer cancel()
		start := time.Now()
		err = call(ctx, m.Client())
		if took := time.Since(start); took > b.Wait {
			t.Errorf("the call took %s (bound %s) against a server that %s", took, b.Wait, what)
		}
		if n := m.Requests(); n > b.Requests {
			t.Errorf("the call made more than %d requests against a server that %s", b.Requests, what)
		}
	})
	return err
}
