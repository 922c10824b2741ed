package sqlledger

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"time"

	"github.com/shopctrl/tracksync/tracking"
)

// Ledger is a tracking.Ledger in a SQL database, PostgreSQL or SQLite,
// shared by every worker that opens the same database. Every operation is
// one statement; lease expiry is judged by the database's clock, so
// workers whose clocks disagree still agree on who holds a key. It is safe
// for concurrent use.
type Ledger struct {
	db      database
	dialect *sqlDialect
	stmt    statements
	logger  *slog.Logger
}

var _ tracking.Ledger = (*Ledger)(nil)

// claimAttempts bounds how often Claim retries when a refused claim's
// holder let go before it could be named.
const claimAttempts = 5

func newLedger(ctx context.Context, db database, d *sqlDialect, o options) (*Ledger, error) {
	if err := migrate(ctx, db, d, o.migrate, o.logger); err != nil {
		db.close()
		return nil, err
	}
	return &Ledger{db: db, dialect: d, stmt: newStatements(d), logger: o.logger}, nil
}

// Dialect reports the database the ledger runs on.
func (l *Ledger) Dialect() Dialect { return l.dialect.name }

// Close closes the database connections the ledger opened; a pool given to
// NewPostgres stays open.
func (l *Ledger) Close() error { return l.db.close() }

// keyArgs are the parameters $1 to $5 of every statement on a key.
func keyArgs(k tracking.LedgerKey, more ...any) []any {
	return append([]any{string(k.Channel), k.Store, k.OrderID, k.ShipmentID, k.Purpose}, more...)
}

// leaseArgs are the parameters $1 to $7 of a statement on a lease. ok is
// false for a token no ledger of this package issued.
func leaseArgs(lease tracking.Lease, more ...any) (args []any, ok bool) {
	if lease.Token == 0 || lease.Token > math.MaxInt64 || lease.Owner == "" {
		return nil, false
	}
	return keyArgs(lease.Key, append([]any{int64(lease.Token), lease.Owner}, more...)...), true
}

// Lookup implements tracking.Ledger.
func (l *Ledger) Lookup(ctx context.Context, key tracking.LedgerKey) (tracking.Record, bool, error) {
	if err := begin(ctx, key); err != nil {
		return tracking.Record{}, false, err
	}
	var rec tracking.Record
	var pushed dbTime
	err := l.db.read(ctx, l.stmt.lookup, keyArgs(key)...).Scan(&rec.RemoteID, &rec.TrackingNumber, &pushed)
	switch {
	case errors.Is(err, errNoRows):
		return tracking.Record{}, false, nil
	case err != nil:
		return tracking.Record{}, false, keyFailure(ctx, "look up", key, err)
	}
	rec.PushedAt = pushed.t
	return rec, true, nil
}

// Claim implements tracking.Ledger. The lease's Expires is the database's
// clock plus ttl, to the microsecond on PostgreSQL and the millisecond on
// SQLite.
func (l *Ledger) Claim(ctx context.Context, key tracking.LedgerKey, owner string, ttl time.Duration) (tracking.Lease, error) {
	if err := begin(ctx, key); err != nil {
		return tracking.Lease{}, err
	}
	if err := checkClaim(key, owner, ttl); err != nil {
		return tracking.Lease{}, err
	}
	var ce *tracking.ClaimedError
	for range claimAttempts {
		lease, err := l.tryClaim(ctx, key, owner, ttl)
		if !errors.Is(err, errNoRows) {
			return lease, err
		}
		var live bool
		switch ce, live, err = l.holder(ctx, key); {
		case err != nil:
			return tracking.Lease{}, err
		case live:
			return tracking.Lease{}, ce
		}
		// The holder let go between the two statements: claim again.
	}
	return tracking.Lease{}, ce
}

func checkClaim(key tracking.LedgerKey, owner string, ttl time.Duration) error {
	if owner == "" {
		return fmt.Errorf("%w of %s: empty owner", tracking.ErrInvalidClaim, key)
	}
	if err := checkText("owner", owner); err != nil {
		return fmt.Errorf("%w of %s: %w", tracking.ErrInvalidClaim, key, err)
	}
	if ttl <= 0 {
		return fmt.Errorf("%w of %s: ttl %v is not positive", tracking.ErrInvalidClaim, key, ttl)
	}
	return nil
}

// tryClaim runs the claim statement; errNoRows means a live lease refused it.
func (l *Ledger) tryClaim(ctx context.Context, key tracking.LedgerKey, owner string, ttl time.Duration) (tracking.Lease, error) {
	var token int64
	var expires dbTime
	lease := tracking.Lease{Key: key, Owner: owner}
	err := l.db.queryRow(ctx, l.stmt.claim, keyArgs(key, owner, micros(ttl))...).Scan(&token, &expires, &lease.TakenOver, &lease.Note)
	switch {
	case errors.Is(err, errNoRows):
		return tracking.Lease{}, err
	case err != nil:
		return tracking.Lease{}, keyFailure(ctx, "claim", key, err)
	}
	lease.Token, lease.Expires = uint64(token), expires.t
	return lease, nil
}

