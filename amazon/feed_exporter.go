package amazon

import (
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/shopctrl/tracksync/tracking"
)

// FeedExporter confirms packages in bulk through the Feeds API: the
// packages of many orders of one seller and marketplace go into one
// POST_ORDER_FULFILLMENT_DATA feed, which suits backfills and large
// volumes better than one confirmShipment per package (2/s per seller).
// It implements tracking.Exporter and produces the same per-package
// results as Exporter, from the feed's processing report.
//
// Batching: the first Export for a store opens a batch and waits up to the
// batch wait for more; Exports of other orders of the store join it until
// it holds the batch size; then the opener submits it, polls until Amazon
// is done, and every joined Export returns its packages' results. For
// large batches run the Syncer with a concurrency of at least the batch
// size in orders.
//
// Exactly once. A feed message has no reference of the seller's: Amazon
// numbers a feed's packages itself and ignores MerchantFulfillmentID, so
// a message sent twice is two packages (or an over-shipping refusal).
// Hence, before createFeed, every shipment's ledger key gets a note that
// names the feed document and message, and after it one that names the
// feed; a run that finds the shipment again (after a crash, a cancel, a
// lease takeover, an unknown outcome) reads that feed's report instead of
// sending it again. Where the ledger knows nothing — a shipment dispatched
// before a feed that this process did not send, which is what a lost
// ledger looks like — the order is read first (getOrder, 0.5/s: about two
// seconds an order once the burst of 30 is spent; each such result says
// how long its read took), after the feeds then in flight have finished.
// A FATAL feed may have applied some messages: its packages are looked
// for on their orders before they are sent again; a CANCELLED one applied
// none.
type FeedExporter struct {
	base      *Exporter
	batchSize int
	batchWait time.Duration
	pollFirst time.Duration
	pollMax   time.Duration

	mu     sync.Mutex
	open   map[string]*feedBatch // by store
	stores map[string]*feedStore // by store
}

var _ tracking.Exporter = (*FeedExporter)(nil)

// FeedOption configures a FeedExporter.
type FeedOption func(*FeedExporter)

// WithBatchSize sets how many packages fill a feed (default 2000).
func WithBatchSize(n int) FeedOption { return func(f *FeedExporter) { f.batchSize = n } }

// WithBatchWait sets how long a batch waits for more packages (default 30 s).
func WithBatchWait(d time.Duration) FeedOption { return func(f *FeedExporter) { f.batchWait = d } }

// WithPolling sets the first and the longest wait between getFeed calls
// (default 30 s doubling to 5 min; Amazon processes feeds in minutes).
func WithPolling(first, longest time.Duration) FeedOption {
	return func(f *FeedExporter) { f.pollFirst, f.pollMax = first, longest }
}

// NewFeedExporter returns a FeedExporter that resolves carriers, checks
// numbers and reaches sellers as e does.
func NewFeedExporter(e *Exporter, opts ...FeedOption) (*FeedExporter, error) {
	if e == nil {
		return nil, fmt.Errorf("%w: NewFeedExporter needs an Exporter", ErrConfig)
	}
	f := &FeedExporter{base: e, batchSize: 2000, batchWait: 30 * time.Second, pollFirst: 30 * time.Second, pollMax: 5 * time.Minute,
		open: map[string]*feedBatch{}, stores: map[string]*feedStore{}}
	for _, opt := range opts {
		opt(f)
	}
	if f.batchSize < 1 || f.batchWait < 0 || f.pollFirst <= 0 || f.pollMax < f.pollFirst {
		return nil, fmt.Errorf("%w: feed exporter: batch size %d, wait %s, polling %s..%s out of range", ErrConfig, f.batchSize, f.batchWait, f.pollFirst, f.pollMax)
	}
	return f, nil
}

// Channel implements tracking.Exporter.
func (f *FeedExporter) Channel() tracking.Channel { return Channel }

// Describe implements tracking.Describer. Its ledger records are those of
// the Amazon channel push, like Exporter's: use one or the other.
func (f *FeedExporter) Describe() tracking.ExporterInfo {
	return tracking.ExporterInfo{Name: "amazon-feed"}
}

// DefaultLogger implements tracking.LoggerDefaulter for the Exporter it
// sends through.
func (f *FeedExporter) DefaultLogger(l *slog.Logger) { f.base.DefaultLogger(l) }
