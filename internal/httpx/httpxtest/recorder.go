// Package httpxtest has test servers for the HTTP clients of this module.
package httpxtest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// Request is what a Recorder kept of one request.
type Request struct {
	Method string
	Path   string
	Header http.Header
	Body   string
}

// Recorder is an httptest.Server that remembers every request before
// handing it to its handler; tests use it as the host that must (or must
// not) receive something.
type Recorder struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []Request
}

// NewRecorder starts a Recorder that answers with h (200 and no body when h
// is nil) and closes it when the test ends.
func NewRecorder(t testing.TB, h http.HandlerFunc) *Recorder {
	t.Helper()
	r := &Recorder{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.reqs = append(r.reqs, Request{req.Method, req.URL.Path, req.Header.Clone(), string(body)})
		r.mu.Unlock()
		if h != nil {
			h(w, req)
		}
	}))
	t.Cleanup(r.Close)
	return r
}

// Requests returns the requests received so far, oldest first.
func (r *Recorder) Requests() []Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Request(nil), r.reqs...)
}

// RedirectTo answers every request with status and Location: to.
func RedirectTo(status int, to string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Location", to)
		w.WriteHeader(status)
	}
}
