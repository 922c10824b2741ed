package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/tracking"
)

const csvHeaderLine = "order_id,channel,store,channel_order_id,shipment_id,warehouse,carrier,tracking_number,shipped_at,items"

func TestReadCSV(t *testing.T) {
	b, ps := readOrders("o.csv", strings.NewReader(csvHeaderLine+",ordered,status\n"+
		"A,shopify,s.myshopify.com,11,P1,AMS,ups,1Z1,2026-03-01,101*2;102,,\n"+
		"B,amazon,S/M,111-1111111-1111111,P3,BER,dhl,JJD1,2026-03-01T10:00:00+01:00,9001,9001*3,partially_shipped\n"+
		"A,,,,P2,BER,dhl,,,102*1,,\n"), formatAuto)
	require.Empty(t, ps)
	require.Equal(t, []string{"o.csv:2", "o.csv:3"}, b.where)
	a := b.orders[0]
	require.Equal(t, tracking.Order{
		ID: "A", Channel: "shopify", Store: "s.myshopify.com", ChannelOrderID: "11", Status: tracking.StatusFullyShipped,
		Lines: []tracking.Line{{ID: "101", ChannelLineID: "101", Quantity: 2}, {ID: "102", ChannelLineID: "102", Quantity: 2}},
		Shipments: []tracking.Shipment{
			{ID: "P1", Warehouse: "AMS", Carrier: "ups", TrackingNumber: "1Z1", ShippedAt: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
				Items: []tracking.Item{{LineID: "101", Quantity: 2}, {LineID: "102", Quantity: 1}}},
			{ID: "P2", Warehouse: "BER", Carrier: "dhl", Items: []tracking.Item{{LineID: "102", Quantity: 1}}},
		},
	}, a)
	o := b.orders[1]
	require.Equal(t, tracking.StatusPartiallyShipped, o.Status)
	require.Equal(t, []tracking.Line{{ID: "9001", ChannelLineID: "9001", Quantity: 3}}, o.Lines, "the ordered column gives the lines")
	require.True(t, o.Shipments[0].ShippedAt.Equal(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)))
}

func TestReadCSVProblems(t *testing.T) {
	tests := []struct {
		name, input string
		want        []string
	}{
		{"empty", "", []string{"o.csv: is empty; want a header line"}},
		{"header", "order_id,colour,order_id\n", []string{`o.csv:1: unknown column "colour"`, `o.csv:1: column "order_id" appears twice`, `o.csv:1: missing column "channel"`}},
		{"field count", csvHeaderLine + "\nA,shopify\n", []string{"o.csv:2: has 2 fields; the header has 10"}},
		{"quoting", csvHeaderLine + "\nA,\"shop,x\n", []string{"o.csv:2: "}},
		{"values", csvHeaderLine + "\n,shopify,s,1,P,AMS,ups,1Z,2026-01-01,1\nA,shopify,s,1,P,AMS,ups,1Z,01/02/2026,1*0;*2;3*x\n", []string{
			"o.csv:2: order_id: is empty",
			`o.csv:3: order A: shipped_at: "01/02/2026": want an RFC 3339 time`,
			`o.csv:3: order A: items: entry "1*0": quantity "0" is not a whole number above 0`,
			`o.csv:3: order A: items: entry "*2" has no line id`,
			`o.csv:3: order A: items: entry "3*x": quantity "x"`,
		}},
		{"disagreeing rows", csvHeaderLine + "\nA,shopify,s,1,P1,AMS,ups,1Z,2026-01-01,1\nA,amazon,s,2,P2,AMS,ups,1Z,2026-01-01,1\n", []string{
			`o.csv:3: order A: channel: is "amazon", but line 2 of the order says "shopify"`,
			`o.csv:3: order A: channel_order_id: is "2", but line 2 of the order says "1"`,
		}},
		{"empty items", csvHeaderLine + "\nA,shopify,s,1,P1,AMS,ups,1Z,2026-01-01,\n", []string{"o.csv:2: order A: items: is empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { requireProblems(t, "o.csv", tt.input, tt.want) })
	}
}

func TestReadJSONProblems(t *testing.T) {
	tests := []struct {
		name, input string
		want        []string
	}{
		{"syntax", "[{\"id\": \"A\",}]", []string{"o.json:1 [0]: invalid character '}'"}},
		{"unknown field on line 3", "{\"id\":\"A\"}\n\n{\"id\":\"B\",\"colour\":1}\n", []string{`o.json:3: order B: json: unknown field "colour"`}},
		{"type", "[\n{\"id\":\"A\"},\n{\"id\":\"B\",\"shipments\":[{\"items\":[{\"quantity\":\"2\"}]}]}\n]", []string{
			"o.json:3 [1]: order B: shipments.items.quantity: is a JSON string; want a whole number"}},
		{"trailing", "[{\"id\":\"A\"}] x", []string{"unexpected data after the closing ]"}},
		{"duplicate", "{\"id\":\"A\"}\n{\"id\":\"A\"}\n", []string{"o.json:2: order A: id: appears twice (also o.json:1)"}},
		{"no orders", "[]", []string{"o.json: holds no orders"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { requireProblems(t, "o.json", tt.input, tt.want) })
	}
}

// requireProblems reads input as the file name would be read and checks
// that every wanted problem is reported.
func requireProblems(t *testing.T, name, input string, want []string) {
	t.Helper()
	_, ps := readOrders(name, strings.NewReader(input), formatAuto)
	var got []string
	for _, p := range ps {
		got = append(got, p.String())
	}
	text := strings.Join(got, "\n")
	for _, w := range want {
		require.Contains(t, text, w)
	}
}

func TestDetectFormat(t *testing.T) {
	for _, tt := range []struct{ name, data, want string }{
		{"x.csv", "[", formatCSV}, {"x.JSONL", "", formatJSON}, {"stdin", "  \n[", formatJSON},
		{"stdin", "{", formatJSON}, {"stdin", "order_id,", formatCSV},
	} {
		require.Equal(t, tt.want, detectFormat(tt.name, []byte(tt.data)), "%+v", tt)
	}
}

// FuzzReadOrders: no input makes the readers panic, and every order they
// return survives a JSON round trip (what the Syncer and -json see).
func FuzzReadOrders(f *testing.F) {
	f.Add(csvHeaderLine+"\nA,shopify,s,1,P,AMS,ups,1Z,2026-01-01,1*2;3\n", formatCSV)
	f.Add(`[{"id":"A","shipments":[{"id":"P","items":[{"line_id":"1","quantity":1}]}]}]`, formatJSON)
	f.Add("{\"id\":\"A\"}\n{\"id\":", formatJSON)
	f.Add("\xef\xbb\xbforder_id\n\"", formatAuto)
	f.Fuzz(func(t *testing.T, input, format string) {
		b, ps := readOrders("in", strings.NewReader(input), format)
		require.Len(t, b.where, len(b.orders))
		for _, p := range ps {
			require.NotEmpty(t, p.Where)
			require.NotEmpty(t, p.Problem)
		}
		for _, o := range b.orders {
			_ = o.Validate()
			data, err := json.Marshal(o)
			require.NoError(t, err)
			var back tracking.Order
			require.NoError(t, json.Unmarshal(data, &back), string(data))
		}
	})
}
