package shopify_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/mapping"
	"github.com/shopctrl/tracksync/shopify"
	"github.com/shopctrl/tracksync/shopify/shopifytest"
	"github.com/shopctrl/tracksync/tracking"
)

// dropNth passes requests to the fake and loses the answer to the nth
// fulfillmentCreate after Shopify applied it: the ambiguous write.
type dropNth struct {
	base http.RoundTripper
	n    int64
	seen atomic.Int64
}

func (d *dropNth) RoundTrip(req *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	resp, err := d.base.RoundTrip(req)
	if err == nil && bytes.Contains(body, []byte("fulfillmentCreate")) && d.seen.Add(1) == d.n {
		resp.Body.Close()
		return nil, fmt.Errorf("read tcp: connection reset by peer (answer dropped by the test)")
	}
	return resp, err
}

// TestThousandPackages pushes an order of 1000 packages (20 batches of
// fulfillmentCreate) whose answer to the 17th batch is lost after Shopify
// applied it, then syncs the same order again with the ledger lost. Every
// package must become exactly one fulfillment, and none may fail: the
// read-back and the reconciliation page through all 1000 fulfillments.
func TestThousandPackages(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const n = 1000
		srv := shopifytest.NewInProcess()
		shop := srv.AddShop(shopDomain, shopToken)
		ams := shop.AddLocation("Amsterdam")
		ref := shop.AddOrder(shopifytest.OrderSeed{Lines: []shopifytest.LineSeed{{SKU: "BOX", Quantity: n}}})
		o := hostOrder(ref, []int{n})
		for i := range n {
			o.Shipments = append(o.Shipments, pkg(fmt.Sprint("S", i), "AMS", "postnl", fmt.Sprintf("3SDEVC%07d", i), item("L0", 1)))
		}
		m, err := mapping.New(mapping.Config{Shopify: map[string]mapping.ShopifyStore{shopDomain: {Locations: map[string]string{"AMS": ams}}}})
		require.NoError(t, err)
		syncWith := func(rt http.RoundTripper) []tracking.ShipmentResult {
			shops, err := shopify.NewShopClients(map[string]string{shopDomain: shopToken}, shopify.WithHTTPClient(&http.Client{Transport: rt}))
			require.NoError(t, err)
			exp, err := shopify.NewExporter(shops, m)
			require.NoError(t, err)
			syncer, err := tracking.NewSyncer(tracking.WithExporters(exp)) // a new ledger each time
			require.NoError(t, err)
			r, err := syncer.Sync(t.Context(), o)
			require.NoError(t, err)
			return r[0].Results[0].Shipments
		}
		exactlyOnce := func() {
			t.Helper()
			fs := shop.Fulfillments(ref.ID)
			require.Len(t, fs, n)
			numbers := map[string]int{}
			for _, f := range fs {
				numbers[f.Tracking[0].Number]++
			}
			require.Len(t, numbers, n, "every package exactly one fulfillment")
		}

		results := syncWith(&dropNth{base: srv.Transport(), n: 17})
		counts := map[tracking.State]int{}
		for _, r := range results {
			counts[r.State]++
			require.NotEmpty(t, r.RemoteID, "%s: %s", r.ShipmentID, r.Reason)
		}
		require.Equal(t, map[tracking.State]int{tracking.Pushed: n}, counts)
		exactlyOnce()

		before := len(srv.Requests())
		results = syncWith(srv.Transport()) // the ledger is lost
		for _, r := range results {
			require.Equal(t, tracking.AlreadyPushed, r.State, "%s: %s", r.ShipmentID, r.Reason)
		}
		exactlyOnce()
		for _, r := range srv.Requests()[before:] {
			require.Equal(t, "query", r.OperationType, "nothing written again")
		}
	})
}
