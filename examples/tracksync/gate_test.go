package main

import (
	"context"
	"log/slog"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/trackingtest"
)

// plain is an exporter that is neither a Describer nor a TrackingUpdater.
type plain struct{}

func (plain) Channel() tracking.Channel { return tracking.ChannelShopify }
func (plain) Export(_ context.Context, o tracking.Order) (tracking.Result, error) {
	return tracking.Result{}, nil
}

type loggerTaker struct {
	plain
	got *slog.Logger
}

func (l *loggerTaker) DefaultLogger(lg *slog.Logger) { l.got = lg }

func TestGateKeepsTheExportersShape(t *testing.T) {
	rec := trackingtest.NewExporter(tracking.ChannelShopify, trackingtest.WithName("rec"), trackingtest.WithPurpose("p"))
	taker := &loggerTaker{}
	got := gate(make(chan struct{}), nil, []tracking.Exporter{rec, plain{}, taker})
	_, isUpdater := got[0].(tracking.TrackingUpdater)
	require.True(t, isUpdater)
	_, isUpdater = got[1].(tracking.TrackingUpdater)
	require.False(t, isUpdater, "the Syncer fails a changed tracking number itself for exporters that cannot update")
	require.Equal(t, rec.Describe(), got[0].(tracking.Describer).Describe(), "ledger records stay the exporter's")
	require.Equal(t, tracking.ExporterInfo{}, got[1].(tracking.Describer).Describe())
	lg := slog.New(slog.DiscardHandler)
	got[2].(tracking.LoggerDefaulter).DefaultLogger(lg)
	require.Same(t, lg, taker.got)
}

func TestGateStopsNewOrdersOnly(t *testing.T) {
	stop := make(chan struct{})
	rec := trackingtest.NewExporter(tracking.ChannelShopify)
	var seen []string
	g := gate(stop, func(o tracking.Order) { seen = append(seen, o.ID) }, []tracking.Exporter{rec})[0]
	o := tracking.Order{ID: "A", Shipments: []tracking.Shipment{{ID: "S1"}, {ID: "S2"}}}

	res, err := g.Export(t.Context(), o)
	require.NoError(t, err)
	require.Equal(t, tracking.Pushed, res.Shipments[0].State)
	require.Equal(t, []string{"A"}, seen)

	close(stop)
	o.ID = "B"
	res, err = g.Export(t.Context(), o)
	require.NoError(t, err)
	for _, s := range res.Shipments {
		require.Equal(t, tracking.Waiting, s.State)
		require.Equal(t, notAttempted, s.Reason)
	}
	sr, err := g.(tracking.TrackingUpdater).UpdateTracking(t.Context(), o, o.Shipments[0], tracking.Record{})
	require.NoError(t, err)
	require.Equal(t, tracking.Waiting, sr.State)
	require.Len(t, rec.Calls(), 1, "no call after the stop")
	require.Equal(t, []string{"A"}, seen)
}

// In a synctest bubble the redraw ticker only fires when the test lets time
// pass, so the output is exactly what the test drew.
func TestProgressOnATerminal(t *testing.T) {
	synctest.Test(t, testProgressOnATerminal)
}

func testProgressOnATerminal(t *testing.T) {
	var out syncBuffer
	p := newProgress(&out, true)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p.now = func() time.Time { return now }
	p.begin(4)
	now = now.Add(2 * time.Second)
	p.add(tracking.OrderResult{Results: []tracking.Result{{Shipments: []tracking.ShipmentResult{{State: tracking.Pushed}, {State: tracking.Failed}}}}})
	p.mu.Lock()
	p.draw()
	p.mu.Unlock()
	_, _ = p.Write([]byte("a log line\n"))
	p.end()
	require.Equal(t, "\r\x1b[K1/4 orders  1 pushed  0 already  0 waiting  1 failed  0.5 orders/s  ETA 6s\r\x1b[Ka log line\n", out.String(),
		"the line is drawn in place and cleared before a log line and at the end")
}
