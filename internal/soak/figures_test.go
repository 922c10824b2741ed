package soak

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopctrl/tracksync/tracking"
)

// observer counts what the Syncers and the channel clients report.
type observer struct {
	mu        sync.Mutex
	requests  int // attempts the clients reported
	retries   int // attempts after the first
	throttled int // attempts refused for rate
	results   tally
	longest   time.Duration // the longest order sync
	overLease int           // shipment results of orders that took longer than the lease
	// hook runs once, in its own goroutine, when the hookAt-th shipment
	// result arrives.
	hookAt int
	hook   func()
	seen   int
	// history is every result each shipment got, tagged with the Syncer
	// that gave it, for explaining a finding.
	history map[string][]string
}

// tagged is the observer as one Syncer reports to it.
type tagged struct {
	*observer
	tag string
}

func (o tagged) ShipmentDone(ctx context.Context, e tracking.ShipmentEvent) {
	o.observer.ShipmentDone(ctx, e)
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.history == nil {
		o.history = map[string][]string{}
	}
	r := e.Result
	o.history[r.ShipmentID] = append(o.history[r.ShipmentID], fmt.Sprintf("%s %s: %s %s %s", time.Now().Format("15:04:05.000"), o.tag, r.State, r.RemoteID, r.Reason))
}

// afterShipments arranges for f to run once n shipment results arrived.
func (o *observer) afterShipments(n int, f func()) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.hookAt, o.hook = n, f
}

func (o *observer) ShipmentDone(_ context.Context, e tracking.ShipmentEvent) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.results == nil {
		o.results = tally{}
	}
	o.results[e.Result.State]++
	o.longest = max(o.longest, e.Duration)
	if e.Duration > leaseTTL {
		o.overLease++
	}
	if o.seen++; o.seen == o.hookAt && o.hook != nil {
		go o.hook()
	}
}

func (o *observer) RequestDone(_ context.Context, e tracking.RequestEvent) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.requests++
	if e.Attempt > 1 {
		o.retries++
	}
	if e.Throttled {
		o.throttled++
	}
}

// logFigures writes the soak's figures: what it cost and what it found.
func (w *world) logFigures(t *testing.T, wall time.Duration, rounds int, obs *observer, r *report) {
	shopTotal, shopFaults := w.shopChaos.dice.stats()
	amzTotal, amzFaults := w.amzChaos.dice.stats()
	var faults []string
	injected := 0
	for k := range numFaultKinds {
		n := shopFaults[k] + amzFaults[k]
		injected += n
		faults = append(faults, fmt.Sprintf("%s %d", faultNames[k], n))
	}
	obs.mu.Lock()
	defer obs.mu.Unlock()
	t.Logf("soak figures: %d shipments in %d orders, %d rounds, wall %s", len(w.expect), len(w.orders), rounds, wall.Round(time.Millisecond))
	t.Logf("  requests: %d (Shopify %d, Amazon %d); faults injected %d: %s", shopTotal+amzTotal, shopTotal, amzTotal, injected, strings.Join(faults, ", "))
	t.Logf("  throttled by the fakes' own buckets: Shopify %d, Amazon %d", w.shopSrv.Throttled(), w.amzSrv.Throttled())
	t.Logf("  client attempts reported to the Observer: %d, retries %d, throttled %d", obs.requests, obs.retries, obs.throttled)
	t.Logf("  shipment results over all rounds: %v; %d from orders that took longer than the %s lease (longest %s)",
		obs.results, obs.overLease, leaseTTL, obs.longest.Round(time.Millisecond))
	t.Logf("  on the fakes: checked %d, duplicates %d, lost %d, wrong %d, Amazon package edits %d", r.checked, r.duplicates, r.lost, r.wrong, r.edits)
	for _, p := range r.problems {
		t.Logf("  problem: %s", p)
	}
	for _, id := range r.suspects {
		t.Logf("  history of %s:", id)
		for _, h := range obs.history[id] {
			t.Logf("    %s", h)
		}
		e := w.expect[id]
		if e.channel != tracking.ChannelAmazon {
			continue
		}
		for _, f := range w.amzSrv.Feeds() {
			if strings.Contains(string(f.Input), e.trackingNumber) {
				t.Logf("    feed %s of %s: %s, created %s, processed %s..%s", f.FeedID, f.Seller, f.ProcessingStatus,
					f.CreatedTime.Format("15:04:05.000"), f.ProcessingStartTime.Format("15:04:05.000"), f.ProcessingEndTime.Format("15:04:05.000"))
			}
		}
	}
}
