package notify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopctrl/tracksync/tracking"
)

// ErrNoLedger reports a Notifier that runs outside a Syncer without
// WithLedger: it cannot send exactly once.
var ErrNoLedger = errors.New("notify: no ledger")

// Describe tells the Syncer to run the Notifier under purpose "notify"
// and to leave its ledger records to it (OwnLedger): it keeps one per
// order, package and trigger.
func (n *Notifier) Describe() tracking.ExporterInfo { return describe() }

// exportRun is one Export: the order, where its records go, and what
// happened to each package.
type exportRun struct {
	n        *Notifier
	o        tracking.Order
	st       *store
	ledger   tracking.Ledger
	owner    string
	ttl      time.Duration
	prior    []tracking.Result
	outcomes map[string]*outcome
	address  string
	addrErr  error
}

// Export sends the emails the order owes now, each exactly once (see the
// package documentation), and returns one result per package. Its error
// is always nil: every problem is reported in the result of the packages
// it affects.
func (n *Notifier) Export(ctx context.Context, o tracking.Order) (tracking.Result, error) {
	run := tracking.RunFrom(ctx) // nil outside a Syncer; its methods are nil-safe
	r := &exportRun{n: n, o: o, ledger: n.ledger, owner: run.Owner(), ttl: run.LeaseTTL(), prior: run.Prior(), outcomes: map[string]*outcome{}}
	for _, s := range o.Shipments {
		r.outcomes[s.ID] = &outcome{}
	}
	if r.ledger == nil {
		r.ledger = run.Ledger()
	}
	if r.owner == "" {
		r.owner = n.owner
	}
	if r.ttl <= 0 {
		r.ttl = defaultLeaseTTL
	}
	st, err := n.storeFor(o.Store)
	switch {
	case r.ledger == nil:
		err := &ConfigError{Setting: "ledger", Problem: "none: run the Notifier in a tracking.Syncer, or give it WithLedger", Err: ErrNoLedger}
		r.failAll(err.Error(), err)
	case err != nil:
		r.failAll(err.Error(), err)
	default:
		r.st = st
		r.address, r.addrErr = customerAddress(o)
		for _, e := range r.plan(ctx) {
			if err := ctx.Err(); err != nil {
				r.failEmail(e, "not sent: "+err.Error(), err, true)
				continue
			}
			r.send(ctx, e)
		}
	}
	return r.result(), nil
}

func (r *exportRun) result() tracking.Result {
	res := tracking.Result{Exporter: Name, Channel: tracking.AllChannels, Shipments: make([]tracking.ShipmentResult, len(r.o.Shipments))}
	for i, s := range r.o.Shipments {
		res.Shipments[i] = r.outcomes[s.ID].result(s.ID)
	}
	return res
}

func (r *exportRun) failAll(reason string, err error) {
	for _, oc := range r.outcomes {
		oc.fail(Name, reason, err, retryable(err))
	}
}

func (r *exportRun) failEmail(e email, reason string, err error, canRetry bool) {
	for _, s := range e.packages {
		r.outcomes[s.ID].fail(e.trigger.Name, reason, err, canRetry)
	}
}

// plan asks every switched-on trigger about the order and returns the
// emails due now; everything else is tallied in the outcomes.
func (r *exportRun) plan(ctx context.Context) []email {
	h := r.n.readHistory(ctx, r.ledger, r.o)
	var due []email
	for _, t := range r.n.triggers {
		mode := r.st.modes[t.Name]
		if mode == Off {
			continue
		}
		if err := h.failed[t.Name]; err != nil {
			for _, oc := range r.outcomes {
				oc.fail(t.Name, "could not read the ledger; the next run tries again", err, true)
			}
			continue
		}
		recs := h.records[t.Name]
		if t.PerOrder {
			if len(r.o.Shipments) > 0 {
				due = append(due, r.decide(t, mode, recs[""], tracking.Shipment{}, r.o.Shipments, "")...)
			}
			continue
		}
		for _, s := range r.o.Shipments {
			due = append(due, r.decide(t, mode, recs[s.ID], s, []tracking.Shipment{s}, h.told(s.ID))...)
		}
	}
	return due
}

