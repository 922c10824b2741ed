package notify

import "github.com/shopctrl/tracksync/tracking"

// retryable tells whether trying again later can help after err, by the
// core's rules (tracking.Classify): the Retryable method of SendError,
// AddressError and ConfigError decides for ours.
func retryable(err error) bool {
	ok, _ := tracking.Classify(err)
	return ok
}

// describe is the ExporterInfo the Syncer treats the Notifier by: its own
// ledger records, under purposes "notify:<trigger>".
func describe() tracking.ExporterInfo {
	return tracking.ExporterInfo{Name: Name, Purpose: Name, OwnLedger: true}
}
