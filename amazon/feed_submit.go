package amazon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/shopctrl/tracksync/internal/ctxtime"
	"github.com/shopctrl/tracksync/tracking"
)

// submit sends a batch as one feed and gives every item its result and
// verdict. The notes come first: before createFeed each package's key
// names the document and message, after it the feed.
func (f *FeedExporter) submit(ctx context.Context, b *feedBatch) {
	fail := func(items []*feedItem, reason string, err error) {
		for _, it := range items {
			it.result, it.verdict = failedResult(reason, err), verdictNotApplied
		}
	}
	seller, mkt, _ := SplitStore(b.store)
	client, err := f.base.sellers.Client(ctx, seller)
	if err != nil {
		fail(b.items, err.Error(), err)
		return
	}
	doc, items, err := f.upload(ctx, client, seller, b.items)
	if err != nil {
		fail(items, "could not upload the feed; nothing was submitted, the next run tries again: "+err.Error(), err)
		return
	}
	if len(items) == 0 {
		return
	}
	// The fence again, right before every attempt of createFeed: its plan
	// (one a two minutes past the burst) can keep it waiting for longer
	// than a lease lives.
	fenced := withFence(ctx, func() error {
		for _, it := range items {
			if err := it.run.Check(it.conf.shipment.ID); err != nil {
				return fmt.Errorf("shipment %s: %w", it.conf.shipment.ID, err)
			}
		}
		return nil
	})
	feedID, _, err := client.CreateFeed(fenced, CreateFeedRequest{FeedType: FeedTypeOrderFulfillment, MarketplaceIDs: []string{mkt}, InputFeedDocumentID: doc})
	if err != nil {
		var er *ErrorResponse
		if isLeaseLost(err) || errors.Is(err, ErrRequest) || errors.Is(err, ErrMarketplace) || errors.As(err, &er) && er.StatusCode < 500 {
			// Refused: no feed exists, so the notes would only cost the
			// next run a read.
			for _, it := range items {
				if nerr := it.run.SetNote(ctx, it.conf.shipment.ID, ""); nerr != nil {
					f.base.logger.WarnContext(ctx, "amazon: could not clear a feed note", "shipment", it.conf.shipment.ID, "error", nerr)
				}
			}
			reason := "Amazon refused the feed; nothing was submitted: " + err.Error()
			if isLeaseLost(err) {
				reason = "the feed was not submitted: a ledger lease of its packages was lost meanwhile; the next run tries again: " + err.Error()
			}
			fail(items, reason, err)
			return
		}
		b.st.markUnsure()
		for _, it := range items {
			it.result, it.verdict = failedResult("createFeed's outcome is unknown: "+err.Error()+"; the next run looks for the packages on their orders before sending them again", err), verdictUnknown
		}
		return
	}
	f.base.logger.InfoContext(ctx, "amazon feed submitted", "feed", feedID, "store", b.store, "packages", len(items))
	for _, it := range items {
		if err := it.run.SetNote(ctx, it.conf.shipment.ID, submittedNote(feedID, it.message())); err != nil {
			// The pending note stays: the next run reads the order.
			f.base.logger.WarnContext(ctx, "amazon: could not record the feed of a package", "feed", feedID, "shipment", it.conf.shipment.ID, "error", err)
		}
	}
	o, err := b.st.outcome(ctx, feedID, func(ctx context.Context) (*Feed, *ProcessingReport, error) {
		return f.fetchOutcome(ctx, client, feedID, f.pollFirst)
	})
	if err != nil {
		reason := fmt.Sprintf("feed %s was submitted but its outcome is unknown (%v); the next run reads its report", feedID, err)
		for _, it := range items {
			it.result, it.verdict = failedResult(reason, &FeedError{FeedID: feedID, Message: it.message(), Cause: err}), verdictUnknown
		}
		return
	}
	for _, it := range items {
		it.result, it.verdict = judge(o, feedID, it.message())
		if it.verdict == verdictApplied {
			it.result.State = tracking.Pushed
		}
	}
}

