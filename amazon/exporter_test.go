package amazon_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/amazon"
	"github.com/shopctrl/tracksync/amazon/amazontest"
	"github.com/shopctrl/tracksync/mapping"
	"github.com/shopctrl/tracksync/tracking"
)

const (
	sellerID = "A2EXAMPLESELLER"
	mktDE    = "A1PA6795UKMFR9"
	store    = sellerID + "/" + mktDE
)

var creds = amazontest.Credentials{ClientID: "amzn1.application-oa2-client.test", ClientSecret: "amzn1.oa2-cs.v1.SECRET", RefreshToken: "Atzr|REFRESH-SECRET"}

// aenv is a fake SP-API with one seller and an exporter pointed at it.
type aenv struct {
	srv      *amazontest.Server
	seller   *amazontest.Seller
	sellers  *amazon.SellerClients
	exporter *amazon.Exporter
	mapping  *mapping.Static
}

// newAEnvMapping is the tests' carrier mapping of the seller.
func newAEnvMapping(t testing.TB) *mapping.Static {
	t.Helper()
	m, err := mapping.Load(strings.NewReader(`{"amazon": {"` + sellerID + `": {"carriers": {
		"bike": {"code": "Other", "name": "Fietskoerier", "shipping_method": "Same day"},
		"ups/express": {"carrier": "ups", "shipping_method": "UPS Express Saver"}}}}}`))
	require.NoError(t, err)
	return m
}

// memClientHTTP serves srv in memory.
func memClientHTTP(srv *amazontest.Server) *http.Client {
	return &http.Client{Transport: memTransport{srv.Handler()}}
}

func clientOptions(srv *amazontest.Server, extra ...amazon.Option) []amazon.Option {
	return append([]amazon.Option{amazon.WithTestEndpoints(srv.URL(), srv.LWAEndpoint()), amazon.WithRetryMax(3)}, extra...)
}

func newAEnv(t testing.TB, srvOpts []amazontest.Option, clientOpts ...amazon.Option) *aenv {
	t.Helper()
	srv := amazontest.NewServer(srvOpts...)
	t.Cleanup(srv.Close)
	e := &aenv{srv: srv, seller: srv.AddSeller(sellerID, creds)}
	var err error
	e.mapping = newAEnvMapping(t)
	e.sellers, err = amazon.NewSellerClients(map[string]amazon.Seller{sellerID: {Credentials: amazon.Credentials(creds), Region: amazon.Europe}}, clientOptions(srv, clientOpts...)...)
	require.NoError(t, err)
	e.exporter, err = amazon.NewExporter(e.sellers, e.mapping)
	require.NoError(t, err)
	return e
}

// seed adds an Amazon order with one item per quantity and returns the
// host's view of it.
func (e *aenv) seed(t testing.TB, status string, quantities ...int) tracking.Order {
	t.Helper()
	seed := amazontest.OrderSeed{MarketplaceID: mktDE, Status: status, PurchaseDate: time.Now().Add(-48 * time.Hour)}
	for i, q := range quantities {
		seed.Items = append(seed.Items, amazontest.ItemSeed{SKU: fmt.Sprint("SKU-", i), Quantity: q})
	}
	ao, err := e.seller.AddOrder(seed)
	require.NoError(t, err)
	o := tracking.Order{ID: "H-" + ao.AmazonOrderID, Channel: amazon.Channel, Store: store, ChannelOrderID: ao.AmazonOrderID, Status: tracking.StatusPartiallyShipped}
	for i, it := range ao.Items {
		o.Lines = append(o.Lines, tracking.Line{ID: fmt.Sprint("L", i), ChannelLineID: it.OrderItemID, Quantity: quantities[i]})
	}
	return o
}

func ship(id, warehouse, carrierCode, service, number string, hoursAgo int, items ...tracking.Item) tracking.Shipment {
	return tracking.Shipment{ID: id, Warehouse: warehouse, Carrier: carrierCode, Service: service, TrackingNumber: number,
		ShippedAt: time.Now().Add(-time.Duration(hoursAgo) * time.Hour).Truncate(time.Second), Items: items}
}

func it(line string, q int) tracking.Item { return tracking.Item{LineID: line, Quantity: q} }

func states(r tracking.Result) []string {
	var out []string
	for _, s := range r.Shipments {
		out = append(out, s.ShipmentID+"="+string(s.State))
	}
	return out
}

