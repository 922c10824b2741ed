package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/tracking"
)

func TestRunPushesAndReports(t *testing.T) {
	c := newChannels(t)
	dir := t.TempDir()
	orders := []tracking.Order{c.shopifyOrder(t), c.amazonOrder(t), c.shopifyOrder(t)}
	writeOrders(t, filepath.Join(dir, "orders.jsonl"), orders)

	r := runCmd(t.Context(), "", c.args(t, dir, "-orders", filepath.Join(dir, "orders.jsonl"))...)
	require.Equal(t, exitOK, r.code, r.stderr)
	require.Equal(t, 6, c.pushed(orders))
	require.Regexp(t, `shopify\s+demo-shop.myshopify.com\s+4\s+0\s+0\s+0`, r.stdout)
	require.Regexp(t, `amazon\s+A2EXAMPLESELLER/A1PA6795UKMFR9\s+2\s+0\s+0\s+0`, r.stdout)
	require.Contains(t, r.stdout, "3 orders in ")
	requireNoSecret(t, r)

	// Again over the same ledger: nothing is sent.
	before := c.requests()
	r = runCmd(t.Context(), "", c.args(t, dir, "-orders", filepath.Join(dir, "orders.jsonl"))...)
	require.Equal(t, exitOK, r.code, r.stderr)
	require.Equal(t, before, c.requests())
	require.Regexp(t, `shopify\s+demo-shop.myshopify.com\s+0\s+4\s+0\s+0`, r.stdout)
}

// The same orders as a JSON array, JSON lines, from standard input and as
// CSV give the same pushes.
func TestInputFormats(t *testing.T) {
	c := newChannels(t)
	for _, format := range []string{"array", "lines", "stdin", "csv"} {
		t.Run(format, func(t *testing.T) {
			dir := t.TempDir()
			orders := []tracking.Order{c.shopifyOrder(t), c.amazonOrder(t)}
			path, stdin := filepath.Join(dir, "orders.json"), ""
			switch format {
			case "array":
				data, err := json.MarshalIndent(orders, "", "  ")
				require.NoError(t, err)
				require.NoError(t, os.WriteFile(path, data, 0o600))
			case "lines":
				path = filepath.Join(dir, "orders.jsonl")
				writeOrders(t, path, orders)
			case "stdin":
				var b bytes.Buffer
				for _, o := range orders {
					require.NoError(t, json.NewEncoder(&b).Encode(o))
				}
				path, stdin = "-", b.String()
			case "csv":
				path = filepath.Join(dir, "orders.csv")
				require.NoError(t, os.WriteFile(path, []byte(toCSV(orders)), 0o600))
			}
			r := runCmd(t.Context(), stdin, c.args(t, dir, "-orders", path, "-json")...)
			require.Equal(t, exitOK, r.code, r.stderr)
			var rep passReport
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep), r.stdout)
			require.Equal(t, totals{Orders: 2, Pushed: 4}, rep.Totals)
			require.Equal(t, 4, c.pushed(orders))
		})
	}
}

// toCSV writes orders in the CSV form, line ids standing for themselves.
func toCSV(orders []tracking.Order) string {
	var b strings.Builder
	b.WriteString("order_id,channel,store,channel_order_id,shipment_id,warehouse,carrier,service,tracking_number,shipped_at,items\n")
	for _, o := range orders {
		for _, s := range o.Shipments {
			var items []string
			for _, it := range s.Items {
				l, _ := o.Line(it.LineID)
				items = append(items, l.ChannelLineID+"*"+strconv.Itoa(it.Quantity))
			}
			b.WriteString(strings.Join([]string{o.ID, string(o.Channel), o.Store, o.ChannelOrderID, s.ID, s.Warehouse, s.Carrier, s.Service,
				s.TrackingNumber, s.ShippedAt.Format("2006-01-02T15:04:05Z07:00"), strings.Join(items, ";")}, ",") + "\n")
		}
	}
	return b.String()
}

