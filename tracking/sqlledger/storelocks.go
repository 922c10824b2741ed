package sqlledger

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/shopctrl/tracksync/tracking"
)

// StoreLocks is a tracking.StoreLocker on a Ledger's database: it gives
// each store (a Shopify shop, an Amazon seller) to one process at a time,
// so that the store's rate limit is paced by one client. Give it to the
// Syncer with tracking.WithStoreLocker.
//
// Taking a store writes a store lease (owner, expiry) in one statement, as
// a claim does. While a process holds the store it renews the lease every
// third of its TTL, and it keeps the store for an idle time after its last
// order, so that a busy store does not change hands between orders; then it
// hands the store back. A process that dies stops renewing, and once its
// lease expires another process takes the store over. A store held
// elsewhere is refused at once with a *tracking.StoreBusyError, whose
// orders the Syncer reports Waiting, to retry after the holder's lease ends.
// The refusal is remembered for a third of the TTL at most, so that the
// other orders of a busy store cost no statement.
//
// It is safe for concurrent use; orders of one store running at the same
// time in this process share the store. Call Close when the process stops
// syncing, to hand its stores back at once rather than after their TTL.
type StoreLocks struct {
	db     database
	stmt   *statements
	owner  string
	ttl    time.Duration
	idle   time.Duration
	logger *slog.Logger
	now    func() time.Time // the process clock, for idle times only

	mu     sync.Mutex // held across the statements too: it orders takes, renewals and hand-backs
	held   map[storeKey]*heldStore
	busy   map[storeKey]busyStore // stores held elsewhere, as last read
	closed bool
	stop   chan struct{} // closed by Close; nil until the renewal loop starts
	done   chan struct{} // closed when the renewal loop has stopped
}

var _ tracking.StoreLocker = (*StoreLocks)(nil)

type storeKey struct {
	channel tracking.Channel
	store   string
}

// heldStore is a store this process holds.
type heldStore struct {
	token     int64
	expires   time.Time // on the database's clock
	users     int       // orders of the store at work now
	idleSince time.Time // when users dropped to 0
}

// busyStore remembers that another process holds a store, so that the
// orders of that store asking again soon are answered without a statement.
type busyStore struct {
	err     *tracking.StoreBusyError
	recheck time.Time // on the process clock
}

// ErrStoreLocksClosed is returned by LockStore after Close.
var ErrStoreLocksClosed = errors.New("sqlledger: store locks are closed")

// A StoreLockOption configures StoreLocks.
type StoreLockOption func(*StoreLocks)

// WithStoreTTL sets how long a store lease lasts unless renewed (default 30
// seconds): how long the stores of a process that died wait before another
// process takes them over. It is renewed every third of it.
func WithStoreTTL(d time.Duration) StoreLockOption {
	return func(s *StoreLocks) { s.ttl = d }
}

// WithStoreIdle sets how long a store is kept after its last order ended
// (default 2 seconds), so that the next order of a busy store finds it
// still held; 0 hands it back as soon as its last order ends.
func WithStoreIdle(d time.Duration) StoreLockOption {
	return func(s *StoreLocks) { s.idle = d }
}

// WithStoreLogger sets the logger that reports lost and handed-back stores
// (default: the Ledger's).
func WithStoreLogger(l *slog.Logger) StoreLockOption {
	return func(s *StoreLocks) {
		if l != nil {
			s.logger = l
		}
	}
}

