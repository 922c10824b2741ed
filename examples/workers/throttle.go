package main

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"
)

// throttleCounter is an http.RoundTripper that counts, per store, the
// answers that refused a request for rate: Shopify's THROTTLED (HTTP 200
// with that error code, or 429) and Amazon's 429 QuotaExceeded. A worker's
// Shopify pacer learns a shop's bucket from the shop's first answer; a
// THROTTLED after that means the shop was paced in two places, or badly.
type throttleCounter struct {
	next http.RoundTripper

	mu       sync.Mutex
	answered map[string]bool // stores that answered this worker before
	counts   throttleCounts
}

// throttleCounts are a worker's channel answers.
type throttleCounts struct {
	Requests         int `json:"requests"`          // HTTP answers from the channels
	ShopifyThrottled int `json:"shopify_throttled"` // THROTTLED after the shop's first answer to this worker
	ShopifyFirst     int `json:"shopify_first"`     // THROTTLED as the shop's first answer to this worker
	Amazon429        int `json:"amazon_429"`        // QuotaExceeded answers
}

func newThrottleCounter(next http.RoundTripper) *throttleCounter {
	return &throttleCounter{next: next, answered: map[string]bool{}}
}

var throttledCode = []byte(`"THROTTLED"`)

// RoundTrip implements http.RoundTripper.
func (c *throttleCounter) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := c.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	throttled := resp.StatusCode == http.StatusTooManyRequests
	if !throttled && req.Header.Get("X-Shopify-Access-Token") != "" {
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		throttled = bytes.Contains(body, throttledCode)
	}
	c.record(storeOf(req), throttled)
	return resp, nil
}

// storeOf names the store a request is for: the shop's domain (the Host),
// or the seller's access token, which only this process's map ever sees.
func storeOf(req *http.Request) string {
	if tok := req.Header.Get("x-amz-access-token"); tok != "" {
		return "amazon:" + tok
	}
	if req.Header.Get("X-Shopify-Access-Token") != "" {
		return "shopify:" + req.Host
	}
	return "other:" + req.URL.Path // Login with Amazon
}

func (c *throttleCounter) record(store string, throttled bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counts.Requests++
	switch {
	case !throttled:
	case strings.HasPrefix(store, "amazon:"):
		c.counts.Amazon429++
	case c.answered[store]:
		c.counts.ShopifyThrottled++
	default:
		c.counts.ShopifyFirst++
	}
	c.answered[store] = true
}

func (c *throttleCounter) totals() throttleCounts {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.counts
}
