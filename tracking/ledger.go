package tracking

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// A Ledger records what was pushed, so that a repeated or retried export
// never pushes the same shipment twice.
//
// It is built for many workers from the start. A push of one key goes
//
//	Lookup  → already committed with this tracking number? done, no call
//	Claim   → a lease with an expiry, held by one owner at a time
//	(the exporter reconciles with the channel, then writes)
//	Renew   → while the write runs: the lease lives on (same token)
//	Note    → before a write whose outcome may be unknown: what is being sent
//	Commit  → the channel's id is recorded, the lease ends, the note is gone
//	Release → on failure: the lease ends, nothing is recorded, the note stays
//
// A note is how a writer tells a later holder "I sent this, as remote id X"
// (say, an Amazon feed id) before it knows the outcome: it survives Release,
// expiry and restarts, and Claim hands it to the next holder as Lease.Note,
// who reconciles instead of sending again.
//
// A lease that expired (its holder crashed or hung) can be claimed by
// another owner; that Lease has TakenOver set and its holder must reconcile
// with the channel before writing, since the first holder may have pushed
// without committing. Every claim of a key gets a larger fencing Token, so
// the late Commit or Release of a superseded lease fails with ErrLeaseLost
// instead of overwriting the new holder's work.
//
// Implementations must be safe for concurrent use and reject invalid keys
// (LedgerKey.Validate) and claims (ErrInvalidClaim) alike. A ledger shared
// by several processes must store the fencing tokens with the leases, so
// that they keep growing across processes. A key's record and its
// lease are independent: a committed key can be claimed again, to update the
// tracking number that was pushed.
type Ledger interface {
	// Lookup returns the committed record of key; ok is false when the key
	// was never committed.
	Lookup(ctx context.Context, key LedgerKey) (rec Record, ok bool, err error)
	// Claim takes a lease on key for owner, valid for ttl. It fails with a
	// *ClaimedError (errors.Is ErrClaimed) while another lease on key is
	// live, whoever holds it.
	Claim(ctx context.Context, key LedgerKey, owner string, ttl time.Duration) (Lease, error)
	// Commit records rec under the lease's key and ends the lease. It fails
	// with ErrLeaseLost when the lease is not the key's current one. A lease
	// past its expiry is still accepted while nobody claimed the key since:
	// its holder's work superseded nobody's.
	Commit(ctx context.Context, lease Lease, rec Record) error
	// Release ends the lease without recording anything; a note stored
	// under it stays for the next holder. It fails with ErrLeaseLost when
	// the lease is not the key's current one.
	Release(ctx context.Context, lease Lease) error
	// Renew extends the lease to ttl from now, keeping its Token, and
	// returns it with the new Expires. It fails with ErrLeaseLost when the
	// lease is not the key's current one; a lease past its expiry that
	// nobody claimed since can still be renewed.
	Renew(ctx context.Context, lease Lease, ttl time.Duration) (Lease, error)
	// Note durably stores note with the lease's key, replacing an earlier
	// one; "" removes it. It fails with ErrLeaseLost when the lease is not
	// the key's current one. Commit clears the note; Release and expiry
	// keep it for the next Claim.
	Note(ctx context.Context, lease Lease, note string) error
	// Prune deletes committed records pushed before before, and keys
	// without a record or a live lease (released or expired claims, with
	// their notes) last touched before before. It returns how many keys it
	// deleted. A pruned key starts again with no record: prune only what
	// no host will send again.
	Prune(ctx context.Context, before time.Time) (int, error)
}

// LedgerKey identifies one push: one shipment (or, with an empty
// ShipmentID, the whole order) to one channel for one purpose.
type LedgerKey struct {
	Channel    Channel `json:"channel"`
	Store      string  `json:"store"`
	OrderID    string  `json:"order"`
	ShipmentID string  `json:"shipment,omitempty"`
	// Purpose tells apart several pushes of one shipment: "" for the
	// channel's own export, e.g. "email:shipment-shipped" for a notifier.
	Purpose string `json:"purpose,omitempty"`
}

