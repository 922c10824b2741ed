package tracking

import (
	"context"
	"errors"
	"net"
	"time"
)

// Classify tells a host's job queue what to do with a failed shipment:
// retryable reports whether trying again later can help (throttled, a 5xx
// that outlasted the retries, a timeout, a lost lease); after is when to try,
// if the channel said (0 when it did not).
//
// It walks err's chain: the first error with a Retryable() bool method
// decides, and the first with a RetryAfter() time.Duration method gives the
// time. Channel packages give their errors these methods. Without one:
// context errors, ErrLeaseLost, ErrClaimed, ErrStoreBusy and network
// timeouts are retryable; an invalid order (ErrInvalidOrder) and nil are
// not; anything else is taken as retryable, since trying again costs less
// than a shipment that is never pushed.
func Classify(err error) (retryable bool, after time.Duration) {
	if err == nil {
		return false, 0
	}
	var timed interface{ RetryAfter() time.Duration }
	if errors.As(err, &timed) {
		after = max(timed.RetryAfter(), 0)
	}
	var decides interface{ Retryable() bool }
	if errors.As(err, &decides) {
		return decides.Retryable(), after
	}
	var netErr net.Error
	switch {
	case errors.Is(err, ErrInvalidOrder):
		return false, after
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled),
		errors.Is(err, ErrLeaseLost), errors.Is(err, ErrClaimed), errors.Is(err, ErrStoreBusy):
		return true, after
	case errors.As(err, &netErr) && netErr.Timeout():
		return true, after
	}
	return true, after
}

// advise fills Retryable and RetryAfter of a Failed result from its error,
// unless the exporter set them.
func advise(r *ShipmentResult) {
	if r.State != Failed || r.Retryable || r.RetryAfter != 0 {
		return
	}
	r.Retryable, r.RetryAfter = Classify(r.Err)
}
