package amazon

import (
	"context"
	"errors"
	"fmt"
	"slices"
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
// A FATAL or CANCELLED feed confirms nothing: its packages fail with the
// reason and the next run sends them again; none is lost. An Export whose
// context ends while its batch is in flight returns the context's error;
// the batch still completes.
type FeedExporter struct {
	base      *Exporter
	batchSize int
	batchWait time.Duration
	pollFirst time.Duration
	pollMax   time.Duration

	mu   sync.Mutex
	open map[string]*feedBatch // by store
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
		return nil, errors.New("amazon: NewFeedExporter needs an Exporter")
	}
	f := &FeedExporter{base: e, batchSize: 2000, batchWait: 30 * time.Second, pollFirst: 30 * time.Second, pollMax: 5 * time.Minute, open: map[string]*feedBatch{}}
	for _, opt := range opts {
		opt(f)
	}
	if f.batchSize < 1 || f.batchWait < 0 || f.pollFirst <= 0 || f.pollMax < f.pollFirst {
		return nil, fmt.Errorf("amazon: feed exporter: batch size %d, wait %s, polling %s..%s out of range", f.batchSize, f.batchWait, f.pollFirst, f.pollMax)
	}
	return f, nil
}

// Channel implements tracking.Exporter.
func (f *FeedExporter) Channel() tracking.Channel { return tracking.ChannelAmazon }

// Describe implements tracking.Describer. Its ledger records are those of
// the Amazon channel push, like Exporter's: use one or the other.
func (f *FeedExporter) Describe() tracking.ExporterInfo {
	return tracking.ExporterInfo{Name: "amazon-feed"}
}

// feedBatch is the packages of one store on their way into one feed.
type feedBatch struct {
	store string
	items []*feedItem
	full  chan struct{} // closed when the batch reached its size
	done  chan struct{} // closed when every item has its result
}

type feedItem struct {
	orderID string // Amazon order id
	conf    *confirmation
	result  tracking.ShipmentResult
}

// Export implements tracking.Exporter.
func (f *FeedExporter) Export(ctx context.Context, o tracking.Order) (tracking.Result, error) {
	res := tracking.Result{Exporter: "amazon-feed", Channel: tracking.ChannelAmazon, Shipments: make([]tracking.ShipmentResult, len(o.Shipments))}
	for i, s := range o.Shipments {
		res.Shipments[i].ShipmentID = s.ID
	}
	confs := f.base.prepare(ctx, o, res.Shipments)
	if len(confs) == 0 {
		return res, nil
	}
	items := make([]*feedItem, len(confs))
	for i, c := range confs {
		items[i] = &feedItem{orderID: o.ChannelOrderID, conf: c}
	}

	f.mu.Lock()
	b, leader := f.open[o.Store], false
	if b == nil {
		b = &feedBatch{store: o.Store, full: make(chan struct{}), done: make(chan struct{})}
		f.open[o.Store], leader = b, true
	}
	b.items = append(b.items, items...)
	if len(b.items) >= f.batchSize {
		delete(f.open, o.Store)
		close(b.full)
	}
	f.mu.Unlock()

	if leader {
		timer := time.NewTimer(f.batchWait)
		select {
		case <-b.full:
		case <-timer.C:
		case <-ctx.Done():
		}
		timer.Stop()
		f.mu.Lock()
		if f.open[o.Store] == b {
			delete(f.open, o.Store)
		}
		f.mu.Unlock()
		// The batch carries other orders' packages: it completes even if
		// this caller's context ended.
		f.submit(context.WithoutCancel(ctx), b)
		close(b.done)
	} else {
		select {
		case <-b.done:
		case <-ctx.Done():
			return tracking.Result{Exporter: res.Exporter, Channel: res.Channel}, ctx.Err()
		}
	}
	for _, it := range items {
		r := it.result
		r.ShipmentID = it.conf.shipment.ID
		r.Warnings = append(it.conf.warnings, r.Warnings...)
		res.Shipments[it.conf.index] = r
	}
	return res, nil
}

