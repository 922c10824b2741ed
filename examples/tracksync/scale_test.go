package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/tracking"
)

// TestScale runs TRACKSYNC_SCALE_ORDERS orders (four in five Shopify, one
// in five Amazon, two packages each) through the command against the
// fakes with fast limits, and logs the wall time and the process's peak
// memory. It is a measurement, not a speed goal: it asserts only that
// every shipment was pushed once.
//
//	TRACKSYNC_SCALE_ORDERS=10000 go test -run TestScale -v ./examples/tracksync
func TestScale(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("TRACKSYNC_SCALE_ORDERS"))
	if n <= 0 {
		t.Skip("set TRACKSYNC_SCALE_ORDERS=10000 to measure")
	}
	c := newChannels(t)
	dir := t.TempDir()
	orders := make([]tracking.Order, n)
	for i := range orders {
		if i%5 == 4 {
			orders[i] = c.amazonOrder(t)
		} else {
			orders[i] = c.shopifyOrder(t)
		}
	}
	path := filepath.Join(dir, "orders.jsonl")
	writeOrders(t, path, orders)

	start := time.Now()
	r := runCmd(t.Context(), "", c.args(t, dir, "-orders", path, "-json", "-concurrency", "16")...)
	wall := time.Since(start)
	require.Equal(t, exitOK, r.code, r.stderr)
	var rep passReport
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep))
	require.Equal(t, 2*n, rep.Totals.Pushed)
	require.Equal(t, 2*n, c.pushed(orders))
	t.Logf("%d orders, %d shipments: %s wall, %.0f orders/s; %d requests (%d throttled); peak RSS %s (fakes and their %d requests included)",
		n, 2*n, wall.Round(time.Millisecond), float64(n)/wall.Seconds(), rep.Requests.Total, rep.Requests.Throttled, peakRSS(), c.requests())

	start = time.Now()
	r = runCmd(t.Context(), "", c.args(t, dir, "-orders", path, "-json", "-concurrency", "16")...)
	require.Equal(t, exitOK, r.code)
	t.Logf("second run over the same ledger: %s, no request", time.Since(start).Round(time.Millisecond))
}

// peakRSS is the process's peak resident set size (Linux VmHWM).
func peakRSS() string {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for l := range strings.Lines(string(data)) {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
