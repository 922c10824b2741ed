package sqlledger_test

import (
	"testing"
	"time"

	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/ledgertest"
)

// contractTTL is the lease length of the contract cases: they run on the
// database's clock, so they wait for real, a few TTLs per case. It must
// outlast the slowest case's statements, or a lease expires mid-case.
func contractTTL() time.Duration {
	if raceEnabled {
		return time.Second
	}
	return 250 * time.Millisecond
}

func TestContract(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		ledgertest.Run(t, func(t *testing.T) tracking.Ledger { return b.openFresh(t) }, ledgertest.RealTime(contractTTL()))
	})
}
