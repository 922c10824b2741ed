package tracking

import (
	"context"
	"sync"
)

// storeLocks is a set of mutexes keyed by store, created on first use and
// dropped when nobody holds or waits for them, so that thousands of stores
// cost nothing when idle. Waiting for a lock ends with the context.
type storeLocks struct {
	mu    sync.Mutex
	locks map[string]*storeLock
}

type storeLock struct {
	ch    chan struct{} // holds a token while the lock is held
	users int           // holders and waiters
}

func (l *storeLocks) lock(ctx context.Context, key string) (unlock func(), err error) {
	l.mu.Lock()
	if l.locks == nil {
		l.locks = map[string]*storeLock{}
	}
	sl := l.locks[key]
	if sl == nil {
		sl = &storeLock{ch: make(chan struct{}, 1)}
		l.locks[key] = sl
	}
	sl.users++
	l.mu.Unlock()

	leave := func() {
		l.mu.Lock()
		if sl.users--; sl.users == 0 {
			delete(l.locks, key)
		}
		l.mu.Unlock()
	}
	select {
	case sl.ch <- struct{}{}:
		return func() { <-sl.ch; leave() }, nil
	case <-ctx.Done():
		leave()
		return nil, ctx.Err()
	}
}