func TestExportConfirmsInOrderOfDispatch(t *testing.T) {
	e := newAEnv(t, nil)
	o := e.seed(t, "", 1, 3)
	// Listed out of dispatch order on purpose.
	o.Shipments = []tracking.Shipment{
		ship("S-late", "AMS", "ups", "express", "1Z999AA10123456784", 1, it("L1", 3)),
		ship("S-early", "BER", "dhl-paket", "", "00340434161094042557", 5, it("L0", 1)),
	}
	o.Status = tracking.StatusFullyShipped
	require.NoError(t, o.Validate())

	res, err := e.exporter.Export(t.Context(), o)
	require.NoError(t, err)
	require.Equal(t, []string{"S-late=pushed", "S-early=pushed"}, states(res))

	pkgs := e.seller.Packages(o.ChannelOrderID)
	require.Len(t, pkgs, 2)
	require.Equal(t, amazon.PackageReferenceID("S-early"), pkgs[0].PackageReferenceID, "the earlier dispatch is confirmed first")
	require.Equal(t, "00340434161094042557", pkgs[0].TrackingNumber)
	require.Equal(t, "DHL-Paket", pkgs[0].CarrierCode)
	require.Equal(t, "UPS", pkgs[1].CarrierCode)
	require.Equal(t, "UPS Express Saver", pkgs[1].ShippingMethod)
	require.Equal(t, 3, pkgs[1].Items[0].Quantity)
	require.Equal(t, res.Shipments[1].RemoteID, pkgs[0].PackageReferenceID)
	order, _ := e.seller.Order(o.ChannelOrderID)
	require.Equal(t, amazontest.StatusShipped, order.Status)
	require.Equal(t, 2, e.srv.Count(amazontest.OpConfirmShipment))
}

func TestExportOtherCarrierAndWaiting(t *testing.T) {
	e := newAEnv(t, nil)
	o := e.seed(t, "", 2)
	o.Shipments = []tracking.Shipment{
		ship("S1", "AMS", "bike", "", "FK-1001", 2, it("L0", 1)),
		ship("S2", "AMS", "bike", "", "", 0, it("L0", 1)),
	}
	o.Shipments[1].ShippedAt = time.Time{}
	res, err := e.exporter.Export(t.Context(), o)
	require.NoError(t, err)
	require.Equal(t, []string{"S1=pushed", "S2=waiting"}, states(res))
	require.Equal(t, "the package has no tracking number yet", res.Shipments[1].Reason)
	p := e.seller.Packages(o.ChannelOrderID)[0]
	require.Equal(t, []string{"Other", "Fietskoerier", "Same day"}, []string{p.CarrierCode, p.CarrierName, p.ShippingMethod})
	order, _ := e.seller.Order(o.ChannelOrderID)
	require.Equal(t, amazontest.StatusPartiallyShipped, order.Status)
}

func TestExportOrderStates(t *testing.T) {
	tests := []struct {
		status string
		state  tracking.State
		reason string
	}{
		{amazontest.StatusPending, tracking.Waiting, "pending on Amazon"},
		{amazontest.StatusCanceled, tracking.Failed, "cancelled on Amazon"},
	}
	for _, tt := range tests {
		t.Run(tt.status, func(t *testing.T) {
			e := newAEnv(t, nil)
			o := e.seed(t, tt.status, 1)
			o.Shipments = []tracking.Shipment{ship("S1", "AMS", "ups", "", "1Z999AA10123456784", 1, it("L0", 1))}
			res, err := e.exporter.Export(t.Context(), o)
			require.NoError(t, err)
			require.Equal(t, tt.state, res.Shipments[0].State)
			require.Contains(t, res.Shipments[0].Reason, tt.reason)
			// Confirmed at once; Amazon's refusal is explained by one read.
			require.Equal(t, 1, e.srv.Count(amazontest.OpConfirmShipment))
			require.Equal(t, 1, e.srv.Count(amazontest.OpGetOrder))
			require.Empty(t, e.seller.Packages(o.ChannelOrderID))
		})
	}
}

func TestExportRepeatIsAnEditNotASecondPackage(t *testing.T) {
	e := newAEnv(t, nil)
	o := e.seed(t, "", 1)
	o.Shipments = []tracking.Shipment{ship("S1", "AMS", "ups", "", "1Z999AA10123456784", 1, it("L0", 1))}
	_, err := e.exporter.Export(t.Context(), o)
	require.NoError(t, err)
	res, err := e.exporter.Export(t.Context(), o) // no ledger: the package reference protects
	require.NoError(t, err)
	require.Equal(t, []string{"S1=pushed"}, states(res))
	require.Equal(t, 2, e.srv.Count(amazontest.OpConfirmShipment))
	require.Zero(t, e.srv.Count(amazontest.OpGetOrder), "no read on the hot path")
	pkgs := e.seller.Packages(o.ChannelOrderID)
	require.Len(t, pkgs, 1)
	require.Equal(t, 1, pkgs[0].Edits)
}

