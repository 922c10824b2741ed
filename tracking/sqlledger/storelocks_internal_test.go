package sqlledger

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/sqlledger/pgtest"
	"github.com/stretchr/testify/require"
)

// forEachLedger runs test on a fresh ledger of each dialect, in parallel.
func forEachLedger(t *testing.T, test func(t *testing.T, l *Ledger)) {
	open := map[Dialect]func(t *testing.T) (*Ledger, error){
		Postgres: func(t *testing.T) (*Ledger, error) { return OpenPostgres(t.Context(), pgtest.DSN(t)) },
		SQLite: func(t *testing.T) (*Ledger, error) {
			return OpenSQLite(t.Context(), filepath.Join(t.TempDir(), "ledger.db"))
		},
	}
	for d, o := range open {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			l, err := o(t)
			require.NoError(t, err)
			t.Cleanup(func() { require.NoError(t, l.Close()) })
			test(t, l)
		})
	}
}

// newLocks returns StoreLocks whose loop never runs during a test (the
// test calls tick) and whose idle clock the test sets.
func newLocks(t *testing.T, l *Ledger, owner string, now *time.Time, opts ...StoreLockOption) *StoreLocks {
	t.Helper()
	opts = append([]StoreLockOption{WithStoreTTL(time.Hour), WithStoreIdle(time.Hour)}, opts...)
	s, err := NewStoreLocks(l, owner, opts...)
	require.NoError(t, err)
	s.now = func() time.Time { return *now }
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	return s
}

// expireStoreLeases makes every store lease look as if its holder died an
// hour ago.
func expireStoreLeases(t *testing.T, l *Ledger) {
	t.Helper()
	_, err := l.db.exec(t.Context(), `UPDATE tracksync_store_lease SET expires = $1 WHERE owner IS NOT NULL`,
		l.dialect.timeArg(time.Now().Add(-time.Hour)))
	require.NoError(t, err)
}

// storeExpiry reads a store lease's expiry from the database.
func storeExpiry(t *testing.T, l *Ledger, store string) time.Time {
	t.Helper()
	var exp dbTime
	require.NoError(t, l.db.read(t.Context(), `SELECT expires FROM tracksync_store_lease WHERE store = $1`, store).Scan(&exp))
	return exp.t
}

func requireBusy(t *testing.T, s *StoreLocks, store, holder string) *tracking.StoreBusyError {
	t.Helper()
	_, err := s.LockStore(t.Context(), "shopify", store)
	require.ErrorIs(t, err, tracking.ErrStoreBusy)
	var busy *tracking.StoreBusyError
	require.ErrorAs(t, err, &busy)
	require.Equal(t, holder, busy.Owner)
	require.Equal(t, store, busy.Store)
	require.Equal(t, tracking.Channel("shopify"), busy.Channel)
	return busy
}

func TestStoreLocksOneOwnerAtATime(t *testing.T) {
	forEachLedger(t, func(t *testing.T, l *Ledger) {
		now := time.Now()
		a := newLocks(t, l, "worker-a", &now, WithStoreIdle(0))
		b := newLocks(t, l, "worker-b", &now, WithStoreIdle(0))

		unlock1, err := a.LockStore(t.Context(), "shopify", "shop-1")
		require.NoError(t, err)
		unlock2, err := a.LockStore(t.Context(), "shopify", "shop-1")
		require.NoError(t, err, "orders of one store in one process share it")
		busy := requireBusy(t, b, "shop-1", "worker-a")
		require.WithinDuration(t, time.Now().Add(time.Hour), busy.Until, time.Minute)
		require.Positive(t, busy.RetryAfter())

		_, err = b.LockStore(t.Context(), "amazon", "shop-1")
		require.NoError(t, err, "stores of other channels are other stores")
		_, err = b.LockStore(t.Context(), "shopify", "shop-2")
		require.NoError(t, err)

		unlock1()
		unlock1() // a second call does nothing
		requireBusy(t, b, "shop-1", "worker-a")
		unlock2()
		requireBusy(t, b, "shop-1", "worker-a") // remembered: asked again this soon, b reads nothing
		now = now.Add(time.Hour)
		unlock3, err := b.LockStore(t.Context(), "shopify", "shop-1")
		require.NoError(t, err, "the last unlock with no idle time handed it back")
		requireBusy(t, a, "shop-1", "worker-b")
		unlock3()
	})
}