// NewStoreLocks returns the StoreLocks of this process on l's database,
// taking stores as owner: give each process its own name, the one given
// to its Syncer with tracking.WithOwner, so that the holder a
// StoreBusyError names is the worker the ledger's leases name.
func NewStoreLocks(l *Ledger, owner string, opts ...StoreLockOption) (*StoreLocks, error) {
	if owner == "" {
		return nil, errors.New("sqlledger: store locks: empty owner; name this process as its Syncer's WithOwner does")
	}
	if err := checkText("owner", owner); err != nil {
		return nil, fmt.Errorf("sqlledger: store locks: %w", err)
	}
	s := &StoreLocks{
		db: l.db, stmt: &l.stmt, owner: owner, ttl: 30 * time.Second, idle: 2 * time.Second,
		logger: l.logger, now: time.Now, held: map[storeKey]*heldStore{}, busy: map[storeKey]busyStore{},
	}
	for _, opt := range opts {
		opt(s)
	}
	if s.ttl <= 0 || s.idle < 0 {
		return nil, fmt.Errorf("sqlledger: store locks: TTL %v must be positive and idle time %v not negative", s.ttl, s.idle)
	}
	return s, nil
}

// Owner is the name this process takes stores under.
func (s *StoreLocks) Owner() string { return s.owner }

// LockStore implements tracking.StoreLocker.
func (s *StoreLocks) LockStore(ctx context.Context, channel tracking.Channel, store string) (unlock func(), err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if channel == "" || store == "" {
		return nil, fmt.Errorf("sqlledger: lock store %q of channel %q: both are needed", store, channel)
	}
	for what, v := range map[string]string{"channel": string(channel), "store": store} {
		if err := checkText(what, v); err != nil {
			return nil, fmt.Errorf("sqlledger: lock store: %w", err)
		}
	}
	k := storeKey{channel, store}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrStoreLocksClosed
	}
	h := s.held[k]
	if h == nil {
		if b, ok := s.busy[k]; ok && s.now().Before(b.recheck) {
			return nil, b.err
		}
		if h, err = s.take(ctx, k); err != nil {
			s.rememberBusy(k, err)
			return nil, err
		}
		delete(s.busy, k)
		s.held[k] = h
		s.startLoop()
	}
	h.users++
	return sync.OnceFunc(func() { s.unlock(k, h) }), nil
}

// take writes the store lease, or says who holds it. The caller holds s.mu.
func (s *StoreLocks) take(ctx context.Context, k storeKey) (*heldStore, error) {
	for range claimAttempts {
		h := &heldStore{}
		var expires dbTime
		err := s.db.queryRow(ctx, s.stmt.storeLock, string(k.channel), k.store, s.owner, micros(s.ttl)).Scan(&h.token, &expires)
		if err == nil {
			h.expires = expires.t
			s.logger.DebugContext(ctx, "sqlledger: took store", "channel", string(k.channel), "store", k.store, "owner", s.owner)
			return h, nil
		}
		if !errors.Is(err, errNoRows) {
			return nil, storeFailure(ctx, "take", k, err)
		}
		busy, live, err := s.holder(ctx, k)
		switch {
		case err != nil:
			return nil, err
		case live:
			return nil, busy
		}
		// The holder let go between the two statements: take it again.
	}
	return nil, fmt.Errorf("sqlledger: take %s store %q: it keeps changing hands: %w", k.channel, k.store, tracking.ErrStoreBusy)
}

// rememberBusy keeps a busy answer until the holder's lease ends, or for a
// third of the TTL at most: a holder may hand the store back early, when
// it runs out of orders.
func (s *StoreLocks) rememberBusy(k storeKey, err error) {
	var busy *tracking.StoreBusyError
	if !errors.As(err, &busy) {
		return
	}
	for bk, b := range s.busy { // forget what is stale, so that the map stays small
		if !s.now().Before(b.recheck) {
			delete(s.busy, bk)
		}
	}
	s.busy[k] = busyStore{err: busy, recheck: s.now().Add(min(busy.RetryAfter(), s.ttl/3))}
}

// holder reads who holds a store, as the error LockStore returns.
func (s *StoreLocks) holder(ctx context.Context, k storeKey) (*tracking.StoreBusyError, bool, error) {
	busy := &tracking.StoreBusyError{Channel: k.channel, Store: k.store}
	var until dbTime
	var live bool
	err := s.db.queryRow(ctx, s.stmt.storeHolder, string(k.channel), k.store).Scan(&busy.Owner, &until, &live)
	if err != nil && !errors.Is(err, errNoRows) {
		return nil, false, storeFailure(ctx, "read the holder of", k, err)
	}
	busy.Until = until.t
	if !live {
		return nil, false, nil
	}
	return busy, true, nil
}

