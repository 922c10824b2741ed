// Package soak holds the soak test of the whole push path (issue 10): both
// channels through the real tracking.Syncer, shopify.Exporter,
// amazon.Exporter and amazon.FeedExporter against the fakes
// (shopify/shopifytest, amazon/amazontest), with faults at a few per cent
// of the requests, a simulated crash, two Syncers on one FileLedger and
// short leases; it then checks on the fakes' own state that every
// shipment exists exactly once, with the right tracking number, items and
// quantities.
//
// The package has no API: everything is in its tests.
//
//	go test ./internal/soak                        # 500 shipments
//	TRACKSYNC_SOAK=10000 go test ./internal/soak -run Soak -v -timeout 30m
//	TRACKSYNC_SOAK_SEED=42 go test ./internal/soak -run Soak -v   # replay a seed's data and faults
//	TRACKSYNC_SOAK_WITHOUT=feeds,look-alikes go test ./internal/soak   # leave scenarios out
//	TRACKSYNC_SOAK_WITH=stalls go test ./internal/soak   # one worker's lease renewals stall
package soak