// holder names the live lease on key as a ClaimedError; live is false when
// there is none (any more).
func (l *Ledger) holder(ctx context.Context, key tracking.LedgerKey) (_ *tracking.ClaimedError, live bool, _ error) {
	ce := &tracking.ClaimedError{Key: key}
	var expires dbTime
	err := l.db.queryRow(ctx, l.stmt.holder, keyArgs(key)...).Scan(&ce.Owner, &expires, &live)
	if err != nil && !errors.Is(err, errNoRows) {
		return nil, false, keyFailure(ctx, "read the holder of", key, err)
	}
	ce.Expires = expires.t
	return ce, live, nil
}

// Commit implements tracking.Ledger. PushedAt is kept to the microsecond.
func (l *Ledger) Commit(ctx context.Context, lease tracking.Lease, rec tracking.Record) error {
	if err := begin(ctx, lease.Key); err != nil {
		return err
	}
	for what, s := range map[string]string{"remote id": rec.RemoteID, "tracking number": rec.TrackingNumber} {
		if err := checkText(what, s); err != nil {
			return fmt.Errorf("sqlledger: commit %s: %w", lease.Key, err)
		}
	}
	return l.onLease(ctx, "commit", lease, l.stmt.commit, rec.RemoteID, rec.TrackingNumber, l.dialect.timeArg(rec.PushedAt))
}

// Release implements tracking.Ledger. The key's note stays.
func (l *Ledger) Release(ctx context.Context, lease tracking.Lease) error {
	if err := begin(ctx, lease.Key); err != nil {
		return err
	}
	return l.onLease(ctx, "release", lease, l.stmt.release)
}

// Note implements tracking.Ledger.
func (l *Ledger) Note(ctx context.Context, lease tracking.Lease, note string) error {
	if err := begin(ctx, lease.Key); err != nil {
		return err
	}
	if err := checkText("note", note); err != nil {
		return fmt.Errorf("sqlledger: note on %s: %w", lease.Key, err)
	}
	return l.onLease(ctx, "note", lease, l.stmt.note, note)
}

// Renew implements tracking.Ledger.
func (l *Ledger) Renew(ctx context.Context, lease tracking.Lease, ttl time.Duration) (tracking.Lease, error) {
	if err := begin(ctx, lease.Key); err != nil {
		return tracking.Lease{}, err
	}
	if ttl <= 0 {
		return tracking.Lease{}, fmt.Errorf("%w: renew %s: ttl %v is not positive", tracking.ErrInvalidClaim, lease.Key, ttl)
	}
	args, ok := leaseArgs(lease, micros(ttl))
	if !ok {
		return tracking.Lease{}, l.lost(ctx, lease)
	}
	var expires dbTime
	err := l.db.queryRow(ctx, l.stmt.renew, args...).Scan(&expires)
	switch {
	case errors.Is(err, errNoRows):
		return tracking.Lease{}, l.lost(ctx, lease)
	case err != nil:
		return tracking.Lease{}, keyFailure(ctx, "renew", lease.Key, err)
	}
	lease.Expires = expires.t
	return lease, nil
}

// onLease runs a statement that changes the row of a lease that must be
// the key's current one.
func (l *Ledger) onLease(ctx context.Context, op string, lease tracking.Lease, stmt string, more ...any) error {
	args, ok := leaseArgs(lease, more...)
	if !ok {
		return l.lost(ctx, lease)
	}
	n, err := l.db.exec(ctx, stmt, args...)
	switch {
	case err != nil:
		return keyFailure(ctx, op, lease.Key, err)
	case n == 0:
		return l.lost(ctx, lease)
	}
	return nil
}

// lost builds the ErrLeaseLost error of a lease that is not the key's
// current one, saying whether it ended or was superseded.
func (l *Ledger) lost(ctx context.Context, lease tracking.Lease) error {
	var token int64
	var held bool
	err := l.db.read(ctx, l.stmt.leaseState, keyArgs(lease.Key)...).Scan(&token, &held)
	switch {
	case err == nil && lease.Token == uint64(token) && !held:
		return fmt.Errorf("%w: lease %d of %s on %s has already ended", tracking.ErrLeaseLost, lease.Token, lease.Owner, lease.Key)
	case err == nil && lease.Token < uint64(token):
		return fmt.Errorf("%w: lease %d of %s on %s was superseded by lease %d", tracking.ErrLeaseLost, lease.Token, lease.Owner, lease.Key, token)
	default:
		return fmt.Errorf("%w: lease %d of %s on %s is not the current one", tracking.ErrLeaseLost, lease.Token, lease.Owner, lease.Key)
	}
}

// Prune implements tracking.Ledger: it deletes committed records pushed
// before before, and ended or expired claims without a record last touched
// before before (with their notes). A row under a live lease stays.
func (l *Ledger) Prune(ctx context.Context, before time.Time) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	n, err := l.db.exec(ctx, l.stmt.prune, l.dialect.timeArg(before))
	if err != nil {
		return 0, failure(ctx, "prune", "the ledger", err)
	}
	return int(n), nil
}

// begin checks what every operation on a key checks first.
func begin(ctx context.Context, key tracking.LedgerKey) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return key.Validate()
}

func keyFailure(ctx context.Context, op string, key tracking.LedgerKey, err error) error {
	return failure(ctx, op, key.String(), err)
}

// failure wraps a database error. A statement cut short by ctx reports
// ctx's error, so that errors.Is(err, context.Canceled) holds whatever the
// driver made of it.
func failure(ctx context.Context, op, what string, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("sqlledger: %s %s: %w (%w)", op, what, cerr, err)
	}
	return fmt.Errorf("sqlledger: %s %s: %w", op, what, err)
}
