package sqlledger_test

import (
	"testing"
	"time"

	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/ledgertest"
)

// contractTTL is the lease length of the contract cases: they run on the
// database's clock, so they wait for real, a few TTLs per case.
const contractTTL = 250 * time.Millisecond

func TestContract(t *testing.T) {
	for _, o := range openers {
		t.Run(o.name, func(t *testing.T) {
			t.Parallel()
			ledgertest.Run(t, func(t *testing.T) tracking.Ledger { return o.open(t) }, ledgertest.RealTime(contractTTL))
		})
	}
}
