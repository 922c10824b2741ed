package thirdchannel_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/mapping"
	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/carrier"
)

// bolMapping is the host's mapping file with a section for the toy channel.
const bolMapping = `{
  "channels": {
    "bol": {
      "require_location": true,
      "stores": {
        "retailer-1234": {
          "locations": {"AMS": "NL-AMS-1"},
          "carriers": {
            "postnl": {"code": "TNT"},
            "bike": {"name": "Fietskoerier", "url": "https://track.example.com/?id={number}"}
          }
        }
      }
    }
  }
}`

const (
	store   = "retailer-1234"
	postnlA = "3SDEVC1234567"
	upsA    = "1Z999AA10123456784"
)

func loadMapping(t *testing.T) *mapping.Static {
	t.Helper()
	m, err := mapping.Load(strings.NewReader(bolMapping))
	require.NoError(t, err)
	return m
}

// bolOrder is a "bol" order of three packages: PostNL (mapped to the
// channel's code), UPS (the channel's own table names it) and a courier of
// the host's own (sent as OTHER with its name); the last has no tracking
// number yet.
func bolOrder() tracking.Order {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	return tracking.Order{
		ID: "SC-2001", Channel: Channel, Store: store, ChannelOrderID: "A1B2C3", Status: tracking.StatusPartiallyShipped,
		Lines: []tracking.Line{
			{ID: "L1", ChannelLineID: "bol-item-1", SKU: "MUG", Quantity: 2},
			{ID: "L2", ChannelLineID: "bol-item-2", SKU: "TEA", Quantity: 3},
		},
		Shipments: []tracking.Shipment{
			{ID: "P1", Warehouse: "AMS", Carrier: "postnl", TrackingNumber: postnlA, ShippedAt: at, Items: []tracking.Item{{LineID: "L1", Quantity: 2}}},
			{ID: "P2", Warehouse: "AMS", Carrier: "ups", TrackingNumber: upsA, ShippedAt: at.Add(time.Hour), Items: []tracking.Item{{LineID: "L2", Quantity: 1}}},
			{ID: "P3", Warehouse: "AMS", Carrier: "bike", TrackingNumber: "fk-77", ShippedAt: at.Add(2 * time.Hour), Items: []tracking.Item{{LineID: "L2", Quantity: 1}}},
			{ID: "P4", Warehouse: "AMS", Items: []tracking.Item{{LineID: "L2", Quantity: 1}}},
		},
	}
}

// runSync runs the order through a new Syncer over ledger, as one process
// run would, and returns the shipment results by id.
func runSync(t *testing.T, ch *toyChannel, m *mapping.Static, ledger tracking.Ledger, o tracking.Order) map[string]tracking.ShipmentResult {
	t.Helper()
	s, err := tracking.NewSyncer(tracking.WithExporters(NewExporter(ch, m, carrier.PolicyStrict)), tracking.WithLedger(ledger))
	require.NoError(t, err)
	results, err := s.Sync(t.Context(), o)
	require.NoError(t, err)
	require.Len(t, results, 1)
	require.NoError(t, results[0].Err)
	require.Len(t, results[0].Results, 1)
	require.Equal(t, Channel, results[0].Results[0].Channel)
	out := map[string]tracking.ShipmentResult{}
	for _, r := range results[0].Results[0].Shipments {
		out[r.ShipmentID] = r
	}
	return out
}

