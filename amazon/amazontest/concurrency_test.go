package amazontest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestConcurrentClients runs many sellers' clients at once: each confirms
// packages of its orders, some twice (retries), reads them back and
// submits a feed, while the test inspects. Run with -race.
func TestConcurrentClients(t *testing.T) {
	const sellers, orders = 4, 5
	plans := []Option{}
	for op := range DefaultUsagePlans() {
		plans = append(plans, WithUsagePlan(op, 1e6, 1e6))
	}
	e := newEnv(t, append(plans, WithFeedTiming(0, 0))...)

	type client struct {
		env    *env
		seller *Seller
		orders []string
	}
	var clients []*client
	for s := range sellers {
		refresh := fmt.Sprintf("Atzr|concurrent-%d", s)
		sl := e.srv.AddSeller(fmt.Sprintf("A%dSELLER", s), Credentials{ClientID: testClientID, ClientSecret: testClientSecret, RefreshToken: refresh})
		c := &client{env: &env{t: t, srv: e.srv, clock: e.clock, seller: sl}, seller: sl}
		r := e.lwa(tokenForm(refresh))
		var tok tokenResponse
		r.decode(t, &tok)
		c.env.token = tok.AccessToken
		for o := range orders {
			id := fmt.Sprintf("%03d-%07d-%07d", 100+s, o, o)
			_, err := sl.AddOrder(OrderSeed{AmazonOrderID: id, Items: []ItemSeed{{OrderItemID: "10000000000001", Quantity: 4}}})
			require.NoError(t, err)
			c.orders = append(c.orders, id)
		}
		clients = append(clients, c)
	}

	var wg sync.WaitGroup
	for _, c := range clients {
		for _, id := range c.orders {
			for ref := 1; ref <= 4; ref++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					body, _ := json.Marshal(confirmBody(strconv.Itoa(ref), item("10000000000001", 1)))
					for range 2 { // the second is a retry: an edit
						if status, b, err := tryCall(e.srv.URL(), c.env.token, http.MethodPost, "/orders/v0/orders/"+id+"/shipmentConfirmation", body); err != nil || status != http.StatusNoContent {
							t.Errorf("confirm %s/%d: %d %s %v", id, ref, status, b, err)
						}
					}
					if status, b, err := tryCall(e.srv.URL(), c.env.token, http.MethodGet, "/orders/2026-01-01/orders/"+id+"?includedData=PACKAGES", nil); err != nil || status != http.StatusOK {
						t.Errorf("getOrder %s: %d %s %v", id, status, b, err)
					}
				}()
			}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = e.srv.Requests()
			_ = e.srv.Feeds()
			_ = c.seller.Packages(c.orders[0])
		}()
	}
	wg.Wait()

	for _, c := range clients {
		for _, id := range c.orders {
			o, ok := c.seller.Order(id)
			require.True(t, ok)
			require.Equal(t, StatusShipped, o.Status, id)
			pkgs := c.seller.Packages(id)
			require.Len(t, pkgs, 4, id)
			for _, p := range pkgs {
				require.Equal(t, 1, p.Edits)
			}
		}
	}
	require.Equal(t, sellers*orders*4*2, e.srv.Count(OpConfirmShipment))
	require.Zero(t, e.srv.Throttled())
}

// TestConcurrentThrottling checks that the bucket never lets more through
// than its burst, however many clients race for it.
func TestConcurrentThrottling(t *testing.T) {
	e := newEnv(t, WithUsagePlan(OpGetOrderV0, 0.001, 7))
	e.addOrderA()
	e.login()
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if status, _, err := tryCall(e.srv.URL(), e.token, http.MethodGet, "/orders/v0/orders/"+orderA, nil); err == nil && status == http.StatusOK {
				mu.Lock()
				ok++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	require.Equal(t, 7, ok)
	require.Equal(t, 33, e.srv.Throttled())
}

// tryCall is an SP-API call for goroutines other than the test's, which
// must not use require.
func tryCall(base, token, method, path string, body []byte) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("x-amz-access-token", token)
	req.Header.Set("User-Agent", testUserAgent)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}
