package soak

import (
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"
)

// faultKind is one way a request goes wrong in the soak.
type faultKind int

const (
	faultServerError  faultKind = iota // 500 or 503 before the request is processed
	faultThrottle                      // 429: refused for rate before processing
	faultDropBefore                    // connection closed before processing: safe to retry
	faultDropAfter                     // processed, writes applied, then the connection closed: the ambiguous write
	faultErrorAfter                    // processed, then a gateway answers 502: ambiguous too
	faultSlow                          // held a while: exports outlive the short leases
	faultTimeout                       // held past the client's timeout: nothing applied, the client gives up
	faultTokenExpired                  // Amazon: 403 "the access token you provided has expired"
	numFaultKinds
)

var faultNames = [numFaultKinds]string{"5xx before", "throttle", "drop before", "drop after commit", "5xx after commit", "slow", "timeout", "token expired"}

// faultWeights is how often each kind is picked, relative to the others.
var faultWeights = [numFaultKinds]int{20, 20, 10, 15, 15, 15, 3, 5}

// Timings of the soak's clients and faults.
const (
	clientTimeout = 2 * time.Second // per HTTP attempt (http.Client.Timeout)
	slowDelay     = 1100 * time.Millisecond
	timeoutDelay  = clientTimeout + 500*time.Millisecond
)

// chaos is the http.RoundTripper of a channel's clients: it makes a share
// of the requests fail. Most faults are queued in the fake itself just
// before the request goes out (the fakes' InjectFault acts on the next
// matching request, which is almost always this one), so they look
// exactly as the fake makes them look: statuses, bodies, Retry-After,
// dropped connections before or after a write commits. A 5xx after the
// commit is made here, as a gateway in front of the channel would.
type chaos struct {
	base http.RoundTripper
	// inject queues a fault of kind k in the fake for req; it reports
	// false when the kind does not apply to the request.
	inject func(req *http.Request, k faultKind) bool
	// latency is added to every request (a slow store's network).
	latency time.Duration
	dice    *dice // shared by a channel's transports
}

// dice decides which requests fail, and counts.
type dice struct {
	mu     sync.Mutex
	rng    *rand.Rand
	rate   float64
	counts [numFaultKinds]int
	total  int
}

func newChaos(seed uint64, rate float64, inject func(*http.Request, faultKind) bool) *chaos {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	return &chaos{base: tr, inject: inject, dice: &dice{rng: rand.New(rand.NewPCG(seed, 0x5eed)), rate: rate}}
}

// client returns an http.Client that sends through c.
func (c *chaos) client() *http.Client { return &http.Client{Transport: c, Timeout: clientTimeout} }

// slowed returns a transport that shares c's faults and connections and
// adds latency to every request: a slow store, whose exports outlast the
// short leases.
func (c *chaos) slowed(latency time.Duration) *chaos {
	return &chaos{base: c.base, inject: c.inject, latency: latency, dice: c.dice}
}

// RoundTrip implements http.RoundTripper.
func (c *chaos) RoundTrip(req *http.Request) (*http.Response, error) {
	if c.latency > 0 {
		t := time.NewTimer(c.latency)
		select {
		case <-t.C:
		case <-req.Context().Done():
			t.Stop()
			return nil, req.Context().Err()
		}
	}
	k, ok := c.dice.roll()
	if ok && k != faultErrorAfter && !c.inject(req, k) {
		k = faultServerError
		ok = c.inject(req, k)
	}
	if ok {
		c.dice.count(k)
	}
	resp, err := c.base.RoundTrip(req)
	if err != nil || !ok || k != faultErrorAfter {
		return resp, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return &http.Response{
		Status: "502 Bad Gateway", StatusCode: http.StatusBadGateway,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:  http.Header{"Content-Type": {"text/html"}},
		Body:    io.NopCloser(strings.NewReader("<html><body>502 Bad Gateway</body></html>")),
		Request: req,
	}, nil
}

// CloseIdleConnections lets clients drop broken keep-alive connections.
func (c *chaos) CloseIdleConnections() {
	c.base.(*http.Transport).CloseIdleConnections()
}

// setRate changes the share of requests that fail (0 for a calm phase).
func (d *dice) setRate(r float64) {
	d.mu.Lock()
	d.rate = r
	d.mu.Unlock()
}

// roll decides whether a request fails and how.
func (d *dice) roll() (faultKind, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.total++
	if d.rng.Float64() >= d.rate {
		return 0, false
	}
	sum := 0
	for _, w := range faultWeights {
		sum += w
	}
	n := d.rng.IntN(sum)
	for k, w := range faultWeights {
		if n < w {
			return faultKind(k), true
		}
		n -= w
	}
	return faultServerError, true
}

func (d *dice) count(k faultKind) {
	d.mu.Lock()
	d.counts[k]++
	d.mu.Unlock()
}

// stats returns how many requests went through and the faults by kind.
func (d *dice) stats() (total int, counts [numFaultKinds]int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.total, d.counts
}
