package amazon_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/amazon"
	"github.com/shopctrl/tracksync/amazon/amazontest"
	"github.com/shopctrl/tracksync/tracking"
)

func newFeedEnv(t testing.TB, batch int, srvOpts ...amazontest.Option) (*aenv, *amazon.FeedExporter) {
	t.Helper()
	e := newAEnv(t, append([]amazontest.Option{amazontest.WithFeedTiming(5*time.Millisecond, 5*time.Millisecond)}, srvOpts...))
	f, err := amazon.NewFeedExporter(e.exporter, amazon.WithBatchSize(batch), amazon.WithBatchWait(200*time.Millisecond), amazon.WithPolling(5*time.Millisecond, 20*time.Millisecond))
	require.NoError(t, err)
	return e, f
}

func TestFeedExporterSendsOrdersInOneFeed(t *testing.T) {
	for _, gz := range []bool{false, true} {
		t.Run(fmt.Sprint("gzip=", gz), func(t *testing.T) {
			e, f := newFeedEnv(t, 4, amazontest.WithGzipReports(gz))
			a := e.seed(t, "", 2)
			a.Shipments = []tracking.Shipment{ship("A1", "AMS", "ups", "", "1Z999AA10123456784", 3, it("L0", 1)), ship("A2", "AMS", "bike", "", "FK-1", 2, it("L0", 1))}
			b := e.seed(t, "", 1)
			b.Shipments = []tracking.Shipment{ship("B1", "BER", "dhl-paket", "", "00340434161094042557", 1, it("L0", 1))}
			c := e.seed(t, "", 1)
			c.Shipments = []tracking.Shipment{ship("C1", "BER", "ups", "express", "1Z999AA10123456795", 1, it("L0", 1))}
			s, err := tracking.NewSyncer(tracking.WithExporters(f), tracking.WithConcurrency(10))
			require.NoError(t, err)
			results, err := s.Sync(t.Context(), a, b, c)
			require.NoError(t, err)
			for _, r := range results {
				for _, sr := range r.Results[0].Shipments {
					require.Equal(t, tracking.Pushed, sr.State, sr.Reason)
					require.Contains(t, sr.RemoteID, "feed:")
				}
			}
			require.Equal(t, 1, e.srv.Count(amazontest.OpCreateFeed), "four packages, one feed")
			pa := e.seller.Packages(a.ChannelOrderID)
			require.Len(t, pa, 2)
			require.Equal(t, "FK-1", pa[1].TrackingNumber)
			require.Equal(t, "Fietskoerier", pa[1].CarrierName)
			require.NotEmpty(t, pa[0].FeedID)
		})
	}
}

func TestFeedReportErrorsFailTheirPackageOnly(t *testing.T) {
	e, f := newFeedEnv(t, 2)
	good := e.seed(t, "", 1)
	good.Shipments = []tracking.Shipment{ship("G1", "AMS", "ups", "", "1Z999AA10123456784", 1, it("L0", 1))}
	bad := e.seed(t, "", 1)
	bad.Shipments = []tracking.Shipment{ship("X1", "AMS", "ups", "", "1Z999AA10123456795", 1, it("L0", 5))}
	bad.Lines[0].Quantity = 5 // the host thinks 5 were ordered; Amazon has 1
	s, err := tracking.NewSyncer(tracking.WithExporters(f), tracking.WithConcurrency(4))
	require.NoError(t, err)
	results, err := s.Sync(t.Context(), good, bad)
	require.NoError(t, err)
	require.Equal(t, tracking.Pushed, results[0].Results[0].Shipments[0].State)
	x := results[1].Results[0].Shipments[0]
	require.Equal(t, tracking.Failed, x.State)
	require.Contains(t, x.Reason, "Amazon refused the package: feed")
	require.Len(t, e.seller.Packages(good.ChannelOrderID), 1)
	require.Empty(t, e.seller.Packages(bad.ChannelOrderID))
}

func TestFatalFeedLosesNothing(t *testing.T) {
	e, f := newFeedEnv(t, 1)
	o := e.seed(t, "", 1)
	o.Shipments = []tracking.Shipment{ship("S1", "AMS", "ups", "", "1Z999AA10123456784", 1, it("L0", 1))}
	s, err := tracking.NewSyncer(tracking.WithExporters(f))
	require.NoError(t, err)
	// The upload is answered but not stored: Amazon finds no readable
	// document and fails the whole feed.
	e.srv.InjectFault(amazontest.Fault{Operation: amazontest.OpUploadFeedDocument, Status: 200, Body: " "})
	r, err := s.Sync(t.Context(), o)
	require.NoError(t, err)
	sr := r[0].Results[0].Shipments[0]
	require.Equal(t, tracking.Failed, sr.State)
	require.Contains(t, sr.Reason, "as FATAL, which may have applied some of its messages")
	require.Empty(t, e.seller.Packages(o.ChannelOrderID))

	r, err = s.Sync(t.Context(), o)
	require.NoError(t, err)
	require.Equal(t, tracking.Pushed, r[0].Results[0].Shipments[0].State)
	require.Len(t, e.seller.Packages(o.ChannelOrderID), 1)
}