// message is the item's MessageID in its feed: its place in the batch.
func (it *feedItem) message() int { return it.msgID }

// upload creates the feed document, notes every package as pending in it,
// fences them and uploads the feed. A package whose lease was lost on
// the way is left out (the document is made again without it). It
// returns the document and the packages it carries.
func (f *FeedExporter) upload(ctx context.Context, client *Client, seller string, items []*feedItem) (string, []*feedItem, error) {
	for range 3 {
		doc, _, err := client.CreateFeedDocument(ctx, FeedContentType)
		if err != nil {
			return "", items, err
		}
		kept := items[:0:0]
		for i, it := range items {
			it.msgID = i + 1
			if err := it.run.SetNote(ctx, it.conf.shipment.ID, pendingNote(doc.FeedDocumentID, it.msgID)); err != nil {
				it.result, it.verdict = failedResult("the ledger lease on the shipment was lost before the feed was sent; the next run tries again", err), verdictNotApplied
				continue
			}
			kept = append(kept, it)
		}
		msgs := make([]feedMessage, len(kept))
		for i, it := range kept {
			msgs[i] = fulfillmentMessage(it.msgID, it.orderID, it.conf.request)
		}
		if len(kept) == 0 {
			return "", nil, nil
		}
		content, err := buildFulfillmentFeed(seller, msgs)
		if err != nil {
			return "", kept, err
		}
		if err := client.UploadFeedDocument(ctx, doc, FeedContentType, content); err != nil {
			return "", kept, err
		}
		// The fence: right before createFeed, every package must still be
		// this run's.
		fenced := slices.DeleteFunc(slices.Clone(kept), func(it *feedItem) bool {
			if err := it.run.Check(it.conf.shipment.ID); err != nil {
				it.result, it.verdict = failedResult("the ledger lease on the shipment was lost before the feed was sent; the next run tries again", err), verdictNotApplied
				return true
			}
			return false
		})
		if len(fenced) == len(kept) {
			return doc.FeedDocumentID, kept, nil
		}
		items = fenced
	}
	return "", nil, nil
}

// recover finds what became of a package an earlier run put in a feed.
func (f *FeedExporter) recover(ctx context.Context, client *Client, st *feedStore, note feedNote, c *confirmation) (tracking.ShipmentResult, verdict) {
	o, err := st.outcome(ctx, note.id, func(ctx context.Context) (*Feed, *ProcessingReport, error) {
		return f.fetchOutcome(ctx, client, note.id, 0)
	})
	if err != nil {
		var er *ErrorResponse
		if errors.As(err, &er) && er.StatusCode == http.StatusNotFound {
			// Gone: feeds are kept 90 days.
			return tracking.ShipmentResult{Reason: fmt.Sprintf("feed %s that carried this package is no longer on Amazon", note.id)}, verdictExplain
		}
		return failedResult(fmt.Sprintf("feed %s carries this package, but its outcome could not be read (%v); the next run tries again", note.id, err),
			&FeedError{FeedID: note.id, Message: note.message, Cause: err}), verdictUnknown
	}
	return judge(o, note.id, note.message)
}

// judge reads one message's fate in a feed's outcome.
func judge(o *feedOutcome, feedID string, msg int) (tracking.ShipmentResult, verdict) {
	switch o.feed.ProcessingStatus {
	case "CANCELLED":
		err := &FeedError{FeedID: feedID, Message: msg, Status: "CANCELLED"}
		return failedResult(fmt.Sprintf("feed %s was cancelled before Amazon processed it: nothing in it was applied; the next run sends the package again", feedID), err), verdictNotApplied
	case "FATAL":
		// "Some, none, or all of the operations within the feed may have
		// completed successfully" (feeds_2021-06-30.json Feed).
		err := &FeedError{FeedID: feedID, Message: msg, Status: "FATAL"}
		return failedResult(fmt.Sprintf("Amazon processed feed %s as FATAL, which may have applied some of its messages: the package is looked for on its order before it is sent again", feedID), err), verdictExplain
	}
	out := tracking.ShipmentResult{State: tracking.Pushed, RemoteID: fmt.Sprintf("feed:%s/%d", feedID, msg)}
	for _, v := range slices.Concat(o.results[0], o.results[msg]) {
		text := fmt.Sprintf("feed %s message %d: %s %s: %s", feedID, msg, v.ResultCode, v.ResultMessageCode, v.ResultDescription)
		if v.ResultCode != "Error" {
			out.Warnings = append(out.Warnings, text)
			continue
		}
		err := &FeedError{FeedID: feedID, Message: msg, Status: o.feed.ProcessingStatus, Result: v}
		r := failedResult("Amazon refused the package: "+text, err)
		if classifyResult(v) == refusalRequest {
			return r, verdictRefused
		}
		return r, verdictExplain
	}
	return out, verdictApplied
}