// String renders the key for logs and errors; each part is quoted so that
// keys whose parts contain "/" stay unambiguous.
func (k LedgerKey) String() string {
	s := string(k.Channel) + "/" + strconv.Quote(k.Store) + "/" + strconv.Quote(k.OrderID)
	if k.ShipmentID != "" {
		s += "/" + strconv.Quote(k.ShipmentID)
	}
	if k.Purpose != "" {
		s += "#" + k.Purpose
	}
	return s
}

// Validate checks that the key has the parts every push has (channel,
// store, order id); ShipmentID and Purpose may be empty. It fails with
// ErrInvalidKey. Ledgers call it on every key they are given.
func (key LedgerKey) Validate() error {
	var missing []string
	if key.Channel == "" {
		missing = append(missing, "channel")
	}
	if key.Store == "" {
		missing = append(missing, "store")
	}
	if key.OrderID == "" {
		missing = append(missing, "order id")
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w %s: no %s", ErrInvalidKey, key, strings.Join(missing, ", "))
	}
	for _, part := range []string{string(key.Channel), key.Store, key.OrderID, key.ShipmentID, key.Purpose} {
		if !utf8.ValidString(part) || strings.IndexByte(part, 0) >= 0 {
			// JSON would turn the bytes into U+FFFD and SQL refuses them:
			// distinct keys would collapse into one.
			return fmt.Errorf("%w %s: %q is not valid UTF-8 text (or holds a NUL byte)", ErrInvalidKey, key, part)
		}
	}
	return nil
}

// Record is what the ledger keeps of a committed push.
type Record struct {
	RemoteID       string    `json:"remote_id"`                 // the channel's id: fulfillment, package reference, message
	TrackingNumber string    `json:"tracking_number,omitempty"` // the tracking number that was pushed
	PushedAt       time.Time `json:"pushed_at"`
}

// Lease is one owner's exclusive right, until Expires, to push a key.
type Lease struct {
	Key     LedgerKey
	Owner   string
	Token   uint64    // fencing token: larger for every claim of Key
	Expires time.Time // after this, another owner may claim Key
	// TakenOver is set when the previous lease on Key expired without a
	// commit or release: its holder may have pushed, so reconcile with the
	// channel before writing.
	TakenOver bool
	// Note is the note stored with Key by an earlier holder (see
	// Ledger.Note); "" when there is none.
	Note string
}

// ErrClaimed is the sentinel of *ClaimedError.
var ErrClaimed = errors.New("tracking: claimed by another worker")

// ErrLeaseLost reports a Commit, Release, Renew or Note with a lease that is no longer
// the key's current one: superseded by a later claim, already ended by a
// Commit or Release, or never issued by this ledger.
var ErrLeaseLost = errors.New("tracking: lease lost or ended")

// ErrInvalidKey reports a LedgerKey without a Channel, Store or OrderID.
// Such a key names no push, and accepting it would let unrelated pushes
// share one entry and skip each other.
var ErrInvalidKey = errors.New("tracking: invalid ledger key")

// ErrInvalidClaim reports a Claim with an empty owner or a ttl that is not
// positive: an anonymous lease cannot be reported in a ClaimedError, and a
// lease born expired would protect nothing.
var ErrInvalidClaim = errors.New("tracking: invalid claim")

// ClaimedError reports that a key is leased to someone else.
type ClaimedError struct {
	Key     LedgerKey
	Owner   string    // holder of the live lease
	Expires time.Time // when that lease expires unless committed or released
}

// Error describes the problem for a person; it never holds a secret.
func (e *ClaimedError) Error() string {
	return fmt.Sprintf("tracking: %s is being pushed by %q (lease expires %s)",
		e.Key, e.Owner, e.Expires.UTC().Format(time.RFC3339))
}

// Is makes errors.Is(err, ErrClaimed) true.
func (e *ClaimedError) Is(target error) bool { return target == ErrClaimed }
