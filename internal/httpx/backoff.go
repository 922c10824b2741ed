package httpx

import (
	"math/rand/v2"
	"net/http"
	"time"
)

// maxRetryAfter caps a server's Retry-After hint. The hint is honoured above
// the client's own maximum wait (the server knows its rate-limit window
// better than we do), but a hostile or broken server must not be able to
// park a sync worker for hours.
const maxRetryAfter = 5 * time.Minute

// jitter returns a number in [0, 1). It is a variable so tests can make the
// backoff deterministic; production uses the goroutine-safe global source.
var jitter = rand.Float64

// Backoff computes how long to wait before retry number attempt (0-based,
// as retryablehttp counts) and matches retryablehttp.Backoff.
//
// A Retry-After hint on resp (RFC 9110 §10.2.3) wins: the server knows when
// it will accept us again, and retrying earlier only burns rate-limit budget.
// The hint is floored at minWait and capped at 5 minutes.
//
// Without a hint the wait grows exponentially from minWait, capped at
// maxWait, with "equal jitter": half of the step is fixed, half random. The
// fixed half keeps a minimum spacing between attempts; the random half
// spreads out clients that failed at the same moment so they do not retry in
// lockstep. Without a hint the result is always within [minWait, maxWait],
// for any attempt, however large.
func Backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if minWait < 0 {
		minWait = 0
	}
	if maxWait < minWait {
		maxWait = minWait
	}

	if resp != nil {
		if d, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return max(min(d, maxRetryAfter), minWait)
		}
	}

	// step = minWait * 2^attempt, capped at maxWait without overflowing:
	// stop doubling as soon as the next step would pass the cap.
	step := minWait
	for i := 0; i < attempt && step > 0 && step < maxWait; i++ {
		if step > maxWait/2 {
			step = maxWait
			break
		}
		step *= 2
	}
	step = min(step, maxWait)

	r := jitter()
	if !(r >= 0 && r < 1) { // also rejects NaN from a bad test double
		r = 0
	}
	half := step / 2
	wait := half + time.Duration(r*float64(step-half))
	return min(max(wait, minWait), maxWait)
}