func TestSyncerTrackingChangeIsAnEdit(t *testing.T) {
	e := newAEnv(t, nil)
	o := e.seed(t, "", 1)
	o.Shipments = []tracking.Shipment{ship("S1", "AMS", "ups", "", "1Z999AA10123456784", 1, it("L0", 1))}
	s, err := tracking.NewSyncer(tracking.WithExporters(e.exporter))
	require.NoError(t, err)
	_, err = s.Sync(t.Context(), o)
	require.NoError(t, err)
	o.Shipments[0].TrackingNumber = "1Z999AA10123456795"
	r, err := s.Sync(t.Context(), o)
	require.NoError(t, err)
	sr := r[0].Results[0].Shipments[0]
	require.Equal(t, tracking.Pushed, sr.State, sr.Reason)
	pkgs := e.seller.Packages(o.ChannelOrderID)
	require.Len(t, pkgs, 1, "an edit, never a second package")
	require.Equal(t, "1Z999AA10123456795", pkgs[0].TrackingNumber)
	require.Equal(t, 1, pkgs[0].Edits)
}

func TestExportAmazonRefusalHoldsBackLaterPackages(t *testing.T) {
	e := newAEnv(t, nil)
	o := e.seed(t, "", 1, 1)
	o.Shipments = []tracking.Shipment{
		ship("S1", "AMS", "ups", "", "1Z999AA10123456784", 3, it("L0", 1)),
		ship("S2", "AMS", "ups", "", "1Z999AA10123456795", 2, it("L1", 1)),
	}
	o.Lines[0].ChannelLineID = "99999999999999" // not an item of the order
	res, err := e.exporter.Export(t.Context(), o)
	require.NoError(t, err)
	require.Equal(t, []string{"S1=failed", "S2=waiting"}, states(res))
	require.ErrorIs(t, res.Shipments[0].Err, amazon.ErrInvalidInput)
	require.Contains(t, res.Shipments[0].Reason, "OrderItemId is invalid")
	require.Contains(t, res.Shipments[1].Reason, "waits for package S1")
}

func TestExportShipPlusIsRefused(t *testing.T) {
	e := newAEnv(t, nil)
	ao, err := e.seller.AddOrder(amazontest.OrderSeed{MarketplaceID: mktDE, ShipPlus: true, Items: []amazontest.ItemSeed{{SKU: "A", Quantity: 1}}})
	require.NoError(t, err)
	o := tracking.Order{ID: "H1", Channel: amazon.Channel, Store: store, ChannelOrderID: ao.AmazonOrderID, Status: tracking.StatusFullyShipped,
		Lines:     []tracking.Line{{ID: "L0", ChannelLineID: ao.Items[0].OrderItemID, Quantity: 1}},
		Shipments: []tracking.Shipment{ship("S1", "AMS", "ups", "", "1Z999AA10123456784", 1, it("L0", 1))}}
	res, err := e.exporter.Export(t.Context(), o)
	require.NoError(t, err)
	require.Equal(t, tracking.Failed, res.Shipments[0].State)
	require.ErrorIs(t, res.Shipments[0].Err, amazon.ErrInvalidInput)
}

func TestExportWrongRegionFailsBeforeAnyCall(t *testing.T) {
	e := newAEnv(t, nil)
	o := e.seed(t, "", 1)
	o.Store = sellerID + "/ATVPDKIKX0DER" // a US marketplace with an EU client
	o.Shipments = []tracking.Shipment{ship("S1", "AMS", "ups", "", "1Z999AA10123456784", 1, it("L0", 1))}
	res, err := e.exporter.Export(t.Context(), o)
	require.NoError(t, err)
	require.Equal(t, tracking.Failed, res.Shipments[0].State)
	require.ErrorIs(t, res.Shipments[0].Err, amazon.ErrMarketplace)
	require.Zero(t, e.srv.Count(amazontest.OpConfirmShipment))
}

