// Package ctxtime holds the one wait every client shares: a sleep that ends
// early when its context does.
package ctxtime

import (
	"context"
	"time"
)

// Sleep waits d, or until ctx ends, whichever comes first; it returns the
// context's cause in the second case. A d of zero or less returns at once
// (with the context's cause if it already ended).
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return context.Cause(ctx)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}
