package main

import (
	"context"
	"sync"
	"time"

	"github.com/shopctrl/tracksync/tracking"
)

// stats is the command's tracking.Observer: it counts the requests the
// clients send, for the summary. (Hosts that want these figures in their
// monitoring use tracking/otelmetrics the same way.)
type stats struct {
	mu sync.Mutex
	requestStats
}

// requestStats are the request figures of one pass.
type requestStats struct {
	Total     int            `json:"total"`
	ByChannel map[string]int `json:"by_channel,omitempty"`
	Throttled int            `json:"throttled"`
	Retries   int            `json:"retries"`
	Failed    int            `json:"failed"`
	Waited    float64        `json:"waited_seconds"` // in the clients' pacers, for rate limits
}

var _ tracking.Observer = (*stats)(nil)

// ShipmentDone implements tracking.Observer; the Syncer's results carry
// everything the summary needs about shipments.
func (s *stats) ShipmentDone(context.Context, tracking.ShipmentEvent) {}

// RequestDone implements tracking.Observer.
func (s *stats) RequestDone(_ context.Context, e tracking.RequestEvent) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ByChannel == nil {
		s.ByChannel = map[string]int{}
	}
	s.Total++
	s.ByChannel[string(e.Channel)]++
	if e.Throttled {
		s.Throttled++
	}
	if e.Attempt > 1 {
		s.Retries++
	}
	if e.Err != nil {
		s.Failed++
	}
	s.Waited += e.Wait.Seconds()
}

// take returns the figures so far and starts counting anew.
func (s *stats) take() requestStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.requestStats
	s.requestStats = requestStats{}
	out.Waited = float64(time.Duration(out.Waited*float64(time.Second)).Round(time.Millisecond)) / float64(time.Second)
	return out
}