// submit sends a batch as one feed and gives every item its result.
func (f *FeedExporter) submit(ctx context.Context, b *feedBatch) {
	failAll := func(reason string, err error) {
		for _, it := range b.items {
			it.result = failedResult(reason, err)
		}
	}
	seller, mkt, err := SplitStore(b.store)
	if err != nil {
		failAll(err.Error(), err)
		return
	}
	client, err := f.base.sellers.Client(ctx, seller)
	if err != nil {
		failAll(err.Error(), err)
		return
	}
	msgs := make([]feedMessage, len(b.items))
	for i, it := range b.items {
		msgs[i] = fulfillmentMessage(i+1, it.orderID, it.conf.request)
	}
	content, err := buildFulfillmentFeed(seller, msgs)
	if err != nil {
		failAll(err.Error(), err)
		return
	}
	doc, _, err := client.CreateFeedDocument(ctx, FeedContentType)
	if err == nil {
		err = client.UploadFeedDocument(ctx, doc, FeedContentType, content)
	}
	if err != nil {
		failAll("could not upload the feed; nothing was submitted, the next run tries again: "+err.Error(), err)
		return
	}
	feedID, _, err := client.CreateFeed(ctx, CreateFeedRequest{FeedType: FeedTypeOrderFulfillment, MarketplaceIDs: []string{mkt}, InputFeedDocumentID: doc.FeedDocumentID})
	if err != nil {
		failAll("could not submit the feed: "+err.Error(), err)
		return
	}
	f.base.logger.InfoContext(ctx, "amazon feed submitted", "feed", feedID, "store", b.store, "packages", len(b.items))

	feed, err := f.await(ctx, client, feedID)
	if err != nil {
		failAll(fmt.Sprintf("feed %s was submitted but its outcome is unknown: %v", feedID, err), err)
		return
	}
	if feed.ProcessingStatus != "DONE" {
		err := fmt.Errorf("amazon: feed %s ended %s", feedID, feed.ProcessingStatus)
		failAll(fmt.Sprintf("Amazon processed feed %s as %s: nothing in it was confirmed; the next run sends these packages again", feedID, feed.ProcessingStatus), err)
		return
	}
	report, err := f.report(ctx, client, feed)
	if err != nil {
		failAll(fmt.Sprintf("feed %s is done but its report could not be read: %v", feedID, err), err)
		return
	}
	applyReport(b.items, report, feedID)
}

// await polls a feed with growing intervals until Amazon is done with it.
func (f *FeedExporter) await(ctx context.Context, client *Client, feedID string) (*Feed, error) {
	wait := f.pollFirst
	for {
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		}
		feed, _, err := client.GetFeed(ctx, feedID)
		if err != nil {
			return nil, err
		}
		if feed.Finished() {
			return feed, nil
		}
		wait = min(2*wait, f.pollMax)
	}
}

func (f *FeedExporter) report(ctx context.Context, client *Client, feed *Feed) (*ProcessingReport, error) {
	if feed.ResultFeedDocumentID == "" {
		return nil, errors.New("no result document")
	}
	doc, _, err := client.GetFeedDocument(ctx, feed.ResultFeedDocumentID)
	if err != nil {
		return nil, err
	}
	data, err := client.DownloadFeedDocument(ctx, doc)
	if err != nil {
		return nil, err
	}
	return ParseProcessingReport(data)
}

// applyReport gives each message its verdict: an error fails the package,
// a warning confirms it with the warning, silence confirms it. A result
// for message 0 concerns the whole document.
//
// FeedExporter is no tracking.TrackingUpdater: a changed tracking number of
// a package it sent is updated by Exporter, which finds the package by its
// previous number.
func applyReport(items []*feedItem, r *ProcessingReport, feedID string) {
	byMessage := map[int][]ReportResult{}
	for _, res := range r.Results {
		byMessage[res.MessageID] = append(byMessage[res.MessageID], res)
	}
	for i, it := range items {
		verdicts := slices.Concat(byMessage[0], byMessage[i+1])
		// Amazon numbers a feed's packages itself; the message is what
		// identifies this one until the order is read.
		out := tracking.ShipmentResult{State: tracking.Pushed, RemoteID: fmt.Sprintf("feed:%s/%d", feedID, i+1)}
		for _, v := range verdicts {
			text := fmt.Sprintf("feed %s message %d: %s %s: %s", feedID, i+1, v.ResultCode, v.ResultMessageCode, v.ResultDescription)
			if v.ResultCode == "Error" {
				out = failedResult("Amazon refused the package: "+text, fmt.Errorf("amazon: %s", text))
				break
			}
			out.Warnings = append(out.Warnings, text)
		}
		it.result = out
	}
}