func TestExportDroppedConfirmationIsRepeatedAsAnEdit(t *testing.T) {
	e := newAEnv(t, nil)
	o := e.seed(t, "", 1)
	o.Shipments = []tracking.Shipment{ship("S1", "AMS", "ups", "", "1Z999AA10123456784", 1, it("L0", 1))}
	e.srv.InjectFault(amazontest.Fault{Operation: amazontest.OpConfirmShipment, DropAfterCommit: true})
	res, err := e.exporter.Export(t.Context(), o)
	require.NoError(t, err)
	require.Equal(t, []string{"S1=pushed"}, states(res))
	pkgs := e.seller.Packages(o.ChannelOrderID)
	require.Len(t, pkgs, 1, "the repeat edited the package the dropped answer had created")
	require.Equal(t, 1, pkgs[0].Edits)
}

func TestExpiredTokenIsRefreshedOnce(t *testing.T) {
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	e := newAEnv(t, []amazontest.Option{amazontest.WithClock(clock), amazontest.WithTokenTTL(time.Hour)})
	o := e.seed(t, "", 2)
	o.Shipments = []tracking.Shipment{ship("S1", "AMS", "ups", "", "1Z999AA10123456784", 1, it("L0", 1))}
	_, err := e.exporter.Export(t.Context(), o)
	require.NoError(t, err)
	require.Equal(t, 1, e.srv.LWACalls())
	// Amazon's clock runs ahead of ours: the token expired there first.
	mu.Lock()
	now = now.Add(2 * time.Hour)
	mu.Unlock()
	o.Shipments = append(o.Shipments, ship("S2", "AMS", "ups", "", "1Z999AA10123456795", 1, it("L0", 1)))
	res, err := e.exporter.Export(t.Context(), o)
	require.NoError(t, err)
	require.Equal(t, []string{"S1=pushed", "S2=pushed"}, states(res), "S1 again is an edit")
	require.Equal(t, 2, e.srv.LWACalls(), "one refresh after the 403")
}

func TestConcurrentCallsShareOneTokenRefresh(t *testing.T) {
	// Plans raised on both sides: this is about the token, not the bucket.
	e := newAEnv(t, []amazontest.Option{amazontest.WithUsagePlan(amazontest.OpGetOrder, 1000, 100)}, amazon.WithUsagePlan("getOrder", 1000, 100))
	o := e.seed(t, "", 1)
	client, err := e.sellers.Client(t.Context(), sellerID)
	require.NoError(t, err)
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			_, _, err := client.GetOrder(t.Context(), o.ChannelOrderID)
			require.NoError(t, err)
		})
	}
	wg.Wait()
	require.Equal(t, 1, e.srv.LWACalls())
}

func TestSecretsNeverInErrors(t *testing.T) {
	e := newAEnv(t, nil)
	bad := amazon.Credentials(creds)
	bad.RefreshToken = "Atzr|WRONG-SECRET"
	sellers, err := amazon.NewSellerClients(map[string]amazon.Seller{sellerID: {Credentials: bad, Region: amazon.Europe}}, clientOptions(e.srv)...)
	require.NoError(t, err)
	exp, err := amazon.NewExporter(sellers, e.mapping)
	require.NoError(t, err)
	o := e.seed(t, "", 1)
	o.Shipments = []tracking.Shipment{ship("S1", "AMS", "ups", "", "1Z999AA10123456784", 1, it("L0", 1))}
	res, err := exp.Export(t.Context(), o)
	require.NoError(t, err)
	require.ErrorIs(t, res.Shipments[0].Err, amazon.ErrLWA)
	for _, s := range []string{res.Shipments[0].Reason, res.Shipments[0].Err.Error()} {
		require.NotContains(t, s, "SECRET")
	}
}

// memTransport serves the fake in memory, so that usage plans can be tested
// on the fake clock of a synctest bubble.
type memTransport struct{ h http.Handler }

func (m memTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	m.h.ServeHTTP(rec, r)
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}

