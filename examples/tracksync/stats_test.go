package main

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/amazon"
	"github.com/shopctrl/tracksync/amazon/amazontest"
	"github.com/shopctrl/tracksync/tracking"
)

// The Amazon client reports every HTTP attempt to the Syncer's observer,
// so the summary counts each request an Amazon-only run sends: the SP-API
// calls and the Login with Amazon token exchange, as many as the fake
// answered. (Shopify's requests are counted the same way once its client
// reports them.)
func TestSummaryCountsAmazonRequests(t *testing.T) {
	c := newChannels(t)
	dir := t.TempDir()
	orders := []tracking.Order{c.amazonOrder(t), c.amazonOrder(t)}
	path := filepath.Join(dir, "orders.jsonl")
	writeOrders(t, path, orders)

	r := runCmd(t.Context(), "", c.args(t, dir, "-orders", path, "-json")...)
	require.Equal(t, exitOK, r.code, r.stderr)
	var rep passReport
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep), r.stdout)
	require.Equal(t, totals{Orders: 2, Pushed: 4}, rep.Totals)

	sent := len(c.amazon.Requests())
	require.Equal(t, 1, c.amazon.Count(amazontest.OpLWAToken), "one access token for the seller")
	require.Equal(t, 4, c.amazon.Count(amazontest.OpConfirmShipment), "a confirmation per package")
	require.Equal(t, sent, rep.Requests.Total, "one count per HTTP attempt")
	require.Equal(t, map[string]int{string(amazon.Channel): sent}, rep.Requests.ByChannel)
	require.Zero(t, rep.Requests.Failed)
	require.Zero(t, rep.Requests.Retries)

	// The table's last line says the same, for the next orders.
	more := []tracking.Order{c.amazonOrder(t)}
	writeOrders(t, path, more)
	before := len(c.amazon.Requests())
	r = runCmd(t.Context(), "", c.args(t, dir, "-orders", path)...)
	require.Equal(t, exitOK, r.code, r.stderr)
	m := regexp.MustCompile(`1 orders? in .*: 2 pushed, .*; (\d+) requests`).FindStringSubmatch(r.stdout)
	require.NotNil(t, m, r.stdout)
	n, err := strconv.Atoi(m[1])
	require.NoError(t, err)
	require.Equal(t, len(c.amazon.Requests())-before, n)
	require.Positive(t, n)
}
