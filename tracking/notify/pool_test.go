package notify

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/shopctrl/tracksync/internal/ctxtime"
	"github.com/stretchr/testify/require"
)

// fakeConn is a pooled connection without a network.
type fakeConn struct {
	id     int
	mu     sync.Mutex
	closed bool
}

func (c *fakeConn) alive() bool { c.mu.Lock(); defer c.mu.Unlock(); return !c.closed }
func (c *fakeConn) quit()       { c.mu.Lock(); c.closed = true; c.mu.Unlock() }

func newFakePool(max int, idle time.Duration) (*pool[*fakeConn], *int) {
	dials := new(int)
	var mu sync.Mutex
	p := newPool(max, idle, func(context.Context) (*fakeConn, error) {
		mu.Lock()
		defer mu.Unlock()
		*dials++
		return &fakeConn{id: *dials}, nil
	}, (*fakeConn).alive, (*fakeConn).quit)
	return p, dials
}

func TestPoolReusesAndExpiresIdleConnections(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p, dials := newFakePool(1, 30*time.Second)
		c, reused, err := p.get(t.Context())
		require.NoError(t, err)
		require.False(t, reused)
		p.put(c, true)

		time.Sleep(29 * time.Second)
		c2, reused, err := p.get(t.Context())
		require.NoError(t, err)
		require.True(t, reused)
		require.Same(t, c, c2)
		p.put(c2, true)

		time.Sleep(31 * time.Second) // idle too long: closed with QUIT
		synctest.Wait()
		require.False(t, c.alive())
		c3, reused, err := p.get(t.Context())
		require.NoError(t, err)
		require.False(t, reused)
		require.Equal(t, 2, *dials)
		p.put(c3, false)
		require.False(t, c3.alive(), "a connection not kept is closed")
	})
}

func TestPoolCapsConnections(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p, dials := newFakePool(2, time.Minute)
		a, _, _ := p.get(t.Context())
		b, _, _ := p.get(t.Context())
		got := make(chan *fakeConn)
		go func() {
			c, _, err := p.get(context.Background())
			if err == nil {
				got <- c
			}
		}()
		synctest.Wait()
		select {
		case <-got:
			t.Fatal("a third connection while two are in use")
		default:
		}
		p.put(a, true)
		c := <-got
		require.Same(t, a, c, "the waiting sender takes the idle connection")
		require.Equal(t, 2, *dials)

		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		_, _, err := p.get(ctx)
		require.ErrorIs(t, err, context.DeadlineExceeded, "waiting for a slot ends with the context")
		p.put(b, true)
		p.put(c, true)
		p.close()
		require.False(t, b.alive())
		require.False(t, c.alive())
		_, _, err = p.get(t.Context())
		require.ErrorIs(t, err, errPoolClosed)
	})
}

func TestPoolDialErrorFreesTheSlot(t *testing.T) {
	fail := errors.New("connection refused")
	p := newPool(1, time.Minute, func(context.Context) (*fakeConn, error) { return nil, fail }, (*fakeConn).alive, (*fakeConn).quit)
	for range 3 {
		_, _, err := p.get(t.Context())
		require.ErrorIs(t, err, fail)
	}
}

func TestSleepHonoursTheContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		require.NoError(t, ctxtime.Sleep(t.Context(), 5*time.Second))
		require.Equal(t, 5*time.Second, time.Since(start))
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		require.ErrorIs(t, ctxtime.Sleep(ctx, time.Hour), context.DeadlineExceeded)
		require.Equal(t, 6*time.Second, time.Since(start))
	})
}
