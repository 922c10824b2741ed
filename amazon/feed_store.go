package amazon

import (
	"context"
	"slices"
	"sync"
	"time"
)

// feedStore is what a FeedExporter knows of one store's feeds in this
// process: the horizon (the newest order fulfillment feed created before
// this process first sent one, which the ledger may not know of), the
// feeds that were in flight then, and the outcome of every feed a note
// names.
type feedStore struct {
	seller, marketplace string

	mu       sync.Mutex
	loaded   bool
	horizon  time.Time
	inflight []string // feed ids not yet DONE, FATAL or CANCELLED
	unsure   bool     // a createFeed of this process had an unknown outcome
	outcomes map[string]*feedOutcome
}

// clockLeeway absorbs a difference between the host's clock (ShippedAt)
// and Amazon's (a feed's createdTime).
const clockLeeway = 5 * time.Minute

// needsRead reports whether a shipment that no note ties to a feed may
// still be in one the ledger does not know: one created before this
// process's first feed, after the shipment was dispatched (a feed carries
// only what was dispatched before it was created). A lost ledger is
// exactly that case. It loads the horizon with getFeeds once; when that
// fails, every such shipment is read.
func (st *feedStore) needsRead(ctx context.Context, client *Client, shippedAt time.Time) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	if !st.loaded {
		if err := st.load(ctx, client); err != nil {
			client.logger.WarnContext(ctx, "amazon: could not list earlier feeds; shipments are reconciled with their orders before they are sent", "seller", st.seller, "error", err)
			return true
		}
	}
	return !st.horizon.IsZero() && !shippedAt.After(st.horizon.Add(clockLeeway))
}

// load lists the store's order fulfillment feeds (the last 90 days, which
// is all Amazon keeps). The caller holds mu.
func (st *feedStore) load(ctx context.Context, client *Client) error {
	feeds, err := client.GetFeeds(ctx, FeedQuery{FeedTypes: []string{FeedTypeOrderFulfillment}, MarketplaceIDs: []string{st.marketplace}})
	if err != nil {
		return err
	}
	st.loaded = true
	for _, f := range feeds {
		if t := f.Created(); t.After(st.horizon) {
			st.horizon = t
		}
		if !f.Finished() && !slices.Contains(st.inflight, f.FeedID) {
			st.inflight = append(st.inflight, f.FeedID)
		}
	}
	return nil
}

// settle waits until no feed that might carry a shipment being reconciled
// is still in flight: reading an order while such a feed is queued would
// find no package and send it a second time. It covers the feeds in
// flight when the horizon was loaded and, after a createFeed of this
// process had an unknown outcome, those in flight now.
func (st *feedStore) settle(ctx context.Context, client *Client, poll func(ctx context.Context, client *Client, feedID string) (*Feed, error)) error {
	st.mu.Lock()
	if !st.loaded || st.unsure {
		st.unsure = false
		feeds, err := client.GetFeeds(ctx, FeedQuery{FeedTypes: []string{FeedTypeOrderFulfillment}, MarketplaceIDs: []string{st.marketplace},
			ProcessingStatuses: []string{"IN_QUEUE", "IN_PROGRESS"}})
		if err != nil {
			st.unsure = true
			st.mu.Unlock()
			return err
		}
		for _, f := range feeds {
			if !slices.Contains(st.inflight, f.FeedID) {
				st.inflight = append(st.inflight, f.FeedID)
			}
		}
	}
	waitFor := slices.Clone(st.inflight)
	st.mu.Unlock()
	for _, id := range waitFor {
		if _, err := poll(ctx, client, id); err != nil {
			return err
		}
		st.mu.Lock()
		st.inflight = slices.DeleteFunc(st.inflight, func(s string) bool { return s == id })
		st.mu.Unlock()
	}
	return nil
}

// markUnsure records a createFeed whose outcome is unknown.
func (st *feedStore) markUnsure() {
	st.mu.Lock()
	st.unsure = true
	st.mu.Unlock()
}

// feedOutcome is a submitted feed's end: its status and, when DONE, its
// processing report. It is fetched once for all the shipments it carries.
type feedOutcome struct {
	done    chan struct{}
	feed    *Feed
	results map[int][]ReportResult // by message id; 0 is the whole document
	err     error
}

// outcome returns the outcome of a feed, fetching it with fetch once.
func (st *feedStore) outcome(ctx context.Context, feedID string, fetch func(context.Context) (*Feed, *ProcessingReport, error)) (*feedOutcome, error) {
	st.mu.Lock()
	o := st.outcomes[feedID]
	leader := o == nil
	if leader {
		o = &feedOutcome{done: make(chan struct{})}
		st.outcomes[feedID] = o
	}
	st.mu.Unlock()
	if leader {
		// The fetch serves every shipment of the feed: it outlives a
		// cancelled caller.
		feed, report, err := fetch(context.WithoutCancel(ctx))
		o.set(feed, report)
		o.err = err
		if err != nil { // not cached: the next caller tries again
			st.mu.Lock()
			delete(st.outcomes, feedID)
			st.mu.Unlock()
		}
		close(o.done)
	}
	select {
	case <-o.done:
		return o, o.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// set records a feed and its report (nil unless DONE).
func (o *feedOutcome) set(feed *Feed, report *ProcessingReport) {
	o.feed = feed
	if report == nil {
		return
	}
	o.results = map[int][]ReportResult{}
	for _, r := range report.Results {
		o.results[r.MessageID] = append(o.results[r.MessageID], r)
	}
}
