package main

import (
	"bytes"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"sync"
)

// gidMap pairs the Shopify global ids of the input orders with the ids the
// fake Admin API gave the orders seeded from them: shopifytest makes its
// own ids, while the input names the shop's real ones. Requests are
// rewritten input → fake and answers fake → input, so the exporters, and
// the dry run's printout, see the input's ids. Ids the fake made for
// objects the input does not name (fulfillment orders, fulfillments) pass
// unchanged.
type gidMap struct {
	mu     sync.RWMutex
	toFake map[string]string
	toReal map[string]string
}

var gidPattern = regexp.MustCompile(`gid://shopify/[A-Za-z]+/[0-9]+`)

func newGIDMap() *gidMap {
	return &gidMap{toFake: map[string]string{}, toReal: map[string]string{}}
}

func (g *gidMap) pair(real, fake string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.toFake[real], g.toReal[fake] = fake, real
}

// rewrite replaces every global id that m holds, in one pass, so that an
// id is never rewritten twice.
func (g *gidMap) rewrite(data []byte, m map[string]string) []byte {
	g.mu.RLock()
	defer g.mu.RUnlock()
	return gidPattern.ReplaceAllFunc(data, func(id []byte) []byte {
		if to, ok := m[string(id)]; ok {
			return []byte(to)
		}
		return id
	})
}

// transport rewrites the bodies of requests and answers that pass through
// next.
func (g *gidMap) transport(next http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(req *http.Request) (*http.Response, error) {
		if req.Body != nil {
			body, err := io.ReadAll(req.Body)
			req.Body.Close()
			if err != nil {
				return nil, err
			}
			body = g.rewrite(body, g.toFake)
			req = req.Clone(req.Context())
			req.Body = io.NopCloser(bytes.NewReader(body))
			req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
			req.ContentLength = int64(len(body))
			req.Header.Set("Content-Length", strconv.Itoa(len(body)))
		}
		resp, err := next.RoundTrip(req)
		if err != nil {
			return nil, err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		body = g.rewrite(body, g.toReal)
		resp.Body = io.NopCloser(bytes.NewReader(body))
		resp.ContentLength = int64(len(body))
		resp.Header.Del("Content-Length")
		return resp, nil
	})
}

// roundTripFunc is an http.RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }
