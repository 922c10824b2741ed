package shopify

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
)

func status(avail float64) *ThrottleStatus {
	return &ThrottleStatus{MaximumAvailable: 200, CurrentlyAvailable: avail, RestoreRate: 100}
}

func points(v float64) *float64 { return &v }

func newBucket() *bucket { return (&pacer{maxWait: DefaultMaxWait}).bucket("demo.myshopify.com") }

// calibrated returns a bucket that knows the shop: 200 points, 100 a
// second, avail available now.
func calibrated(t *testing.T, avail float64) *bucket {
	t.Helper()
	b := newBucket()
	probe, err := b.acquire(t.Context(), 10, priorityRead, nil)
	require.NoError(t, err)
	b.done(probe, status(avail), points(10))
	return b
}

// sendAt acquires in a goroutine and reports when it was admitted.
func sendAt(t *testing.T, b *bucket, cost float64, prio priority, h *hold) <-chan time.Duration {
	start := time.Now()
	got := make(chan time.Duration, 1)
	go func() {
		_, err := b.acquire(t.Context(), cost, prio, h)
		if err != nil {
			t.Error(err)
		}
		got <- time.Since(start)
	}()
	synctest.Wait()
	return got
}

func admitted(c <-chan time.Duration) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

func TestBucketProbesUntilCalibrated(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newBucket()
		probe, err := b.acquire(t.Context(), 10, priorityRead, nil)
		require.NoError(t, err)
		require.True(t, probe.probe)

		got := sendAt(t, b, 10, priorityRead, nil)
		require.False(t, admitted(got), "a second request went out before the bucket was known")
		b.done(probe, status(190), points(10))
		synctest.Wait()
		require.Equal(t, time.Duration(0), <-got, "released at once: the bucket holds plenty")
	})
}

func TestBucketProbeFailureLetsTheNextProbe(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newBucket()
		probe, _ := b.acquire(t.Context(), 10, priorityRead, nil)
		next := make(chan ticket)
		go func() {
			tk, _ := b.acquire(t.Context(), 10, priorityRead, nil)
			next <- tk
		}()
		synctest.Wait()
		b.done(probe, nil, nil) // the answer carried no cost (a transport error)
		require.True(t, (<-next).probe)
	})
}

func TestBucketWaitsForTheRefill(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := calibrated(t, 60) // 60 points, 100 per second
		start := time.Now()
		var sent []time.Duration
		for _, cost := range []float64{50, 50, 100} {
			_, err := b.acquire(t.Context(), cost, priorityRead, nil)
			require.NoError(t, err)
			sent = append(sent, time.Since(start))
		}
		// 60 covers the first; the second waits for 40 more (0.4 s); the
		// third for 100 more (1 s later).
		require.Equal(t, []time.Duration{0, 400 * time.Millisecond, 1400 * time.Millisecond}, sent)
	})
}

func TestBucketServesWritesBeforeReads(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := calibrated(t, 0)
		read := sendAt(t, b, 10, priorityRead, nil)
		write := sendAt(t, b, 10, priorityWrite, nil)
		// 10 points come in 0.1 s: the write, though it came later.
		require.Equal(t, 100*time.Millisecond, <-write)
		require.Equal(t, 200*time.Millisecond, <-read)
	})
}

func TestBucketCreditsTheRefundAndWakesTheQueue(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := calibrated(t, 100)
		read, err := b.acquire(t.Context(), 100, priorityRead, nil) // requests 100, will use 10
		require.NoError(t, err)
		got := sendAt(t, b, 50, priorityRead, nil)
		time.Sleep(100 * time.Millisecond) // 10 points restored of the 50 it waits for
		require.False(t, admitted(got))
		// Shopify charged 100, refunded 90 after the query: 100 − 10 + 10 restored.
		b.done(read, status(100), points(10))
		synctest.Wait()
		require.Equal(t, 100*time.Millisecond, <-got, "sent as soon as the refund came")
	})
}

func TestBucketAppliesOnlyNewerAnswers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := calibrated(t, 200)
		first, _ := b.acquire(t.Context(), 50, priorityRead, nil)
		second, _ := b.acquire(t.Context(), 50, priorityRead, nil)
		require.Equal(t, 100.0, b.level())
		// The second answer comes first: the server had charged both and
		// refunded the second's 40 unused points.
		b.done(second, status(140), points(10))
		require.Equal(t, 140.0, b.level(), "the first, sent before, is in it")
		// The first answer is older; its status (taken before the second's
		// charge) must not overwrite the newer one. Its refund counts.
		b.done(first, status(190), points(20))
		require.Equal(t, 170.0, b.level())
		st, ok := b.status()
		require.True(t, ok)
		require.Equal(t, *status(190), st, "the last status reported, for Throttle")
	})
}

// The server may run a later request first: its answer's status then
// lacks the charge of an earlier request answered meanwhile.
func TestBucketCountsAnswersTheNewestStatusMayNotInclude(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := calibrated(t, 200)
		first, _ := b.acquire(t.Context(), 10, priorityWrite, nil)
		second, _ := b.acquire(t.Context(), 10, priorityWrite, nil)
		// The server ran the second (190 left), then the first (180),
		// whose answer comes first.
		b.done(first, status(180), points(10))
		require.Equal(t, 170.0, b.level(), "the second is still unanswered")
		b.done(second, status(190), points(10))
		require.Equal(t, 180.0, b.level(), "190 says the status, but the own account knows of the first")
	})
}

