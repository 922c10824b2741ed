package trackingtest_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/trackingtest"
)

func order(id string, tracking1 string) tracking.Order {
	return tracking.Order{
		ID: id, Channel: tracking.ChannelAmazon, Store: "S/M", ChannelOrderID: "c" + id, Status: tracking.StatusFullyShipped,
		Lines: []tracking.Line{{ID: "L", ChannelLineID: "1", Quantity: 1}},
		Shipments: []tracking.Shipment{{ID: id + "-1", Warehouse: "W", Carrier: "ups", TrackingNumber: tracking1,
			ShippedAt: time.Unix(1, 0), Items: []tracking.Item{{LineID: "L", Quantity: 1}}}},
	}
}

func TestExporterBehavesLikeAReconcilingChannel(t *testing.T) {
	e := trackingtest.NewExporter(tracking.ChannelAmazon, trackingtest.WithName("fake"), trackingtest.WithPurpose("p"), trackingtest.WithSerializeStore())
	require.Equal(t, tracking.ExporterInfo{Name: "fake", Purpose: "p", SerializeStore: true}, e.Describe())
	require.Equal(t, tracking.ChannelAmazon, e.Channel())
	ctx := t.Context()

	steps := []struct {
		name     string
		call     func() (tracking.ShipmentResult, error)
		want     tracking.State
		remoteID string
	}{
		{"first push", func() (tracking.ShipmentResult, error) {
			r, err := e.Export(ctx, order("A", "T1"))
			return r.Shipments[0], err
		},
			tracking.Pushed, "amazon-1"},
		{"repeat is reconciled", func() (tracking.ShipmentResult, error) {
			r, err := e.Export(ctx, order("A", "T1"))
			return r.Shipments[0], err
		},
			tracking.AlreadyPushed, "amazon-1"},
		{"new number is an update", func() (tracking.ShipmentResult, error) {
			o := order("A", "T2")
			return e.UpdateTracking(ctx, o, o.Shipments[0], tracking.Record{RemoteID: "amazon-1", TrackingNumber: "T1"})
		}, tracking.Pushed, "amazon-1"},
		{"other order", func() (tracking.ShipmentResult, error) {
			r, err := e.Export(ctx, order("B", "T3"))
			return r.Shipments[0], err
		},
			tracking.Pushed, "amazon-2"},
	}
	for _, st := range steps {
		got, err := st.call()
		require.NoError(t, err, st.name)
		require.Equal(t, st.want, got.State, st.name)
		require.Equal(t, st.remoteID, got.RemoteID, st.name)
	}
	require.Equal(t, []trackingtest.Push{
		{Store: "S/M", OrderID: "A", ShipmentID: "A-1", TrackingNumber: "T2", RemoteID: "amazon-1", Updates: 1},
		{Store: "S/M", OrderID: "B", ShipmentID: "B-1", TrackingNumber: "T3", RemoteID: "amazon-2"},
	}, e.Pushes())
	require.Len(t, e.Calls(), 4)
}

func TestExporterScriptsAndHook(t *testing.T) {
	e := trackingtest.NewExporter(tracking.ChannelAmazon)
	boom := errors.New("boom")
	e.FailShipment("A-1", boom)
	r, err := e.Export(t.Context(), order("A", "T1"))
	require.NoError(t, err)
	require.Equal(t, tracking.Failed, r.Shipments[0].State)
	require.ErrorIs(t, r.Shipments[0].Err, boom)

	e.WaitShipment("A-1", "no label yet")
	r, _ = e.Export(t.Context(), order("A", "T1"))
	require.Equal(t, tracking.ShipmentResult{ShipmentID: "A-1", State: tracking.Waiting, Reason: "no label yet"}, r.Shipments[0])

	e.Reset("A-1")
	e.SetHook(func(context.Context, tracking.Order) error { return boom })
	_, err = e.Export(t.Context(), order("A", "T1"))
	require.ErrorIs(t, err, boom)
	require.Empty(t, e.Pushes())

	e.SetHook(nil)
	r, _ = e.Export(t.Context(), order("A", "T1"))
	require.Equal(t, tracking.Pushed, r.Shipments[0].State)
}

func TestExporterCallsAreCopies(t *testing.T) {
	e := trackingtest.NewExporter(tracking.ChannelAmazon)
	o := order("A", "T1")
	_, _ = e.Export(t.Context(), o)
	o.Shipments[0].Items[0].Quantity = 99
	e.Calls()[0].Shipments[0].Items[0].Quantity = 42
	require.Equal(t, 1, e.Calls()[0].Shipments[0].Items[0].Quantity)
}

func TestExporterIsSafeForConcurrentUse(t *testing.T) {
	e := trackingtest.NewExporter(tracking.ChannelAmazon)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			_, _ = e.Export(t.Context(), order(string(rune('a'+i)), "T"))
			_ = e.Pushes()
			_ = e.Calls()
		})
	}
	wg.Wait()
	require.Len(t, e.Pushes(), 20)
}