// unlock ends one order's use of a store; the last one starts its idle time.
func (s *StoreLocks) unlock(k storeKey, h *heldStore) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h.users--
	if h.users > 0 || s.held[k] != h {
		return // still in use, or lost and forgotten already
	}
	h.idleSince = s.now()
	if s.idle == 0 {
		s.handBack(k, h)
	}
}

// handBack ends the store lease. The caller holds s.mu.
func (s *StoreLocks) handBack(k storeKey, h *heldStore) {
	delete(s.held, k)
	ctx, cancel := context.WithTimeout(context.Background(), s.ttl)
	defer cancel()
	if _, err := s.db.exec(ctx, s.stmt.storeUnlock, string(k.channel), k.store, s.owner, h.token); err != nil {
		s.logger.WarnContext(ctx, "sqlledger: could not hand a store back; it frees itself when its lease expires",
			"channel", string(k.channel), "store", k.store, "until", h.expires, "error", err)
		return
	}
	s.logger.DebugContext(ctx, "sqlledger: handed store back", "channel", string(k.channel), "store", k.store, "owner", s.owner)
}

// startLoop starts the renewal loop once. The caller holds s.mu.
func (s *StoreLocks) startLoop() {
	if s.stop != nil {
		return
	}
	s.stop, s.done = make(chan struct{}), make(chan struct{})
	every := s.ttl / 3
	if s.idle > 0 {
		every = min(every, s.idle/2)
	}
	go func() {
		defer close(s.done)
		t := time.NewTicker(max(every, time.Millisecond))
		defer t.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-t.C:
				s.tick()
			}
		}
	}()
}

// tick renews the stores in use or idle for less than the idle time, and
// hands back the others.
func (s *StoreLocks) tick() {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for k, h := range s.held {
		if h.users == 0 && now.Sub(h.idleSince) >= s.idle {
			s.handBack(k, h)
			continue
		}
		s.renew(k, h)
	}
}

// renew extends a store lease. A lease another process took over after it
// expired (this process stalled longer than the TTL) is forgotten: the
// orders at work on it finish, and the next order asks for the store again.
// The caller holds s.mu.
func (s *StoreLocks) renew(k storeKey, h *heldStore) {
	ctx, cancel := context.WithTimeout(context.Background(), s.ttl/3)
	defer cancel()
	var expires dbTime
	err := s.db.queryRow(ctx, s.stmt.storeRenew, string(k.channel), k.store, s.owner, h.token, micros(s.ttl)).Scan(&expires)
	switch {
	case err == nil:
		h.expires = expires.t
	case errors.Is(err, errNoRows):
		delete(s.held, k)
		s.logger.ErrorContext(ctx, "sqlledger: lost a store: its lease expired and another process took it over; this process stalled longer than the store TTL",
			"channel", string(k.channel), "store", k.store, "owner", s.owner, "ttl", s.ttl)
	default:
		s.logger.WarnContext(ctx, "sqlledger: could not renew a store lease; trying again",
			"channel", string(k.channel), "store", k.store, "until", h.expires, "error", err)
	}
}

// Close hands back every store this process holds and stops renewing. The
// orders still at work keep going without the store's protection; close
// after the Syncer's last Sync returned. Closing again does nothing.
func (s *StoreLocks) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	for k, h := range s.held {
		s.handBack(k, h)
	}
	stop, done := s.stop, s.done
	s.mu.Unlock()
	if stop != nil {
		close(stop)
		<-done
	}
	return nil
}

func storeFailure(ctx context.Context, op string, k storeKey, err error) error {
	return failure(ctx, op, fmt.Sprintf("%s store %q", k.channel, k.store), err)
}
