package tracking

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// A StoreLocker gives each store to one process at a time, so that the
// store's rate limit is paced in one place when several processes sync (see
// tracking/sqlledger for one on PostgreSQL). A Syncer given one with
// WithStoreLocker takes a store before it works on an order of it.
type StoreLocker interface {
	// LockStore takes the store for this process and returns the function
	// that hands it back. It returns at once: when another process holds
	// the store, an error wrapping ErrStoreBusy (a *StoreBusyError).
	LockStore(ctx context.Context, channel Channel, store string) (unlock func(), err error)
}

// ErrStoreBusy reports that another process works on the store.
var ErrStoreBusy = errors.New("tracking: store is owned by another process")

// StoreBusyError says who holds a store and until when at the latest.
type StoreBusyError struct {
	Channel Channel
	Store   string
	Owner   string
	Until   time.Time // when the owner's hold expires unless renewed
}

// Error describes the problem for a person.
func (e *StoreBusyError) Error() string {
	return fmt.Sprintf("tracking: %s store %q is being synced by %q (its hold runs until %s); its orders wait for the next run",
		e.Channel, e.Store, e.Owner, e.Until.UTC().Format(time.RFC3339))
}

// Is makes errors.Is(err, ErrStoreBusy) true.
func (e *StoreBusyError) Is(target error) bool { return target == ErrStoreBusy }

// RetryAfter suggests trying when the owner's hold expires.
func (e *StoreBusyError) RetryAfter() time.Duration { return max(time.Until(e.Until), 0) }

// Retryable reports true: the store frees up.
func (e *StoreBusyError) Retryable() bool { return true }
