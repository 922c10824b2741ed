package tracking_test

import (
	"path/filepath"
	"testing"

	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/ledgertest"
	"github.com/stretchr/testify/require"
)

func TestMemoryLedger(t *testing.T) {
	ledgertest.Run(t, func(*testing.T) tracking.Ledger { return tracking.NewMemoryLedger() })
}

func TestFileLedger(t *testing.T) {
	ledgertest.Run(t, func(t *testing.T) tracking.Ledger {
		l, err := tracking.OpenFileLedger(filepath.Join(t.TempDir(), "ledger.jsonl"))
		require.NoError(t, err)
		t.Cleanup(func() { require.NoError(t, l.Close()) })
		return l
	})
}
