package tracking

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// MemoryLedger is a Ledger that keeps everything in memory. It suits tests
// and single runs; its records die with the process (FileLedger keeps them).
// It is safe for concurrent use.
type MemoryLedger struct {
	mu      sync.Mutex
	entries map[LedgerKey]*memEntry
}

// memEntry is the state of one key. lastToken is kept even when the key has
// no lease or record, so that tokens of the key only ever grow and an old
// lease can never match a new one.
type memEntry struct {
	rec       Record
	committed bool
	lease     Lease // the current lease; a zero Token means none
	lastToken uint64
	note      string    // see Ledger.Note
	touched   time.Time // last claim, renewal, note or end, for Prune
}

var _ Ledger = (*MemoryLedger)(nil)

// NewMemoryLedger returns an empty MemoryLedger.
func NewMemoryLedger() *MemoryLedger {
	return &MemoryLedger{entries: make(map[LedgerKey]*memEntry)}
}

// Lookup implements Ledger.
func (m *MemoryLedger) Lookup(ctx context.Context, key LedgerKey) (Record, bool, error) {
	if err := ctx.Err(); err != nil {
		return Record{}, false, err
	}
	if err := key.Validate(); err != nil {
		return Record{}, false, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.entries[key]
	if e == nil || !e.committed {
		return Record{}, false, nil
	}
	return e.rec, true, nil
}

// Claim implements Ledger. A lease is live while time.Now() is before its
// Expires; at Expires and after, it can be taken over.
func (m *MemoryLedger) Claim(ctx context.Context, key LedgerKey, owner string, ttl time.Duration) (Lease, error) {
	if err := ctx.Err(); err != nil {
		return Lease{}, err
	}
	if err := key.Validate(); err != nil {
		return Lease{}, err
	}
	if owner == "" {
		return Lease{}, fmt.Errorf("%w of %s: empty owner", ErrInvalidClaim, key)
	}
	if ttl <= 0 {
		return Lease{}, fmt.Errorf("%w of %s: ttl %v is not positive", ErrInvalidClaim, key, ttl)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now()
	e := m.entries[key]
	if e == nil {
		e = &memEntry{}
		m.entries[key] = e
	}
	held := e.lease.Token != 0
	if held && now.Before(e.lease.Expires) {
		return Lease{}, &ClaimedError{Key: key, Owner: e.lease.Owner, Expires: e.lease.Expires}
	}
	e.lastToken++
	e.lease = Lease{Key: key, Owner: owner, Token: e.lastToken, Expires: now.Add(ttl), TakenOver: held, Note: e.note}
	e.touched = now
	return e.lease, nil
}

// Renew implements Ledger.
func (m *MemoryLedger) Renew(ctx context.Context, lease Lease, ttl time.Duration) (Lease, error) {
	if ttl <= 0 {
		return Lease{}, fmt.Errorf("%w of %s: ttl %v is not positive", ErrInvalidClaim, lease.Key, ttl)
	}
	var renewed Lease
	err := m.withLease(ctx, lease, func(e *memEntry) error {
		e.lease.Expires = time.Now().Add(ttl)
		e.touched = time.Now()
		renewed = e.lease
		renewed.Note = e.note
		return nil
	})
	return renewed, err
}

// Note implements Ledger.
func (m *MemoryLedger) Note(ctx context.Context, lease Lease, note string) error {
	return m.note(ctx, lease, note, nil)
}

// note stores a note under lease; persist, when not nil, makes it durable
// first (see end).
func (m *MemoryLedger) note(ctx context.Context, lease Lease, note string, persist func() error) error {
	return m.withLease(ctx, lease, func(e *memEntry) error {
		if persist != nil {
			if err := persist(); err != nil {
				return err
			}
		}
		e.note, e.touched = note, time.Now()
		return nil
	})
}

// Prune implements Ledger.
func (m *MemoryLedger) Prune(ctx context.Context, before time.Time) (int, error) {
	return m.prune(ctx, before, nil)
}

// prune deletes what Prune deletes; persist, when not nil, runs with the
// state that remains before it becomes visible (FileLedger rewrites its
// file), under the lock.
func (m *MemoryLedger) prune(ctx context.Context, before time.Time, persist func(keep map[LedgerKey]*memEntry) error) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now()
	var gone []LedgerKey
	for k, e := range m.entries {
		if e.lease.Token != 0 && now.Before(e.lease.Expires) {
			continue // live lease
		}
		if e.committed && e.rec.PushedAt.Before(before) || !e.committed && e.touched.Before(before) {
			gone = append(gone, k)
		}
	}
	if len(gone) == 0 {
		return 0, nil
	}
	if persist != nil {
		keep := make(map[LedgerKey]*memEntry, len(m.entries)-len(gone))
		for k, e := range m.entries {
			keep[k] = e
		}
		for _, k := range gone {
			delete(keep, k)
		}
		if err := persist(keep); err != nil {
			return 0, err
		}
	}
	for _, k := range gone {
		delete(m.entries, k)
	}
	return len(gone), nil
}

// withLease runs fn on the entry of lease's key under the lock, if lease is
// the key's current lease.
func (m *MemoryLedger) withLease(ctx context.Context, lease Lease, fn func(*memEntry) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := lease.Key.Validate(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e, err := m.current(lease)
	if err != nil {
		return err
	}
	return fn(e)
}

// Commit implements Ledger. A lease that expired is still accepted as long
// as nobody claimed the key since: its holder's work superseded nobody's.
func (m *MemoryLedger) Commit(ctx context.Context, lease Lease, rec Record) error {
	return m.end(ctx, lease, &rec, nil)
}

// Release implements Ledger.
func (m *MemoryLedger) Release(ctx context.Context, lease Lease) error {
	return m.end(ctx, lease, nil, nil)
}

// end ends a lease, recording rec when it is not nil (a commit). persist,
// when not nil, runs after the lease was checked and before the record
// becomes visible, under the same lock. This is how FileLedger makes a
// commit durable without a second copy of the lease logic: no claim can
// slip in between the check and the write, and a failed write leaves the
// lease and the old record as they were. The price is that other calls wait
// for the write.
func (m *MemoryLedger) end(ctx context.Context, lease Lease, rec *Record, persist func() error) error {
	return m.withLease(ctx, lease, func(e *memEntry) error {
		if persist != nil {
			if err := persist(); err != nil {
				return err
			}
		}
		if rec != nil {
			e.rec, e.committed, e.note = *rec, true, ""
		}
		e.lease = Lease{}
		e.touched = time.Now()
		return nil
	})
}

// restore sets the state a FileLedger replays on open: committed records
// and notes, without leases.
func (m *MemoryLedger) restore(states map[LedgerKey]*fileState) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k, st := range states {
		e := &memEntry{note: st.note, touched: st.touched}
		if st.rec != nil {
			e.rec, e.committed = *st.rec, true
		}
		m.entries[k] = e
	}
}

// current returns the entry of lease's key if lease is its current lease.
// The caller holds m.mu.
func (m *MemoryLedger) current(lease Lease) (*memEntry, error) {
	e := m.entries[lease.Key]
	switch {
	case e != nil && lease.Token != 0 && lease.Token == e.lease.Token && lease.Owner == e.lease.Owner:
		return e, nil
	case e != nil && lease.Token != 0 && lease.Token == e.lastToken:
		return nil, fmt.Errorf("%w: lease %d of %s on %s has already ended", ErrLeaseLost, lease.Token, lease.Owner, lease.Key)
	default:
		return nil, fmt.Errorf("%w: lease %d of %s on %s is not the current one", ErrLeaseLost, lease.Token, lease.Owner, lease.Key)
	}
}