// Another process of the same app spends from the same bucket: the
// status says so, and the lower account counts.
func TestBucketSeesWhatOthersSpend(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := calibrated(t, 200)
		tk, _ := b.acquire(t.Context(), 10, priorityRead, nil)
		b.done(tk, status(100), points(10)) // 90 went elsewhere
		require.Equal(t, 100.0, b.level())
	})
}

func TestBucketHoldsPointsForTheWrites(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := calibrated(t, 30)
		h := &hold{b: b, want: 20}
		// The read (20) and its write (20) need 40: 0.1 s.
		require.Equal(t, 100*time.Millisecond, <-sendAt(t, b, 20, priorityRead, h))
		require.Equal(t, 20.0, h.points)
		// Another order's read waits for its own 20 + 0 …
		other := sendAt(t, b, 20, priorityRead, nil)
		// … while the write goes at once from the hold.
		_, err := b.acquire(t.Context(), 20, priorityWrite, h)
		require.NoError(t, err)
		require.Zero(t, h.points)
		require.Equal(t, 200*time.Millisecond, <-other, "20 points restored, none taken by the write")
	})
}

// When the shop reports less than the holds (another process used it),
// a write does not go from its hold on faith: it waits for the points.
func TestBucketHoldIsNoPromiseTheServerDidNotMake(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := calibrated(t, 40)
		h := &hold{b: b, want: 20}
		read, err := b.acquire(t.Context(), 20, priorityRead, h)
		require.NoError(t, err)
		b.done(read, status(10), points(20)) // 10 left, not the 20 held
		require.Equal(t, 100*time.Millisecond, <-sendAt(t, b, 20, priorityWrite, h))
	})
}

func TestBucketReleasedHoldServesTheQueue(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := calibrated(t, 40)
		h := &hold{b: b, want: 20}
		_, err := b.acquire(t.Context(), 20, priorityRead, h)
		require.NoError(t, err)
		other := sendAt(t, b, 20, priorityRead, nil)
		b.releaseHold(h) // the export needed no write
		synctest.Wait()
		require.Equal(t, time.Duration(0), <-other)
	})
}

func TestBucketCancelGivesTheReservationBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := calibrated(t, 0)
		ctx, cancel := context.WithCancel(t.Context())
		errc := make(chan error)
		go func() {
			_, err := b.acquire(ctx, 150, priorityRead, nil)
			errc <- err
		}()
		synctest.Wait()
		later := sendAt(t, b, 100, priorityRead, nil)
		cancel()
		require.ErrorIs(t, <-errc, context.Canceled)
		require.Equal(t, time.Second, <-later, "the cancelled 150 points no longer come first")
	})
}

func TestBucketRefusesWhatNeverFits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := calibrated(t, 200)
		_, err := b.acquire(t.Context(), 201, priorityRead, nil)
		require.ErrorIs(t, err, ErrMaxCost)
	})
}

func TestBucketRefusesAnImplausibleWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newBucket()
		probe, _ := b.acquire(t.Context(), 10, priorityRead, nil)
		b.done(probe, &ThrottleStatus{MaximumAvailable: 1000, CurrentlyAvailable: 0, RestoreRate: 0.0001}, points(10))
		start := time.Now()
		_, err := b.acquire(t.Context(), 10, priorityRead, nil)
		require.Zero(t, time.Since(start), "refused at once, not after 28 hours")
		var we *WaitError
		require.ErrorAs(t, err, &we)
		require.ErrorIs(t, err, ErrWaitTooLong)
		require.True(t, we.Retryable())
		require.Equal(t, DefaultMaxWait, we.RetryAfter())
		require.Contains(t, err.Error(), "implausible")
		require.Empty(t, b.queue)
	})
}

func TestIdleBucketKeepsNoGoroutine(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := calibrated(t, 0)
		var wg sync.WaitGroup
		for range 5 {
			wg.Go(func() {
				tk, err := b.acquire(t.Context(), 50, priorityRead, nil)
				if err == nil {
					b.done(tk, nil, nil)
				}
			})
		}
		wg.Wait()
		synctest.Wait()
		stacks := make([]byte, 1<<20)
		stacks = stacks[:runtime.Stack(stacks, true)]
		require.NotContains(t, string(stacks), "shopify.(*bucket)", "no goroutine runs or waits in the pacer")
		require.Nil(t, b.timer, "no timer while nobody waits")
		require.Empty(t, b.queue)
		require.Empty(t, b.flights)
	})
}

// BenchmarkPacerStatePerShop reports the memory one shop's pacing state
// keeps once the shop is idle (goal: < 2 KiB).
func BenchmarkPacerStatePerShop(b *testing.B) {
	const shops = 1000
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		p := &pacer{maxWait: DefaultMaxWait}
		for i := range shops {
			bk := p.bucket(fmt.Sprintf("shop-%04d.myshopify.com", i))
			for range 3 {
				tk, err := bk.acquire(context.Background(), 10, priorityRead, nil)
				if err != nil && !errors.Is(err, context.Canceled) {
					b.Fatal(err)
				}
				bk.done(tk, &ThrottleStatus{MaximumAvailable: 2000, CurrentlyAvailable: 1990, RestoreRate: 100}, points(5))
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/shops, "B/shop")
		runtime.KeepAlive(p)
	}
}