func TestThirdChannelSyncsWithMappingLedgerAndSyncer(t *testing.T) {
	m := loadMapping(t)
	o := bolOrder()
	require.NoError(t, o.Validate())
	require.NoError(t, mapping.Validate(t.Context(), m, o), "every warehouse and carrier of the order is mapped")

	ch := newToyChannel()
	path := filepath.Join(t.TempDir(), "ledger.jsonl")
	ledger, err := tracking.OpenFileLedger(path)
	require.NoError(t, err)

	first := runSync(t, ch, m, ledger, o)
	for _, id := range []string{"P1", "P2", "P3"} {
		require.Equal(t, tracking.Pushed, first[id].State, "%s: %s", id, first[id])
		require.NotEmpty(t, first[id].RemoteID)
	}
	require.Equal(t, tracking.Waiting, first["P4"].State)
	require.Equal(t, 3, ch.Writes())

	postnl, _ := carrier.Lookup("postnl")
	ups, _ := carrier.Lookup("ups")
	require.Equal(t, []toyShipment{
		{ID: first["P1"].RemoteID, Reference: "P1", Location: "NL-AMS-1", Transporter: "TNT", Tracking: postnlA, URL: postnl.TrackingURL(postnlA), Items: map[string]int{"bol-item-1": 2}},
		{ID: first["P2"].RemoteID, Reference: "P2", Location: "NL-AMS-1", Transporter: "UPS", Tracking: upsA, URL: ups.TrackingURL(upsA), Items: map[string]int{"bol-item-2": 1}},
		{ID: first["P3"].RemoteID, Reference: "P3", Location: "NL-AMS-1", Transporter: "OTHER", CarrierName: "Fietskoerier", Tracking: "fk-77", URL: "https://track.example.com/?id=fk-77", Items: map[string]int{"bol-item-2": 1}},
	}, ch.Shipments(store, o.ChannelOrderID))

	runs := []struct {
		name   string
		ledger func() tracking.Ledger
	}{
		{"again, same ledger", func() tracking.Ledger { return ledger }},
		{"a restarted process: the ledger file replayed", func() tracking.Ledger {
			require.NoError(t, ledger.Close())
			reopened, err := tracking.OpenFileLedger(path)
			require.NoError(t, err)
			t.Cleanup(func() { require.NoError(t, reopened.Close()) })
			return reopened
		}},
		{"ledger lost: the exporter reconciles with the channel", func() tracking.Ledger { return tracking.NewMemoryLedger() }},
	}
	for _, run := range runs {
		again := runSync(t, ch, m, run.ledger(), o)
		for _, id := range []string{"P1", "P2", "P3"} {
			require.Equal(t, tracking.AlreadyPushed, again[id].State, "%s: %s: %s", run.name, id, again[id])
			require.Equal(t, first[id].RemoteID, again[id].RemoteID, run.name)
		}
		require.Equal(t, tracking.Waiting, again["P4"].State, run.name)
		require.Equal(t, 3, ch.Writes(), "%s: nothing is sent twice", run.name)
	}
}

func TestThirdChannelRefusesWhatItCannotPush(t *testing.T) {
	m := loadMapping(t)
	o := bolOrder()
	o.Shipments = o.Shipments[:2]
	o.Shipments[0].Warehouse = "RTM"                     // no bol location
	o.Shipments[1].TrackingNumber = "1Z999AA10123456785" // wrong check digit, under PolicyStrict

	gaps := mapping.Validate(t.Context(), m, o)
	require.ErrorIs(t, gaps, mapping.ErrNotMapped)
	require.ErrorContains(t, gaps, `add "RTM": "<bol location id>" under .channels.bol.stores["retailer-1234"].locations`)

	ch := newToyChannel()
	got := runSync(t, ch, m, tracking.NewMemoryLedger(), o)
	require.Equal(t, tracking.Failed, got["P1"].State)
	require.ErrorIs(t, got["P1"].Err, mapping.ErrNotMapped)
	require.Equal(t, tracking.Failed, got["P2"].State)
	require.ErrorIs(t, got["P2"].Err, carrier.ErrCheckDigit)
	for _, id := range []string{"P1", "P2"} {
		require.False(t, got[id].Retryable, "%s: trying again cannot help until the host fixes it", id)
	}
	require.Zero(t, ch.Writes())
}

// The core takes any channel a registered exporter names, and no other.
func TestOrdersOfAnUnregisteredChannelFail(t *testing.T) {
	s, err := tracking.NewSyncer(tracking.WithExporters(NewExporter(newToyChannel(), loadMapping(t), carrier.PolicyWarn)))
	require.NoError(t, err)
	o := bolOrder()
	o.Channel = "woocommerce"
	results, err := s.Sync(t.Context(), o)
	require.NoError(t, err)
	require.ErrorIs(t, results[0].Err, tracking.ErrNoExporter)
}
