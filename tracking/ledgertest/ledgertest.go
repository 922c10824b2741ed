// Package ledgertest checks that a tracking.Ledger keeps the contract
// documented on the interface: leases, fencing tokens, takeover, notes,
// renewal, pruning, key validation and concurrency. Hosts that write their
// own ledger run it from a test:
//
//	func TestMyLedger(t *testing.T) {
//		ledgertest.Run(t, func(t *testing.T) tracking.Ledger { return newMyLedger(t) })
//	}
//
// Every case gets a fresh ledger from newLedger.
package ledgertest

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/shopctrl/tracksync/tracking"
	"github.com/stretchr/testify/require"
)

// An Option changes how Run checks a ledger.
type Option func(*suite)

// RealTime runs the cases on the wall clock, for ledgers that do not take
// their time from the process (a database's now()): leases are ttl long
// (say 300ms), the cases wait for real, a few ttl each, and expiry times are
// compared within ttl/4. Without it every case runs in a testing/synctest
// bubble, where leases expire to the nanosecond and no case waits.
func RealTime(ttl time.Duration) Option {
	return func(s *suite) { s.ttl, s.real = ttl, true }
}

// suite is the clock the cases run on.
type suite struct {
	ttl  time.Duration
	real bool
}

// Run runs every contract case against ledgers made by newLedger.
func Run(t *testing.T, newLedger func(t *testing.T) tracking.Ledger, opts ...Option) {
	s := &suite{ttl: time.Minute}
	for _, opt := range opts {
		opt(s)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if s.real {
				tc.run(t, s, newLedger(t))
				return
			}
			synctest.Test(t, func(t *testing.T) { tc.run(t, s, newLedger(t)) })
		})
	}
}

var cases = []struct {
	name string
	run  func(t *testing.T, s *suite, l tracking.Ledger)
}{
	{"claim commit lookup", contractClaimCommitLookup},
	{"live lease refuses every claim", contractLiveLeaseRefuses},
	{"release then reclaim", contractReleaseThenReclaim},
	{"expired lease is taken over", contractTakeover},
	{"commit or release after expiry without takeover", contractLateButUncontested},
	{"committed key is claimed again to update", contractUpdate},
	{"commit and release end the lease", contractLeaseEnds},
	{"keys are independent", contractKeysIndependent},
	{"invalid input", contractInvalidInput},
	{"keys that are not UTF-8 text are refused", contractKeysAreText},
	{"cancelled context", contractCancelled},
	{"concurrent claims of one key", contractConcurrentClaims},
	{"concurrent commits of many keys", contractConcurrentCommits},
	{"renew extends a live lease", contractRenew},
	{"renew fails once the lease is lost", contractRenewLost},
	{"a note survives release and expiry, commit clears it", contractNote},
	{"a note needs the current lease", contractNoteLost},
	{"prune deletes old records and ended claims", contractPrune},
}

var testKey = tracking.LedgerKey{Channel: "shopify", Store: "shop.example", OrderID: "1001", ShipmentID: "S1"}

func testRecord(id string) tracking.Record {
	return tracking.Record{RemoteID: id, TrackingNumber: "TN-" + id, PushedAt: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
}

// sleep waits d on the suite's clock.
func (s *suite) sleep(d time.Duration) { time.Sleep(d) }

// justBefore is how long to wait to be just before a fresh lease expires.
func (s *suite) justBefore() time.Duration {
	if s.real {
		return s.ttl / 2
	}
	return s.ttl - time.Nanosecond
}

// pastExpiry is how long to wait for a fresh lease to have expired.
func (s *suite) pastExpiry() time.Duration {
	if s.real {
		return s.ttl + s.ttl/4
	}
	return s.ttl
}

// requireExpires checks an expiry time, exactly in a bubble.
func (s *suite) requireExpires(t *testing.T, want, got time.Time) {
	t.Helper()
	if s.real {
		require.WithinDuration(t, want, got, s.ttl/4)
		return
	}
	require.True(t, got.Equal(want), "expires %v, want %v", got, want)
}