func TestStoreLocksKeepAnIdleStore(t *testing.T) {
	forEachLedger(t, func(t *testing.T, l *Ledger) {
		now := time.Now()
		a := newLocks(t, l, "worker-a", &now, WithStoreIdle(5*time.Second))
		b := newLocks(t, l, "worker-b", &now)

		unlock, err := a.LockStore(t.Context(), "shopify", "shop-1")
		require.NoError(t, err)
		unlock()
		now = now.Add(4 * time.Second)
		a.tick()
		requireBusy(t, b, "shop-1", "worker-a")

		unlock, err = a.LockStore(t.Context(), "shopify", "shop-1")
		require.NoError(t, err, "still ours: no statement, no handover")
		now = now.Add(time.Minute)
		a.tick()
		requireBusy(t, b, "shop-1", "worker-a") // in use: idle time does not count
		unlock()
		now = now.Add(5 * time.Second)
		a.tick()
		now = now.Add(time.Hour) // past b's memory of the busy store
		_, err = b.LockStore(t.Context(), "shopify", "shop-1")
		require.NoError(t, err, "idle long enough: handed back")
	})
}

func TestStoreLocksRenew(t *testing.T) {
	forEachLedger(t, func(t *testing.T, l *Ledger) {
		now := time.Now()
		a := newLocks(t, l, "worker-a", &now)
		_, err := a.LockStore(t.Context(), "shopify", "shop-1")
		require.NoError(t, err)
		expireStoreLeases(t, l)
		a.tick()
		require.WithinDuration(t, time.Now().Add(time.Hour), storeExpiry(t, l, "shop-1"), time.Minute,
			"renewed, even after its expiry as long as nobody took it")
	})
}

func TestStoreLocksTakeOverFromTheDead(t *testing.T) {
	forEachLedger(t, func(t *testing.T, l *Ledger) {
		now := time.Now()
		dead := newLocks(t, l, "worker-dead", &now)
		b := newLocks(t, l, "worker-b", &now)
		_, err := dead.LockStore(t.Context(), "shopify", "shop-1")
		require.NoError(t, err)
		requireBusy(t, b, "shop-1", "worker-dead")

		expireStoreLeases(t, l) // it stopped renewing
		now = now.Add(time.Hour)
		_, err = b.LockStore(t.Context(), "shopify", "shop-1")
		require.NoError(t, err, "an expired store lease is taken over")

		dead.tick() // it wakes up: its renewal finds the store gone
		requireBusy(t, dead, "shop-1", "worker-b")
	})
}

func TestStoreLocksClose(t *testing.T) {
	forEachLedger(t, func(t *testing.T, l *Ledger) {
		now := time.Now()
		a, err := NewStoreLocks(l, "worker-a", WithStoreTTL(time.Hour))
		require.NoError(t, err)
		b := newLocks(t, l, "worker-b", &now)
		for _, store := range []string{"shop-1", "shop-2"} {
			_, err := a.LockStore(t.Context(), "shopify", store)
			require.NoError(t, err)
		}
		require.NoError(t, a.Close())
		require.NoError(t, a.Close(), "closing again does nothing")
		for _, store := range []string{"shop-1", "shop-2"} {
			_, err := b.LockStore(t.Context(), "shopify", store)
			require.NoError(t, err, "handed back at close")
		}
		_, err = a.LockStore(t.Context(), "shopify", "shop-3")
		require.ErrorIs(t, err, ErrStoreLocksClosed)
	})
}

func TestStoreLocksRace(t *testing.T) {
	forEachLedger(t, func(t *testing.T, l *Ledger) {
		now := time.Now()
		const owners = 8
		errs := make([]error, owners)
		var wg sync.WaitGroup
		for i := range owners {
			s := newLocks(t, l, fmt.Sprintf("worker-%d", i), &now)
			wg.Go(func() { _, errs[i] = s.LockStore(t.Context(), "shopify", "shop-1") })
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			if err == nil {
				won++
				continue
			}
			require.ErrorIs(t, err, tracking.ErrStoreBusy)
		}
		require.Equal(t, 1, won)
	})
}

func TestStoreLocksBadInput(t *testing.T) {
	forEachLedger(t, func(t *testing.T, l *Ledger) {
		now := time.Now()
		s := newLocks(t, l, "worker-a", &now)
		for _, tc := range []struct {
			channel tracking.Channel
			store   string
		}{{"", "shop-1"}, {"shopify", ""}, {"shopify", "shop\x00"}, {"shop\xffify", "shop-1"}} {
			_, err := s.LockStore(t.Context(), tc.channel, tc.store)
			require.Error(t, err, "%q %q", tc.channel, tc.store)
		}
		cancelled, cancel := context.WithCancel(t.Context())
		cancel()
		_, err := s.LockStore(cancelled, "shopify", "shop-1")
		require.ErrorIs(t, err, context.Canceled)

		_, err = NewStoreLocks(l, "w\xff")
		require.ErrorIs(t, err, ErrInvalidText)
		_, err = NewStoreLocks(l, "w", WithStoreTTL(0))
		require.Error(t, err)
		_, err = NewStoreLocks(l, "")
		require.ErrorContains(t, err, "empty owner")
	})
}
