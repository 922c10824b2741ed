package tracking

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// claimed is a shipment this call holds a lease on.
type claimed struct {
	index int // position in the order's shipments
	lease Lease
	prev  Record // the committed record, for a tracking update
}

// export runs one order through one exporter under the ledger's
// exactly-once protocol: skip what is recorded, claim the rest, push, then
// commit what was pushed and release what was not.
func (s *Syncer) export(ctx context.Context, rt route, o Order, prior []Result) Result {
	run := newRun(s, prior)
	ctx = context.WithValue(ctx, runKey{}, run)
	if rt.info.OwnLedger {
		return s.exportOwn(ctx, rt, o)
	}
	res := Result{Exporter: rt.info.Name, Channel: rt.exporter.Channel(), Shipments: make([]ShipmentResult, len(o.Shipments))}
	pushes := make([]claimed, 0, len(o.Shipments))
	var updates []claimed
	for i, sh := range o.Shipments {
		key := LedgerKey{Channel: o.Channel, Store: o.Store, OrderID: o.ID, ShipmentID: sh.ID, Purpose: rt.info.Purpose}
		out := &res.Shipments[i]
		out.ShipmentID = sh.ID
		rec, found, err := s.ledger.Lookup(ctx, key)
		if err != nil {
			*out = failed(sh.ID, "could not read the ledger; the next run tries again", fmt.Errorf("ledger lookup %s: %w", key, err))
			continue
		}
		if found && rec.TrackingNumber == sh.TrackingNumber {
			out.State, out.RemoteID = AlreadyPushed, rec.RemoteID
			continue
		}
		lease, err := s.ledger.Claim(ctx, key, s.owner, s.leaseTTL)
		var busy *ClaimedError
		switch {
		case errors.As(err, &busy):
			out.State = Waiting
			out.Reason = fmt.Sprintf("another worker (%s) is pushing it; its lease expires %s", busy.Owner, busy.Expires.UTC().Format(time.RFC3339))
			continue
		case err != nil:
			*out = failed(sh.ID, "could not claim the shipment in the ledger; the next run tries again", fmt.Errorf("ledger claim %s: %w", key, err))
			continue
		}
		run.add(sh.ID, lease)
		c := claimed{index: i, lease: lease, prev: rec}
		if found {
			updates = append(updates, c)
		} else {
			pushes = append(pushes, c)
		}
	}

	stopRenewing := s.keepLeases(ctx, run, len(pushes)+len(updates))
	if len(pushes) > 0 {
		sub := o
		sub.Shipments = make([]Shipment, len(pushes))
		for j, c := range pushes {
			sub.Shipments[j] = o.Shipments[c.index]
		}
		got, err := rt.exporter.Export(ctx, sub)
		for _, c := range pushes {
			res.Shipments[c.index] = pick(got.Shipments, o.Shipments[c.index].ID, err)
		}
	}
	updater, canUpdate := rt.exporter.(TrackingUpdater)
	for _, c := range updates {
		sh := o.Shipments[c.index]
		if !canUpdate {
			res.Shipments[c.index] = failed(sh.ID, fmt.Sprintf("the tracking number changed from %q to %q after the push, and exporter %s cannot update it: update it on the channel by hand", c.prev.TrackingNumber, sh.TrackingNumber, rt.info.Name), ErrTrackingChanged)
			continue
		}
		got, err := updater.UpdateTracking(ctx, o, sh, c.prev)
		got.ShipmentID = sh.ID
		res.Shipments[c.index] = pick([]ShipmentResult{got}, sh.ID, err)
	}

	// Settle even when ctx was cancelled: a push that happened must be
	// recorded.
	stopRenewing()

	settleCtx := context.WithoutCancel(ctx)
	for _, batch := range [][]claimed{pushes, updates} {
		for _, c := range batch {
			r := &res.Shipments[c.index]
			if lost := run.Check(r.ShipmentID); lost != nil && r.State != Pushed && r.State != AlreadyPushed {
				*r = failed(r.ShipmentID, "the lease ran out while the export ran; another worker may have it, the next run reconciles", lost)
			}
			c.lease, _, _ = run.lease(r.ShipmentID) // renewed
			s.settle(settleCtx, c, o.Shipments[c.index], r)
		}
	}
	s.log(ctx, rt, o, res)
	return res
}