// decide asks one trigger about one package (or the order) and returns the
// email if it is due and, with AfterChannel, the channel holds every
// package it is about.
func (r *exportRun) decide(t *Trigger, mode Mode, sent *tracking.Record, s tracking.Shipment, packages []tracking.Shipment, told string) []email {
	v := t.Due(Event{Order: r.o, Package: s, Sent: sent, Told: told})
	switch {
	case v.Send:
	case v.Wait != "":
		for _, p := range packages {
			r.outcomes[p.ID].wait(t.Name, v.Wait)
		}
		return nil
	default:
		if sent != nil {
			for _, p := range packages {
				r.outcomes[p.ID].before = append(r.outcomes[p.ID].before, sent.RemoteID)
			}
		}
		return nil
	}
	if mode == AfterChannel {
		waiting := false
		for _, p := range packages {
			if ok, reason := held(r.prior, p.ID); !ok {
				r.outcomes[p.ID].wait(t.Name, reason)
				waiting = true
			}
		}
		if waiting {
			return nil
		}
	}
	e := email{trigger: t, shipment: s.ID, packages: packages}
	if told != "" && told != s.TrackingNumber {
		e.previous = map[string]string{s.ID: told}
	}
	return []email{e}
}

// send sends one due email under a claim on its ledger key: claim, note
// the Message-ID, send, then commit (or release when it failed).
func (r *exportRun) send(ctx context.Context, e email) {
	if r.addrErr != nil {
		r.failEmail(e, r.addrErr.Error(), r.addrErr, false)
		return
	}
	c, err := r.n.compose(ctx, r.st, r.o, e, r.address)
	if err != nil {
		r.failEmail(e, "could not compose the email: "+err.Error(), err, retryable(err))
		return
	}
	for id, ws := range c.warnings {
		r.outcomes[id].warnings = append(r.outcomes[id].warnings, ws...)
	}
	k := key(r.o, e.trigger.Name, e.shipment)
	lease, err := r.ledger.Claim(ctx, k, r.owner, r.ttl)
	var busy *tracking.ClaimedError
	switch {
	case errors.As(err, &busy):
		for _, p := range e.packages {
			r.outcomes[p.ID].wait(e.trigger.Name, fmt.Sprintf("another worker (%s) is sending it; its lease expires %s", busy.Owner, busy.Expires.UTC().Format(time.RFC3339)))
		}
		return
	case err != nil:
		r.failEmail(e, "could not claim the email in the ledger; the next run tries again", fmt.Errorf("ledger claim %s: %w", k, err), true)
		return
	}
	if lease.Note != "" || lease.TakenOver {
		r.n.logger.WarnContext(ctx, "an earlier attempt may have sent this email and stopped before recording it; it goes out again with the same Message-ID",
			"key", k.String(), "note", lease.Note, "message_id", c.msg.MessageID)
	}
	// The note survives a crash: whoever claims the key next learns that
	// this Message-ID may have gone out.
	if err := r.ledger.Note(ctx, lease, "sending "+c.msg.MessageID); err != nil {
		r.release(ctx, lease)
		r.failEmail(e, "could not note the email in the ledger before sending; the next run tries again", err, true)
		return
	}
	if err := r.n.mailer.Send(ctx, c.msg); err != nil {
		r.release(ctx, lease)
		r.failEmail(e, err.Error(), fmt.Errorf("order %q: %w", r.o.ID, err), retryable(err))
		return
	}
	rec := tracking.Record{RemoteID: c.msg.MessageID, TrackingNumber: recordNumbers(e.trigger.PerOrder, e.packages), PushedAt: r.n.now().UTC()}
	var commitErr error
	if err := r.ledger.Commit(context.WithoutCancel(ctx), lease, rec); err != nil {
		commitErr = fmt.Errorf("sent, but the ledger could not record it (a later run may send it again): %w", err)
		r.n.logger.ErrorContext(ctx, "ledger commit failed after an email was sent", "key", k.String(), "message_id", c.msg.MessageID, "error", err)
	}
	for _, p := range e.packages {
		oc := r.outcomes[p.ID]
		oc.sent = append(oc.sent, c.msg.MessageID)
		if commitErr != nil {
			oc.commitErr = commitErr
		}
	}
}

func (r *exportRun) release(ctx context.Context, lease tracking.Lease) {
	if err := r.ledger.Release(context.WithoutCancel(ctx), lease); err != nil {
		r.n.logger.WarnContext(ctx, "ledger release failed; the claim expires on its own", "key", lease.Key.String(), "error", err)
	}
}
