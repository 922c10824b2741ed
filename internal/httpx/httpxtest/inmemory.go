package httpxtest

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
)

// InMemory is an http.RoundTripper that hands each request to a handler in
// the same goroutine, with no network: clients built on it run inside
// testing/synctest bubbles (where a backoff of hours passes at once) and in
// fuzz targets at thousands of requests a second.
type InMemory struct {
	// Max, when positive, is how many requests reach the handler; later
	// ones fail with ErrTooManyRequests. A client stuck in a loop against
	// an answer that never changes makes no progress in fake time, so
	// without a bound a synctest bubble would spin for ever.
	Max int

	handler http.Handler
	n       atomic.Int64
}

// ErrTooManyRequests is the transport error of a request past InMemory.Max.
var ErrTooManyRequests = errors.New("httpxtest: more requests than the test allows")

// NewInMemory returns an InMemory answering with h.
func NewInMemory(h http.Handler) *InMemory { return &InMemory{handler: h} }

// RoundTrip implements http.RoundTripper.
func (m *InMemory) RoundTrip(req *http.Request) (*http.Response, error) {
	if n := m.n.Add(1); m.Max > 0 && n > int64(m.Max) {
		return nil, ErrTooManyRequests
	}
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	rec := httptest.NewRecorder()
	m.handler.ServeHTTP(rec, req)
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}

// Requests returns how many requests were made, including those refused
// for a done context or past Max.
func (m *InMemory) Requests() int { return int(m.n.Load()) }

// Client returns an *http.Client that sends through m.
func (m *InMemory) Client() *http.Client { return &http.Client{Transport: m} }