func TestDryRunSendsNothing(t *testing.T) {
	c := newChannels(t)
	dir := t.TempDir()
	orders := []tracking.Order{c.shopifyOrder(t), c.amazonOrder(t)}
	writeOrders(t, filepath.Join(dir, "orders.jsonl"), orders)

	for _, feeds := range []bool{false, true} {
		args := c.args(t, dir, "-orders", filepath.Join(dir, "orders.jsonl"), "-dry-run")
		if feeds {
			args = append(args, "-feeds")
		}
		r := runCmd(t.Context(), "", args...)
		require.Equal(t, exitOK, r.code, r.stderr)
		require.Zero(t, c.requests(), "the fakes the flags name saw no request")
		require.Zero(t, c.pushed(orders))
		requireNoSecret(t, r)

		out := r.stdout
		require.Contains(t, out, "simulated shop and seller state")
		// The GraphQL read and write, with the input's ids.
		require.Contains(t, out, "POST https://demo-shop.myshopify.com/admin/api/")
		require.Contains(t, out, "fulfillmentCreate(fulfillment: $fulfillment0)")
		require.Contains(t, out, `"id": "`+orders[0].ChannelOrderID+`"`)
		require.Contains(t, out, `"number": "`+orders[0].Shipments[1].TrackingNumber+`"`)
		require.Contains(t, out, `"company": "DHL"`)
		if feeds {
			require.Contains(t, out, "<AmazonOrderID>"+orders[1].ChannelOrderID+"</AmazonOrderID>")
			require.Contains(t, out, "<ShipperTrackingNumber>"+orders[1].Shipments[0].TrackingNumber+"</ShipperTrackingNumber>")
			require.Contains(t, out, "X-Amz-Signature=REDACTED")
		} else {
			require.Contains(t, out, "POST https://sellingpartnerapi-eu.amazon.com/orders/v0/orders/"+orders[1].ChannelOrderID+"/shipmentConfirmation")
			require.Contains(t, out, `"trackingNumber": "`+orders[1].Shipments[1].TrackingNumber+`"`)
		}
		require.NotContains(t, out, "/auth/o2/token", "token requests are not shown")
		require.Equal(t, 4, strings.Count(out, "simulated result: "))
	}
}

func TestValidate(t *testing.T) {
	c := newChannels(t)
	dir := t.TempDir()
	good := []tracking.Order{c.shopifyOrder(t), c.amazonOrder(t)}
	writeOrders(t, filepath.Join(dir, "good.jsonl"), good)
	bad := []tracking.Order{c.shopifyOrder(t), c.amazonOrder(t)}
	bad[0].Shipments[0].Warehouse = "PAR"               // not mapped
	bad[0].Shipments[1].Items[0].LineID = "nope"        // not a line
	bad[1].Shipments[0].Carrier = "pigeon"              // not mapped, not in the catalogue
	bad[1].Shipments[1].TrackingURL = "ftp://x.example" // not http
	writeOrders(t, filepath.Join(dir, "bad.jsonl"), bad)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "broken.json"), []byte(`[{"id": "X", "lines": 3}, {"id": "Y", "shipments": [{"shipped_at": "yesterday"}]}, {"id": "Z", "statuss": "open"}]`), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "broken.csv"), []byte("order_id,channel,store,shipment_id,warehouse,carrier,tracking_number,shipped_at,items,colour\nA,shopify,x,1,AMS,ups,1Z,2026-13-01,l*zero,red\n"), 0o600))

	tests := []struct {
		name   string
		orders string
		env    map[string]string
		code   int
		want   []string
	}{
		{name: "good", orders: "good.jsonl", code: exitOK, want: []string{"ok: 2 orders, 4 shipments"}},
		{name: "bad orders and mapping", orders: "bad.jsonl", code: exitBadInput, want: []string{
			`good.jsonl`, // placeholder, replaced below
		}},
		{name: "broken JSON", orders: "broken.json", code: exitBadInput, want: []string{
			"broken.json:1 [0]: order X: lines: is a JSON number; want an array",
			"broken.json:1 [1]: order Y: ",
			`broken.json:1 [2]: order Z: json: unknown field "statuss"`,
		}},
		{name: "broken CSV", orders: "broken.csv", code: exitBadInput, want: []string{
			`broken.csv:1: unknown column "colour"`,
			`broken.csv:1: missing column "channel_order_id"`,
		}},
	}
	tests[1].want = []string{
		`bad.jsonl:1: order ` + bad[0].ID + `: shipments[1].items[0].line_id: refers to unknown line "nope"`,
		`has no location for warehouse "PAR"`,
		`carrier "pigeon"`,
		`bad.jsonl:2: order ` + bad[1].ID + `: shipments[1].tracking_url: "ftp://x.example" is not an absolute http(s) URL`,
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCmd(t.Context(), "", c.args(t, dir, "-orders", filepath.Join(dir, tt.orders), "-validate")...)
			require.Equal(t, tt.code, r.code, r.stdout+r.stderr)
			for _, w := range tt.want {
				require.Contains(t, r.stdout, w)
			}
			require.Zero(t, c.requests())
			requireNoSecret(t, r)
		})
	}
}

func TestValidateReportsMissingCredentials(t *testing.T) {
	c := newChannels(t)
	dir := t.TempDir()
	writeOrders(t, filepath.Join(dir, "orders.jsonl"), []tracking.Order{c.shopifyOrder(t), c.amazonOrder(t)})
	require.NoError(t, os.WriteFile(filepath.Join(dir, "credentials.json"), []byte(`{}`), 0o600))
	t.Setenv("TRACKSYNC_AMAZON_CLIENT_ID", "amzn1.application-oa2-client.env")
	t.Setenv("TRACKSYNC_AMAZON_CLIENT_SECRET", "SECRET-from-env")

	r := runCmd(t.Context(), "", c.args(t, dir, "-orders", filepath.Join(dir, "orders.jsonl"), "-validate")...)
	require.Equal(t, exitBadInput, r.code)
	require.Contains(t, r.stdout, "shop demo-shop.myshopify.com has no access token: set TRACKSYNC_SHOPIFY_TOKEN_DEMO_SHOP")
	require.Contains(t, r.stdout, "Amazon seller A2EXAMPLESELLER has no refresh_token: set TRACKSYNC_AMAZON_REFRESH_TOKEN_A2EXAMPLESELLER")

	// The environment completes the file: the run goes through.
	t.Setenv("TRACKSYNC_SHOPIFY_TOKEN_DEMO_SHOP", shopToken)
	t.Setenv("TRACKSYNC_AMAZON_CLIENT_ID_A2EXAMPLESELLER", lwaClientID)
	t.Setenv("TRACKSYNC_AMAZON_CLIENT_SECRET_A2EXAMPLESELLER", lwaSecret)
	t.Setenv("TRACKSYNC_AMAZON_REFRESH_TOKEN_A2EXAMPLESELLER", lwaRefresh)
	r = runCmd(t.Context(), "", c.args(t, dir, "-orders", filepath.Join(dir, "orders.jsonl"))...)
	require.Equal(t, exitOK, r.code, r.stderr)
	requireNoSecret(t, r)
}

// A run with credentials the channels refuse reports every shipment failed
// (exit 1) and never shows the credentials, in the table, in JSON or in
// the logs.
func TestSecretsNeverShown(t *testing.T) {
	c := newChannels(t)
	dir := t.TempDir()
	orders := []tracking.Order{c.shopifyOrder(t), c.amazonOrder(t)}
	writeOrders(t, filepath.Join(dir, "orders.jsonl"), orders)
	data, err := json.Marshal(map[string]any{
		"shopify": map[string]any{testShop: map[string]string{"access_token": "shpat_SECRET-wrong"}},
		"amazon":  map[string]any{testSeller: map[string]string{"client_id": lwaClientID, "client_secret": "SECRET-wrong-secret", "refresh_token": "Atzr|SECRET-wrong"}},
	})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "credentials.json"), data, 0o644))

	for _, extra := range [][]string{nil, {"-json"}, {"-log-level", "debug"}, {"-validate"}, {"-validate", "-json"}} {
		r := runCmd(t.Context(), "", c.args(t, dir, append([]string{"-orders", filepath.Join(dir, "orders.jsonl")}, extra...)...)...)
		if len(extra) > 0 && extra[0] == "-validate" {
			require.Equal(t, exitOK, r.code, r.stdout)
		} else {
			require.Equal(t, exitFailed, r.code, r.stdout)
		}
		requireNoSecret(t, r)
		require.Contains(t, r.stderr, "can be read by other users", "mode 0644 is warned about")
	}
	require.Zero(t, c.pushed(orders))
}

func TestResumeAfterInterrupt(t *testing.T) {
	c := newChannels(t)
	dir := t.TempDir()
	var orders []tracking.Order
	for range 20 {
		orders = append(orders, c.shopifyOrder(t), c.amazonOrder(t))
	}
	path := filepath.Join(dir, "orders.jsonl")
	writeOrders(t, path, orders)

	// Interrupt once the first tenth of the orders is done.
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var out, errOut syncBuffer
	errOut.onWrite = func(s string) {
		if strings.Contains(s, " orders ") {
			cancel()
		}
	}
	code := run(ctx, c.args(t, dir, "-orders", path, "-concurrency", "2", "-json"), strings.NewReader(""), &out, &errOut)
	require.Equal(t, exitFailed, code, errOut.String())
	var first passReport
	require.NoError(t, json.Unmarshal([]byte(out.String()), &first), out.String())
	require.True(t, first.Interrupted)
	require.Positive(t, first.Totals.Pushed)
	require.Positive(t, first.Totals.Waiting, "orders not started are left for the next run")
	require.Zero(t, first.Totals.Failed, "the orders in flight finished")
	require.Equal(t, first.Totals.Pushed, c.pushed(orders))

	r := runCmd(t.Context(), "", c.args(t, dir, "-orders", path, "-json")...)
	require.Equal(t, exitOK, r.code, r.stderr)
	var second passReport
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &second))
	require.Equal(t, 80, first.Totals.Pushed+second.Totals.Pushed, "each shipment pushed once over both runs")
	require.Equal(t, first.Totals.Pushed, second.Totals.AlreadyPushed)
	require.Equal(t, 80, c.pushed(orders), "one fulfillment or package per shipment")
}

