package main

import (
	"bytes"
	"os"
	"testing"
	"time"

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
// its first answer. The run is paced by the stores' rate limits more than
// by the CPU: it takes about 10 s, and about 13 s under the race detector,
// at the same size.
//
// It cannot hang: the run is bounded by fleetTimeout (and by the test's
// own -timeout), the workers report what they could not settle before it,
// and a failure names the shipments still missing. Set
// TRACKSYNC_WORKERS_LOGS=DIR to keep each worker's debug log there.
func TestFleet(t *testing.T) {
	cfg := defaultFleet()
	cfg.DSN = pgtest.DSN(t)
	cfg.Kill = true
	cfg.Timeout = fleetTimeout
	if end, ok := t.Deadline(); ok {
		cfg.Timeout = max(min(cfg.Timeout, time.Until(end)-10*time.Second), time.Second) // room to report before go test's own timeout
	}
	cfg.LogDir = os.Getenv(logsEnv)
	exe, err := os.Executable()
	require.NoError(t, err)
	cfg.Exe = exe

	report, err := runFleet(t.Context(), cfg)
	if report != nil {
		var out bytes.Buffer
		report.print(&out)
		t.Log("\n" + out.String())
	}
	require.NoError(t, err)

	require.Equal(t, cfg.Shipments, report.Shipments)
	require.NotEmpty(t, report.Killed)
	require.Less(t, report.KilledAt, report.Shipments, "killed mid-run")
	require.Len(t, report.Workers, cfg.Workers-1, "the others finished")
	require.Zero(t, len(report.Missing), "shipments lost: %s", firstFew(report.Missing))
	require.Zero(t, len(report.Twice), "shipments pushed more than once: %s", firstFew(report.Twice))
	require.Zero(t, report.totals().ShopifyThrottled, "no THROTTLED after a shop's first answer")
	for _, w := range report.Workers {
		require.Zero(t, w.Unsettled, "%s stopped at its deadline with shipments not settled: %v", w.Name, w.Pending)
		require.Zero(t, w.Failed, "%s gave up: %v", w.Name, w.Failures)
		require.Equal(t, cfg.Shipments, w.Pushed+w.AlreadyPushed, "%s saw every shipment done", w.Name)
	}
	require.True(t, report.ok())
}

// fleetTimeout bounds TestFleet: many times what the run takes on two
// busy cores, and short enough that a broken run fails CI in minutes
// rather than hanging it.
const fleetTimeout = 2 * time.Minute
