package amazon

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/shopctrl/tracksync/tracking"
)

// feedBatch is the packages of one store on their way into one feed.
type feedBatch struct {
	store string
	st    *feedStore
	items []*feedItem
	full  chan struct{} // closed when the batch reached its size
	done  chan struct{} // closed when every item has its result
}

// feedItem is one package in a batch.
type feedItem struct {
	orderID string // Amazon order id
	conf    *confirmation
	run     *tracking.Run // the run of the Export that sent it, for its notes and fence
	warn    []string
	result  tracking.ShipmentResult
	verdict verdict // what the feed did with it
	msgID   int     // its MessageID in the feed
}

// verdict is what a feed did with one message.
type verdict int

const (
	verdictApplied    verdict = iota // on Amazon
	verdictRefused                   // refused for the request itself: result says why
	verdictExplain                   // refused or maybe applied: the order tells
	verdictNotApplied                // nothing of it reached Amazon (cancelled feed, not submitted)
	verdictUnknown                   // the feed's outcome could not be learned: the note stays for the next run
)

// Export implements tracking.Exporter.
func (f *FeedExporter) Export(ctx context.Context, o tracking.Order) (tracking.Result, error) {
	res := tracking.Result{Exporter: "amazon-feed", Channel: Channel, Shipments: make([]tracking.ShipmentResult, len(o.Shipments))}
	for i, s := range o.Shipments {
		res.Shipments[i].ShipmentID = s.ID
	}
	confs := f.base.prepare(ctx, o, res.Shipments)
	if len(confs) == 0 {
		return res, nil
	}
	set := func(c *confirmation, r tracking.ShipmentResult, warn []string) {
		r.ShipmentID = c.shipment.ID
		r.Warnings = slices.Concat(c.warnings, warn, r.Warnings)
		res.Shipments[c.index] = r
	}
	seller, mkt, _ := SplitStore(o.Store) // prepare checked it
	client, err := f.base.sellers.Client(ctx, seller)
	if err != nil {
		for _, c := range confs {
			set(c, failedResult(err.Error(), err), nil)
		}
		return res, nil
	}
	st := f.store(o.Store, seller, mkt)
	run := tracking.RunFrom(ctx)
	var send, read []*feedItem
	for _, c := range confs {
		it := &feedItem{orderID: o.ChannelOrderID, conf: c, run: run}
		switch note := parseNote(run.Note(c.shipment.ID)); note.kind {
		case noteFeed:
			r, v := f.recover(ctx, client, st, note, c)
			switch v {
			case verdictApplied:
				r.State = tracking.AlreadyPushed // by the earlier run's feed
				set(c, r, nil)
			case verdictUnknown:
				set(c, r, nil)
			case verdictExplain:
				it.warn = append(it.warn, r.Reason)
				read = append(read, it)
			case verdictRefused, verdictNotApplied:
				// Not on Amazon: send it again (the host may have fixed
				// what Amazon refused).
				send = append(send, it)
			}
		case notePending:
			it.warn = append(it.warn, "a feed may have been created with this package (createFeed's outcome was not known)")
			read = append(read, it)
		default:
			if st.needsRead(ctx, client, c.shipment.ShippedAt) {
				it.warn = append(it.warn, "the ledger holds nothing of this package and it was dispatched before a feed of this seller that this process did not send (a lost ledger, or another tool's feed)")
				read = append(read, it)
			} else {
				send = append(send, it)
			}
		}
	}
	if len(read) > 0 {
		if err := st.settle(ctx, client, f.poll); err != nil {
			for _, it := range read {
				set(it.conf, failedResult("could not wait for this seller's feeds in flight before reading the order; the next run tries again: "+err.Error(), err), it.warn)
			}
		} else {
			v := &orderView{client: client, seller: seller, orderID: o.ChannelOrderID, confs: confs, used: map[string]bool{}}
			for _, it := range read {
				if r, done := f.reconcile(ctx, v, it); done {
					set(it.conf, r, it.warn)
				} else {
					send = append(send, it)
				}
			}
		}
	}
	if len(send) == 0 {
		return res, nil
	}
	if err := f.join(ctx, o.Store, st, send); err != nil {
		return tracking.Result{Exporter: res.Exporter, Channel: res.Channel}, err
	}
	// Messages Amazon refused in a way the order explains: read it, now
	// that the feed is done.
	v := &orderView{client: client, seller: seller, orderID: o.ChannelOrderID, confs: confs, used: map[string]bool{}}
	for _, it := range send {
		r := it.result
		if it.verdict == verdictExplain {
			if rr, done := f.reconcile(ctx, v, it); done {
				r = rr
			}
		}
		set(it.conf, r, it.warn)
	}
	return res, nil
}

// reconcile reads the order (once per Export) for an item and says
// whether that settles it: pending, cancelled, or already on Amazon. The
// result says how long the read took.
func (f *FeedExporter) reconcile(ctx context.Context, v *orderView, it *feedItem) (tracking.ShipmentResult, bool) {
	start, fresh := time.Now(), v.ao == nil
	r, done := v.reconcile(ctx, it.conf)
	if took := time.Since(start); fresh {
		it.warn = append(it.warn, fmt.Sprintf("read order %s first to reconcile; the read took %s (getOrder's usage plan allows %.1f a second)",
			v.orderID, took.Round(time.Millisecond), v.client.plans[opGetOrder].Rate))
	}
	return r, done
}

// store returns the state of a store's feeds.
func (f *FeedExporter) store(store, seller, mkt string) *feedStore {
	f.mu.Lock()
	defer f.mu.Unlock()
	st := f.stores[store]
	if st == nil {
		st = &feedStore{seller: seller, marketplace: mkt, outcomes: map[string]*feedOutcome{}}
		f.stores[store] = st
	}
	return st
}

// join adds items to the store's open batch and waits for their results:
// the Export that opens a batch submits it.
func (f *FeedExporter) join(ctx context.Context, store string, st *feedStore, items []*feedItem) error {
	f.mu.Lock()
	b, leader := f.open[store], false
	if b == nil {
		b = &feedBatch{store: store, st: st, full: make(chan struct{}), done: make(chan struct{})}
		f.open[store], leader = b, true
	}
	b.items = append(b.items, items...)
	if len(b.items) >= f.batchSize {
		delete(f.open, store)
		close(b.full)
	}
	f.mu.Unlock()

	if !leader {
		select {
		case <-b.done:
			return nil
		case <-ctx.Done():
			// The notes written for these packages let the next run find
			// them, whatever the batch does.
			return ctx.Err()
		}
	}
	timer := time.NewTimer(f.batchWait)
	select {
	case <-b.full:
	case <-timer.C:
	case <-ctx.Done():
	}
	timer.Stop()
	f.mu.Lock()
	if f.open[store] == b {
		delete(f.open, store)
	}
	f.mu.Unlock()
	// The batch carries other orders' packages: it completes even if this
	// caller's context ended.
	f.submit(context.WithoutCancel(ctx), b)
	close(b.done)
	return nil
}
