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
	"github.com/shopctrl/tracksync/shopify"
	"github.com/shopctrl/tracksync/tracking"
)

// Both clients report every HTTP attempt to the Syncer's observer, so the
// summary counts each request a run sends, as many as the fakes answered:
// Amazon's SP-API calls and its Login with Amazon token exchange, Shopify's
// GraphQL queries and mutations.
func TestSummaryCountsRequests(t *testing.T) {
	tests := []struct {
		name   string
		orders func(c *channels, t *testing.T) []tracking.Order
	}{
		{"amazon", func(c *channels, t *testing.T) []tracking.Order {
			return []tracking.Order{c.amazonOrder(t), c.amazonOrder(t)}
		}},
		{"shopify", func(c *channels, t *testing.T) []tracking.Order {
			return []tracking.Order{c.shopifyOrder(t), c.shopifyOrder(t)}
		}},
		{"both", func(c *channels, t *testing.T) []tracking.Order {
			return []tracking.Order{c.shopifyOrder(t), c.amazonOrder(t)}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newChannels(t)
			dir := t.TempDir()
			path := filepath.Join(dir, "orders.jsonl")
			writeOrders(t, path, tt.orders(c, t))

			r := runCmd(t.Context(), "", c.args(t, dir, "-orders", path, "-json")...)
			require.Equal(t, exitOK, r.code, r.stderr)
			var rep passReport
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep), r.stdout)
			require.Equal(t, totals{Orders: 2, Pushed: 4}, rep.Totals)
			want := sentByChannel(c)
			require.NotEmpty(t, want)
			require.Equal(t, want, rep.Requests.ByChannel, "one count per HTTP attempt")
			require.Equal(t, c.requests(), rep.Requests.Total)
			require.Zero(t, rep.Requests.Failed)
			require.Zero(t, rep.Requests.Retries)
			if want[string(amazon.Channel)] > 0 {
				require.Equal(t, 1, c.amazon.Count(amazontest.OpLWAToken), "one access token for the seller, counted too")
			}

			// The table's last line says the same, for the next orders.
			writeOrders(t, path, tt.orders(c, t))
			before := c.requests()
			r = runCmd(t.Context(), "", c.args(t, dir, "-orders", path)...)
			require.Equal(t, exitOK, r.code, r.stderr)
			m := regexp.MustCompile(`2 orders in .*: 4 pushed, .*; (\d+) requests`).FindStringSubmatch(r.stdout)
			require.NotNil(t, m, r.stdout)
			n, err := strconv.Atoi(m[1])
			require.NoError(t, err)
			require.Positive(t, n)
			require.Equal(t, c.requests()-before, n)
		})
	}
}

// sentByChannel counts the requests each fake answered, by channel; a
// channel that saw none is left out, as the summary leaves it out.
func sentByChannel(c *channels) map[string]int {
	out := map[string]int{}
	if n := len(c.shopify.Requests()); n > 0 {
		out[string(shopify.Channel)] = n
	}
	if n := len(c.amazon.Requests()); n > 0 {
		out[string(amazon.Channel)] = n
	}
	return out
}