func TestPacingKeepsWithinTheUsagePlan(t *testing.T) {
	srv := amazontest.NewServer(amazontest.WithClock(time.Now)) // time.Now is the bubble's clock when called inside it
	defer srv.Close()
	seller := srv.AddSeller(sellerID, creds)
	synctest.Test(t, func(t *testing.T) {
		for _, paced := range []bool{true, false} {
			extra := []amazon.Option{amazon.WithHTTPClient(&http.Client{Transport: memTransport{srv.Handler()}}), amazon.WithRetryMax(50)}
			if !paced {
				extra = append(extra, amazon.WithPacingDisabled())
			}
			client, err := amazon.NewClient(amazon.Credentials(creds), amazon.Europe, clientOptions(srv, extra...)...)
			require.NoError(t, err)
			ao, err := seller.AddOrder(amazontest.OrderSeed{MarketplaceID: mktDE, Items: []amazontest.ItemSeed{{SKU: "A", Quantity: 1000}}})
			require.NoError(t, err)
			before := srv.Throttled()
			start := time.Now()
			var wg sync.WaitGroup
			for w := range 8 {
				wg.Go(func() {
					for i := range 5 {
						_, err := client.ConfirmShipment(t.Context(), ao.AmazonOrderID, amazon.ConfirmShipmentRequest{MarketplaceID: mktDE,
							PackageDetail: amazon.PackageDetail{PackageReferenceID: fmt.Sprint(w*100 + i + 1), CarrierCode: "UPS", TrackingNumber: fmt.Sprint("1Z", w, i),
								ShipDate: amazon.ShipDate(time.Now()), OrderItems: []amazon.OrderItemQuantity{{OrderItemID: ao.Items[0].OrderItemID, Quantity: 1}}}})
						require.NoError(t, err)
					}
				})
			}
			wg.Wait()
			elapsed := time.Since(start)
			throttled := srv.Throttled() - before
			if paced {
				// 40 confirmations at 2/s after a burst of 10: 15 s, no 429.
				require.Zero(t, throttled)
				require.Equal(t, 15*time.Second, elapsed.Round(time.Second))
			} else {
				require.Positive(t, throttled, "retry-only meets 429s")
			}
			t.Logf("paced=%v: 40 confirmations in %s, %d answered 429", paced, elapsed, throttled)
			// Let the bucket fill again for the next client.
			time.Sleep(10 * time.Second)
		}
	})
}

func TestContextCancelStopsWaitingForTheBucket(t *testing.T) {
	e := newAEnv(t, nil, amazon.WithUsagePlan("confirmShipment", 0.001, 1))
	o := e.seed(t, "", 2)
	client, _ := e.sellers.Client(t.Context(), sellerID)
	req := amazon.ConfirmShipmentRequest{MarketplaceID: mktDE, PackageDetail: amazon.PackageDetail{PackageReferenceID: "1", CarrierCode: "UPS", TrackingNumber: "1Z1",
		ShipDate: amazon.ShipDate(time.Now()), OrderItems: []amazon.OrderItemQuantity{{OrderItemID: o.Lines[0].ChannelLineID, Quantity: 1}}}}
	_, err := client.ConfirmShipment(t.Context(), o.ChannelOrderID, req)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	req.PackageDetail.PackageReferenceID = "2"
	_, err = client.ConfirmShipment(ctx, o.ChannelOrderID, req)
	require.Error(t, err, "the second call would wait 1000 s for the bucket")
}

func TestRateLimitHeaderRetunesTheBucket(t *testing.T) {
	// A seller with a raised plan: Amazon says 10/s in x-amzn-RateLimit-Limit.
	srv := amazontest.NewServer(amazontest.WithClock(time.Now), amazontest.WithUsagePlan(amazontest.OpConfirmShipment, 10, 10))
	defer srv.Close()
	seller := srv.AddSeller(sellerID, creds)
	synctest.Test(t, func(t *testing.T) {
		client, err := amazon.NewClient(amazon.Credentials(creds), amazon.Europe,
			clientOptions(srv, amazon.WithHTTPClient(&http.Client{Transport: memTransport{srv.Handler()}}))...)
		require.NoError(t, err)
		ao, err := seller.AddOrder(amazontest.OrderSeed{MarketplaceID: mktDE, Items: []amazontest.ItemSeed{{SKU: "A", Quantity: 100}}})
		require.NoError(t, err)
		start := time.Now()
		for i := range 30 {
			_, err := client.ConfirmShipment(t.Context(), ao.AmazonOrderID, amazon.ConfirmShipmentRequest{MarketplaceID: mktDE,
				PackageDetail: amazon.PackageDetail{PackageReferenceID: fmt.Sprint(i + 1), CarrierCode: "UPS", TrackingNumber: fmt.Sprint("1Z", i),
					ShipDate: amazon.ShipDate(time.Now()), OrderItems: []amazon.OrderItemQuantity{{OrderItemID: ao.Items[0].OrderItemID, Quantity: 1}}}})
			require.NoError(t, err)
		}
		// 10 at once, 20 more at 10/s (not at the default 2/s, which would take 10 s).
		require.InDelta(t, 2.0, time.Since(start).Seconds(), 0.1)
		require.Zero(t, srv.Throttled())
	})
}
