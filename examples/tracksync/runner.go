package main

import (
	"context"
	"fmt"
	"time"

	"github.com/shopctrl/tracksync/mapping"
	"github.com/shopctrl/tracksync/tracking"
)

// runner runs passes over one ledger, against the channels or the fakes.
type runner struct {
	s        *session
	ledger   *openedLedger
	creds    *credentials
	fakes    *fakes // -fake
	progress *progress
	stats    *stats
}

func newRunner(s *session, ledger *openedLedger, creds *credentials) *runner {
	r := &runner{s: s, ledger: ledger, creds: creds, progress: newProgress(s.stderr, isTerminal(s.stderr)), stats: &stats{}}
	if s.opts.fake {
		r.fakes = startFakes()
		if !s.opts.json {
			fmt.Fprintf(s.stderr, "fake channels: Shopify at %s, Amazon at %s\n", r.fakes.shopify.URL(), r.fakes.amazon.URL())
		}
	}
	return r
}

func (r *runner) close() {
	if r.fakes != nil {
		r.fakes.close()
	}
}

// channels returns the stores' credentials and how to reach the channels.
func (r *runner) channels(ctx context.Context, m *mapping.Static, orders []tracking.Order) (storeCredentials, channelConfig, problems) {
	o := r.s.opts
	cc := channelConfig{shopifyURL: o.shopifyURL, amazonURL: o.amazonURL, amazonLWA: testLWAEndpoint(o.amazonURL),
		shopifyVersion: o.shopifyVersion, feeds: o.feeds, feedBatch: o.concurrency}
	if r.fakes == nil {
		sc, ps := resolveCredentials(orders, r.creds)
		return sc, cc, ps
	}
	for _, note := range r.fakes.seed(ctx, m, orders) {
		fmt.Fprintln(r.s.stderr, "fake channels:", note)
	}
	cc.shopifyURL, cc.amazonURL, cc.amazonLWA = r.fakes.shopify.URL(), r.fakes.amazon.URL(), r.fakes.amazon.LWAEndpoint()
	cc.shopifyTransport = r.fakes.ids.transport(r.fakes.shopify.Client().Transport)
	cc.feedPoll = 100 * time.Millisecond
	return r.fakes.credentials(), cc, nil
}

// pass syncs the orders once. Problems mean nothing was sent.
func (r *runner) pass(ctx context.Context, n int, m *mapping.Static, b batch) (passReport, problems) {
	sc, cc, ps := r.channels(ctx, m, b.orders)
	if len(ps) > 0 {
		return passReport{}, ps
	}
	exporters, err := newExporters(m, sc, cc)
	if err != nil {
		return passReport{}, problems{{Where: "channels", Problem: err.Error()}}
	}
	syncer, err := tracking.NewSyncer(append(r.ledger.syncerOptions(),
		tracking.WithExporters(gate(ctx.Done(), nil, exporters)...),
		tracking.WithConcurrency(r.s.opts.concurrency),
		tracking.WithLogger(newLogger(r.progress, r.s.opts.logLevel)),
		tracking.WithObserver(r.stats),
	)...)
	if err != nil {
		return passReport{}, problems{{Where: "syncer", Problem: err.Error()}}
	}

	started := time.Now()
	r.stats.take()
	r.progress.begin(len(b.orders))
	finished := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			r.progress.interrupted()
		case <-finished:
		}
	}()
	// The orders in flight finish even when ctx ends: the gate keeps the
	// rest from starting.
	results := make([]tracking.OrderResult, len(b.orders))
	for i, res := range syncer.Stream(context.WithoutCancel(ctx), b.orders) {
		results[i] = res
		r.progress.add(res)
	}
	close(finished)
	r.progress.end()
	return newReport(n, started, results, leftOver(results), r.stats.take()), nil
}

// leftOver reports whether an interruption left shipments for the next
// run.
func leftOver(results []tracking.OrderResult) bool {
	for _, or := range results {
		for _, res := range or.Results {
			for _, s := range res.Shipments {
				if s.State == tracking.Waiting && s.Reason == notAttempted {
					return true
				}
			}
		}
	}
	return false
}
