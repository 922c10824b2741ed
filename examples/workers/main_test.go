package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/shopctrl/tracksync/tracking/sqlledger/pgtest"
	"github.com/stretchr/testify/require"
)

// TestMain lets the test binary be a worker too: the fleet starts it again
// with the worker's settings in the environment.
func TestMain(m *testing.M) {
	if settings := os.Getenv(workerEnv); settings != "" {
		os.Exit(workerMain(settings))
	}
	os.Exit(m.Run())
}

// TestFleet is the goal of the example: 4 worker processes with their own
// pools, 8 shops and 4 sellers, 5 000 shipments, faults on, the busiest
// worker killed a third of the way through. Every shipment reaches its
// channel exactly once, none is lost, and no shop answers THROTTLED after
// its first answer. (Under the race detector, whose workers run several
// times slower, the run is smaller.)
func TestFleet(t *testing.T) {
	cfg := defaultFleet()
	cfg.DSN = pgtest.DSN(t)
	cfg.Kill = true
	if raceEnabled {
		cfg.Shipments = 1000
	}
	exe, err := os.Executable()
	require.NoError(t, err)
	cfg.Exe = exe

	report, err := runFleet(t.Context(), cfg)
	require.NoError(t, err)
	var out bytes.Buffer
	report.print(&out)
	t.Log("\n" + out.String())

	require.Equal(t, cfg.Shipments, report.Shipments)
	require.NotEmpty(t, report.Killed)
	require.Less(t, report.KilledAt, report.Shipments, "killed mid-run")
	require.Len(t, report.Workers, cfg.Workers-1, "the others finished")
	require.Empty(t, report.Missing, "no shipment lost")
	require.Empty(t, report.Twice, "no shipment twice")
	require.Zero(t, report.totals().ShopifyThrottled, "no THROTTLED after a shop's first answer")
	for _, w := range report.Workers {
		require.Zero(t, w.Failed, "%s gave up: %v", w.Name, w.Failures)
		require.Equal(t, cfg.Shipments, w.Pushed+w.AlreadyPushed, "%s saw every shipment done", w.Name)
	}
	require.True(t, report.ok())
}
