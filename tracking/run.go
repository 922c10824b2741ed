package tracking

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Run is what an exporter can see of the Syncer's work on the order it was
// given: the leases the Syncer holds for its shipments, the notes earlier
// holders left, and the results of the exporters that ran before it.
//
// An exporter gets it with RunFrom(ctx). Every method is safe on a nil
// *Run (an exporter called outside a Syncer), where it reports no lease
// trouble, no notes and no prior results.
type Run struct {
	ledger   Ledger
	owner    string
	leaseTTL time.Duration
	prior    []Result

	mu     sync.Mutex
	claims map[string]*runClaim // by shipment id
}

// runClaim is the Syncer's lease on one shipment while it is exported.
type runClaim struct {
	lease Lease
	lost  error // set once a renewal failed: the lease may be someone else's
}

type runKey struct{}

// RunFrom returns the Run of the export ctx belongs to, or nil outside a
// Syncer.
func RunFrom(ctx context.Context) *Run {
	r, _ := ctx.Value(runKey{}).(*Run)
	return r
}

func newRun(s *Syncer, prior []Result) *Run {
	return &Run{ledger: s.ledger, owner: s.owner, leaseTTL: s.leaseTTL, prior: prior, claims: map[string]*runClaim{}}
}

func (r *Run) add(shipmentID string, lease Lease) {
	r.mu.Lock()
	r.claims[shipmentID] = &runClaim{lease: lease}
	r.mu.Unlock()
}

// lease returns the current lease of the shipment and whether it was lost.
func (r *Run) lease(shipmentID string) (Lease, error, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, ok := r.claims[shipmentID]
	if !ok {
		return Lease{}, nil, false
	}
	return c.lease, c.lost, true
}

// Check reports whether the Syncer still holds the lease on the shipment:
// nil while it does, an error wrapping ErrLeaseLost once a renewal failed
// (another worker may have taken the shipment over). Call it right before
// every write for the shipment, and write nothing when it fails: that is
// the fence that keeps a slow worker from pushing what a new holder pushes.
func (r *Run) Check(shipmentID string) error {
	if r == nil {
		return nil
	}
	l, lost, ok := r.lease(shipmentID)
	if lost == nil && ok && !time.Now().Before(l.Expires) {
		// The renewals fell behind (a paused process, a slow ledger): the
		// lease may already be someone else's.
		return fmt.Errorf("%w: the lease on %s expired at %s", ErrLeaseLost, l.Key, l.Expires.UTC().Format(time.RFC3339Nano))
	}
	return lost
}

// Note returns the note an earlier holder stored with the shipment's key
// (Ledger.Note), or "".
func (r *Run) Note(shipmentID string) string {
	if r == nil {
		return ""
	}
	l, _, _ := r.lease(shipmentID)
	return l.Note
}

// SetNote durably stores note with the shipment's key under the Syncer's
// lease, for a later holder to find if this export's outcome is lost (see
// Ledger.Note). It fails when the shipment is not claimed in this run or its
// lease was lost.
func (r *Run) SetNote(ctx context.Context, shipmentID, note string) error {
	if r == nil {
		return nil
	}
	l, lost, ok := r.lease(shipmentID)
	switch {
	case !ok:
		return fmt.Errorf("tracking: shipment %q has no lease in this run", shipmentID)
	case lost != nil:
		return lost
	}
	if err := r.ledger.Note(ctx, l, note); err != nil {
		return fmt.Errorf("tracking: note for %s: %w", l.Key, err)
	}
	r.mu.Lock()
	r.claims[shipmentID].lease.Note = note
	r.mu.Unlock()
	return nil
}

// TakenOver reports whether the Syncer's lease on the shipment took over
// an expired one: its holder may have written, so reconcile first.
func (r *Run) TakenOver(shipmentID string) bool {
	if r == nil {
		return false
	}
	l, _, _ := r.lease(shipmentID)
	return l.TakenOver
}

// Prior returns the results of the exporters that ran before this one for
// the same order: a channel's exporters run before the AllChannels ones,
// so a notifier sees what the channel holds.
func (r *Run) Prior() []Result {
	if r == nil {
		return nil
	}
	return r.prior
}

// Ledger returns the Syncer's ledger, for exporters that keep their own
// records (ExporterInfo.OwnLedger). It is nil outside a Syncer.
func (r *Run) Ledger() Ledger {
	if r == nil {
		return nil
	}
	return r.ledger
}

// Owner returns the name the Syncer claims leases under.
func (r *Run) Owner() string {
	if r == nil {
		return ""
	}
	return r.owner
}

// LeaseTTL returns the Syncer's lease duration.
func (r *Run) LeaseTTL() time.Duration {
	if r == nil {
		return 0
	}
	return r.leaseTTL
}

// renew keeps every lease of the run alive until ctx ends, renewing at a
// third of the TTL so that one late renewal still lands in time. A lease
// that cannot be renewed is marked lost: Check fails from then on.
func (r *Run) renew(ctx context.Context) {
	t := time.NewTicker(r.leaseTTL / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		r.mu.Lock()
		claims := make([]*runClaim, 0, len(r.claims))
		for _, c := range r.claims {
			if c.lost == nil {
				claims = append(claims, c)
			}
		}
		r.mu.Unlock()
		for _, c := range claims {
			r.renewOne(ctx, c)
		}
	}
}

func (r *Run) renewOne(ctx context.Context, c *runClaim) {
	r.mu.Lock()
	lease := c.lease
	r.mu.Unlock()
	renewed, err := r.ledger.Renew(ctx, lease, r.leaseTTL)
	if ctx.Err() != nil {
		return // the export ended while we renewed: nothing is lost
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		c.lost = fmt.Errorf("%w: could not renew the lease on %s: %v", ErrLeaseLost, lease.Key, err)
		return
	}
	renewed.Note = c.lease.Note
	c.lease = renewed
}
