package shopifytest

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
)

// ErrDropped is the transport error Transport returns for a request whose
// connection the fake dropped (Fault.DropBeforeCommit, DropAfterCommit):
// the in-process counterpart of a connection reset.
var ErrDropped = errors.New("shopifytest: connection dropped without an answer")

// Transport returns an http.RoundTripper that hands every request to the
// fake in the calling goroutine, whatever its URL: no listener, no
// connection. Give it to a client with an http.Client; the request's Host
// names the shop, as on the wire. Use it with NewInProcess inside
// testing/synctest bubbles, where the bubble's fake clock then drives the
// buckets, the latency and the client's waits alike.
func (s *Server) Transport() http.RoundTripper { return roundTripper{s} }

type roundTripper struct{ s *Server }

// RoundTrip implements http.RoundTripper.
func (rt roundTripper) RoundTrip(req *http.Request) (resp *http.Response, err error) {
	if req.Body != nil {
		defer req.Body.Close()
	}
	// The handler sees a server-side request: a body that is never nil, and
	// the host the client named.
	in := req.Clone(req.Context())
	if in.Body == nil {
		in.Body = http.NoBody
	}
	if in.Host == "" {
		in.Host = req.URL.Host
	}
	rec := httptest.NewRecorder()
	defer func() {
		if p := recover(); p != nil {
			if p != http.ErrAbortHandler { //nolint:errorlint // net/http panics with this exact value
				panic(p)
			}
			resp, err = nil, fmt.Errorf("%s %s: %w", req.Method, req.URL, ErrDropped)
		}
	}()
	rt.s.serveHTTP(rec, in)
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	out := rec.Result()
	out.Request = req
	return out, nil
}