// keepLeases renews the run's leases while its export runs, when it holds
// any; the returned function stops the renewals and waits for them.
func (s *Syncer) keepLeases(ctx context.Context, run *Run, n int) (stop func()) {
	if n == 0 {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		run.renew(ctx)
	}()
	return func() {
		cancel()
		<-done
	}
}

// exportOwn runs an exporter that keeps its own ledger records: it gets the
// whole order, and the Syncer only checks that every shipment is reported.
func (s *Syncer) exportOwn(ctx context.Context, rt route, o Order) Result {
	res := Result{Exporter: rt.info.Name, Channel: rt.exporter.Channel(), Shipments: make([]ShipmentResult, len(o.Shipments))}
	got, err := rt.exporter.Export(ctx, o)
	for i, sh := range o.Shipments {
		res.Shipments[i] = pick(got.Shipments, sh.ID, err)
	}
	s.log(ctx, rt, o, res)
	return res
}

// pick returns the result for shipment id among an exporter's results. An
// exporter that returned none for it is reported as Failed with its error,
// or as a broken exporter: a shipment is never dropped silently.
func pick(results []ShipmentResult, id string, err error) ShipmentResult {
	for _, r := range results {
		if r.ShipmentID != id {
			continue
		}
		switch r.State {
		case Pushed, AlreadyPushed, Waiting, Failed:
			return r
		default:
			return failed(id, "the exporter returned an unknown state", fmt.Errorf("tracking: exporter returned state %q for shipment %q", r.State, id))
		}
	}
	if err != nil {
		return failed(id, err.Error(), err)
	}
	return failed(id, "the exporter returned no result for this shipment", fmt.Errorf("tracking: exporter returned no result for shipment %q", id))
}

func failed(id, reason string, err error) ShipmentResult {
	return ShipmentResult{ShipmentID: id, State: Failed, Reason: reason, Err: err}
}

// settle ends the lease of a claimed shipment: commit what reached the
// channel, release the rest.
func (s *Syncer) settle(ctx context.Context, c claimed, sh Shipment, r *ShipmentResult) {
	if r.State == Pushed || r.State == AlreadyPushed {
		rec := Record{RemoteID: r.RemoteID, TrackingNumber: sh.TrackingNumber, PushedAt: time.Now().UTC()}
		if err := s.ledger.Commit(ctx, c.lease, rec); err != nil {
			r.Err = fmt.Errorf("pushed, but the ledger could not record it (the next run reconciles with the channel): %w", err)
			s.logger.ErrorContext(ctx, "ledger commit failed after a push", "key", c.lease.Key.String(), "remote_id", r.RemoteID, "error", err)
		}
		return
	}
	if err := s.ledger.Release(ctx, c.lease); err != nil {
		s.logger.WarnContext(ctx, "ledger release failed; the lease expires on its own", "key", c.lease.Key.String(), "error", err)
	}
}

func (s *Syncer) log(ctx context.Context, rt route, o Order, res Result) {
	for _, r := range res.Shipments {
		level := slog.LevelDebug
		switch r.State {
		case Failed:
			level = slog.LevelWarn
		case Pushed:
			level = slog.LevelInfo
		}
		if !s.logger.Enabled(ctx, level) { // keep the hot path free of argument allocations
			continue
		}
		s.logger.Log(ctx, level, "shipment "+string(r.State),
			"exporter", rt.info.Name, "order", o.ID, "store", o.Store, "shipment", r.ShipmentID,
			"remote_id", r.RemoteID, "reason", r.Reason, "error", r.Err)
	}
}