func TestEveryRunsAgainAndPushesNothingTwice(t *testing.T) {
	c := newChannels(t)
	dir := t.TempDir()
	orders := []tracking.Order{c.shopifyOrder(t), c.amazonOrder(t)}
	path := filepath.Join(dir, "orders.jsonl")
	writeOrders(t, path, orders)

	r := runCmd(t.Context(), "", c.args(t, dir, "-orders", path, "-every", "10ms", "-runs", "2", "-json")...)
	require.Equal(t, exitOK, r.code, r.stderr)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	require.Len(t, lines, 2)
	var runs [2]passReport
	for i, l := range lines {
		require.NoError(t, json.Unmarshal([]byte(l), &runs[i]))
		require.Equal(t, i+1, runs[i].Pass)
	}
	require.Equal(t, totals{Orders: 2, Pushed: 4}, runs[0].Totals)
	require.Equal(t, totals{Orders: 2, AlreadyPushed: 4}, runs[1].Totals)
	require.Equal(t, 4, c.pushed(orders))
}

// Output to a file or pipe is plain text: no carriage returns, no escape
// sequences, whatever the mode.
func TestNonTerminalOutputHasNoControlCharacters(t *testing.T) {
	c := newChannels(t)
	dir := t.TempDir()
	var orders []tracking.Order
	for range 12 {
		orders = append(orders, c.shopifyOrder(t))
	}
	orders = append(orders, c.amazonOrder(t))
	orders[0].Shipments[0].Warehouse = "PAR" // a failure with a reason in the table
	path := filepath.Join(dir, "orders.jsonl")
	writeOrders(t, path, orders)
	for _, extra := range [][]string{nil, {"-log-level", "info"}, {"-dry-run"}, {"-validate"}} {
		r := runCmd(t.Context(), "", c.args(t, dir, append([]string{"-orders", path}, extra...)...)...)
		require.NotEqual(t, exitOK, r.code)
		for _, s := range []string{r.stdout, r.stderr} {
			for _, ch := range s {
				require.False(t, unicode.IsControl(ch) && ch != '\n', "control character %q in %q", ch, s)
			}
		}
	}
	r := runCmd(t.Context(), "", c.args(t, dir, "-orders", path)...)
	require.Contains(t, r.stderr, "13/13 orders", "plain progress lines")
}

func TestFlagsAndInputErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"help", []string{"-h"}, exitOK, "Exit status: 0 every shipment pushed or waiting"},
		{"no mapping", []string{"-orders", "x.json"}, exitBadInput, "-mapping is required"},
		{"every from stdin", []string{"-mapping", mappingFile, "-every", "1m"}, exitBadInput, "standard input cannot give"},
		{"runs without every", []string{"-mapping", mappingFile, "-runs", "2"}, exitBadInput, "-runs counts the runs of -every"},
		{"missing orders file", []string{"-mapping", mappingFile, "-orders", filepath.Join(dir, "none.csv"), "-fake"}, exitBadInput, "no such file"},
		{"missing mapping file", []string{"-mapping", filepath.Join(dir, "none.json"), "-fake"}, exitBadInput, "none.json"},
		{"empty input", []string{"-mapping", mappingFile, "-fake"}, exitBadInput, "stdin: is empty; want a header line"},
		{"two ledgers", []string{"-mapping", mappingFile, "-ledger", "l.jsonl", "-sqlite", "l.db"}, exitBadInput, "-ledger, -sqlite and -postgres each name a ledger: choose one"},
		{"three ledgers", []string{"-mapping", mappingFile, "-ledger", "l.jsonl", "-sqlite", "l.db", "-postgres", "host=x"}, exitBadInput, "choose one"},
		{"remote test server", []string{"-mapping", mappingFile, "-shopify-url", "https://example.com", "-orders", "testdata/orders.csv"}, exitBadInput, "loopback"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCmd(t.Context(), "", tt.args...)
			require.Equal(t, tt.code, r.code, r.stderr)
			require.Contains(t, r.stderr+r.stdout, tt.want)
		})
	}
}

// The shipped examples work: the CSV, JSON and JSON lines in testdata are
// valid, and the fake mode pushes them.
func TestTestdataOnTheFakes(t *testing.T) {
	for _, f := range []string{"orders.csv", "orders.json", "orders.jsonl"} {
		t.Run(f, func(t *testing.T) {
			r := runCmd(t.Context(), "", "-mapping", mappingFile, "-orders", "testdata/"+f, "-fake", "-validate")
			require.Equal(t, exitOK, r.code, r.stdout+r.stderr)
			r = runCmd(t.Context(), "", "-mapping", mappingFile, "-orders", "testdata/"+f, "-fake")
			require.Equal(t, exitOK, r.code, r.stdout+r.stderr)
			require.Contains(t, r.stdout, "6 pushed, 0 already pushed, 1 waiting, 0 failed")
		})
	}
}
