package shopify

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
)

func status(avail float64) *ThrottleStatus {
	return &ThrottleStatus{MaximumAvailable: 200, CurrentlyAvailable: avail, RestoreRate: 100}
}

func TestBucketProbesUntilCalibrated(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := (&pacer{}).bucket("demo.myshopify.com")
		probe, err := b.acquire(t.Context(), 10)
		require.NoError(t, err)
		require.True(t, probe.probe)

		got := make(chan time.Time)
		go func() {
			_, err := b.acquire(t.Context(), 10)
			require.NoError(t, err)
			got <- time.Now()
		}()
		synctest.Wait()
		select {
		case <-got:
			t.Fatal("a second request went out before the bucket was known")
		default:
		}
		start := time.Now()
		b.done(probe, status(190))
		require.Equal(t, start, <-got, "released at once: the bucket holds plenty")
	})
}

func TestBucketProbeFailureLetsTheNextProbe(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := (&pacer{}).bucket("demo.myshopify.com")
		probe, _ := b.acquire(t.Context(), 10)
		next := make(chan ticket)
		go func() {
			tk, _ := b.acquire(t.Context(), 10)
			next <- tk
		}()
		synctest.Wait()
		b.done(probe, nil) // the answer carried no cost (a transport error)
		require.True(t, (<-next).probe)
	})
}

func TestBucketWaitsForTheRefill(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := (&pacer{}).bucket("demo.myshopify.com")
		probe, _ := b.acquire(t.Context(), 10)
		b.done(probe, status(60)) // 60 points, 100 per second

		start := time.Now()
		var sent []time.Duration
		for _, cost := range []float64{50, 50, 100} {
			tk, err := b.acquire(t.Context(), cost)
			require.NoError(t, err)
			sent = append(sent, time.Since(start))
			_ = tk
		}
		// 60 covers the first; the second waits for 40 more (0.4 s); the
		// third for 100 more (1 s later).
		require.Equal(t, []time.Duration{0, 400 * time.Millisecond, 1400 * time.Millisecond}, sent)
	})
}

func TestBucketReservesInArrivalOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := (&pacer{}).bucket("demo.myshopify.com")
		probe, _ := b.acquire(t.Context(), 10)
		b.done(probe, status(0))
		start := time.Now()
		var mu sync.Mutex
		at := map[int]time.Duration{}
		var wg sync.WaitGroup
		for i := range 4 {
			wg.Go(func() {
				_, err := b.acquire(t.Context(), 100)
				require.NoError(t, err)
				mu.Lock()
				at[i] = time.Since(start)
				mu.Unlock()
			})
			synctest.Wait() // goroutine i reserves before i+1
		}
		wg.Wait()
		require.Equal(t, map[int]time.Duration{0: time.Second, 1: 2 * time.Second, 2: 3 * time.Second, 3: 4 * time.Second}, at)
	})
}

func TestBucketCancelGivesTheReservationBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := (&pacer{}).bucket("demo.myshopify.com")
		probe, _ := b.acquire(t.Context(), 10)
		b.done(probe, status(0))
		ctx, cancel := context.WithCancel(t.Context())
		errc := make(chan error)
		go func() {
			_, err := b.acquire(ctx, 150)
			errc <- err
		}()
		synctest.Wait()
		cancel()
		require.ErrorIs(t, <-errc, context.Canceled)
		start := time.Now()
		_, err := b.acquire(t.Context(), 100)
		require.NoError(t, err)
		require.Equal(t, time.Second, time.Since(start), "the cancelled 150 points are no longer reserved")
	})
}

func TestBucketRefusesWhatNeverFits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := (&pacer{}).bucket("demo.myshopify.com")
		probe, _ := b.acquire(t.Context(), 10)
		b.done(probe, status(200))
		_, err := b.acquire(t.Context(), 201)
		require.ErrorIs(t, err, ErrMaxCost)
	})
}

func TestBucketResyncCountsUnansweredRequests(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := (&pacer{}).bucket("demo.myshopify.com")
		probe, _ := b.acquire(t.Context(), 10)
		b.done(probe, status(200))
		first, _ := b.acquire(t.Context(), 50)
		second, _ := b.acquire(t.Context(), 50) // sent after first, unanswered
		// The server answers first with 150 left: second is not in it yet.
		b.done(first, status(150))
		require.Equal(t, 100.0, b.level)
		b.done(second, status(100))
		require.Equal(t, 100.0, b.level)
		st, ok := b.status()
		require.True(t, ok)
		require.Equal(t, *status(100), st)
	})
}
