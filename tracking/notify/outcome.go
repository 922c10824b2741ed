package notify

import (
	"errors"
	"strings"

	"github.com/shopctrl/tracksync/tracking"
)

// outcome tallies what the triggers did about one package in one Export.
type outcome struct {
	sent      []string // Message-IDs sent now
	before    []string // Message-IDs of emails sent in earlier runs
	waits     []string
	fails     []string
	errs      []error
	retry     bool // some failure can succeed later
	warnings  []string
	commitErr error // sent, but the ledger did not record it
}

func (o *outcome) wait(trigger, reason string) {
	o.waits = append(o.waits, trigger+": "+reason)
}

func (o *outcome) fail(trigger, reason string, err error, canRetry bool) {
	o.fails = append(o.fails, trigger+": "+reason)
	o.errs = append(o.errs, err)
	o.retry = o.retry || canRetry
}

// result is the package's ShipmentResult: Failed when an email failed,
// else Pushed when one was sent now, else Waiting when one is still due
// later, else AlreadyPushed when every email was sent before. A package no
// trigger has anything for yet is Waiting.
func (o *outcome) result(shipmentID string) tracking.ShipmentResult {
	r := tracking.ShipmentResult{ShipmentID: shipmentID, Warnings: o.warnings}
	switch {
	case len(o.fails) > 0:
		r.State, r.Reason, r.Err = tracking.Failed, joinReasons(o.fails), errors.Join(o.errs...)
		r.Retryable = o.retry
		r.RemoteID = strings.Join(o.sent, " ")
	case len(o.sent) > 0:
		r.State, r.RemoteID, r.Err = tracking.Pushed, strings.Join(o.sent, " "), o.commitErr
	case len(o.waits) > 0:
		r.State, r.Reason = tracking.Waiting, joinReasons(o.waits)
	case len(o.before) > 0:
		r.State, r.RemoteID = tracking.AlreadyPushed, strings.Join(o.before, " ")
	default:
		r.State, r.Reason = tracking.Waiting, "no email is due for this package yet"
	}
	return r
}

func joinReasons(rs []string) string { return strings.Join(rs, "; ") }