// fetchOutcome waits until Amazon is done with a feed and reads its
// report when it is DONE.
func (f *FeedExporter) fetchOutcome(ctx context.Context, client *Client, feedID string, first time.Duration) (*Feed, *ProcessingReport, error) {
	feed, err := f.await(ctx, client, feedID, first)
	if err != nil {
		return nil, nil, err
	}
	if feed.ProcessingStatus != "DONE" {
		return feed, nil, nil
	}
	report, err := f.report(ctx, client, feed)
	if err != nil {
		return nil, nil, fmt.Errorf("feed %s is done but its report could not be read: %w", feedID, err)
	}
	return feed, report, nil
}

// poll waits, checking at once, until Amazon is done with a feed.
func (f *FeedExporter) poll(ctx context.Context, client *Client, feedID string) (*Feed, error) {
	return f.await(ctx, client, feedID, 0)
}

// await polls a feed, first after the given wait, then with growing
// intervals, until Amazon is done with it.
func (f *FeedExporter) await(ctx context.Context, client *Client, feedID string, first time.Duration) (*Feed, error) {
	wait := f.pollFirst
	for next := first; ; next = wait {
		if err := ctxtime.Sleep(ctx, next); err != nil {
			return nil, err
		}
		feed, _, err := client.GetFeed(ctx, feedID)
		if err != nil {
			return nil, err
		}
		if feed.Finished() {
			return feed, nil
		}
		if next > 0 {
			wait = min(2*next, f.pollMax)
		}
	}
}

func (f *FeedExporter) report(ctx context.Context, client *Client, feed *Feed) (*ProcessingReport, error) {
	if feed.ResultFeedDocumentID == "" {
		return nil, errors.New("amazon: no result document")
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

// FeedError is a package's failure in a feed: refused by the processing
// report, or in a feed that ended FATAL or CANCELLED, or whose outcome
// could not be read.
type FeedError struct {
	FeedID  string
	Message int          // the package's MessageID in the feed
	Status  string       // the feed's processingStatus, when known
	Result  ReportResult // the report's Error result, when it refused the message
	Cause   error        // why the outcome is unknown, when it is
}

// Error describes the problem for a person; it never holds a secret.
func (e *FeedError) Error() string {
	switch {
	case e.Cause != nil:
		return fmt.Sprintf("amazon: feed %s message %d: outcome unknown: %v", e.FeedID, e.Message, e.Cause)
	case e.Result.ResultCode != "":
		return fmt.Sprintf("amazon: feed %s message %d: %s %s: %s", e.FeedID, e.Message, e.Result.ResultCode, e.Result.ResultMessageCode, e.Result.ResultDescription)
	}
	return fmt.Sprintf("amazon: feed %s ended %s", e.FeedID, e.Status)
}

// Unwrap returns the cause of an unknown outcome.
func (e *FeedError) Unwrap() error { return e.Cause }

// Retryable implements the tracking.Classify contract: a package of a
// FATAL, cancelled or unread feed can be sent again; one the report
// refused for its content cannot, until its data changes.
func (e *FeedError) Retryable() bool {
	if e.Cause != nil || e.Result.ResultCode == "" {
		return true
	}
	return classifyResult(e.Result) == refusalExplain
}
