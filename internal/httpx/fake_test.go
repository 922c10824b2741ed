package httpx

import (
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// fakeTransport is an in-memory http.RoundTripper. It never touches the
// network, so clients using it can run inside testing/synctest bubbles where
// time.Now and timers are fake and a backoff of minutes completes instantly.
type fakeTransport struct {
	// respond produces the outcome of attempt n (0-based).
	respond func(n int, req *http.Request) (*http.Response, error)

	mu       sync.Mutex
	times    []time.Time
	requests []*http.Request
	bodies   []string
}

func (f *fakeTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body string
	if req.Body != nil {
		b, _ := io.ReadAll(req.Body)
		_ = req.Body.Close()
		body = string(b)
	}
	f.mu.Lock()
	n := len(f.times)
	f.times = append(f.times, time.Now())
	f.requests = append(f.requests, req)
	f.bodies = append(f.bodies, body)
	f.mu.Unlock()
	return f.respond(n, req)
}

func (f *fakeTransport) attempts() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.times)
}

// gaps returns the time between consecutive attempts.
func (f *fakeTransport) gaps() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []time.Duration
	for i := 1; i < len(f.times); i++ {
		out = append(out, f.times[i].Sub(f.times[i-1]))
	}
	return out
}

// response builds a response the way a fake server would; it deliberately
// leaves Request nil, as sloppy transports do, to prove NewClient fills it in.
func response(status int, body string, kv ...string) *http.Response {
	h := make(http.Header)
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return &http.Response{
		StatusCode:    status,
		Status:        http.StatusText(status),
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(strings.NewReader(body)),
		ContentLength: int64(len(body)),
	}
}

// always returns the same outcome on every attempt.
func always(status int, body string, kv ...string) func(int, *http.Request) (*http.Response, error) {
	return func(int, *http.Request) (*http.Response, error) {
		return response(status, body, kv...), nil
	}
}

// failing returns err on every attempt.
func failing(err error) func(int, *http.Request) (*http.Response, error) {
	return func(int, *http.Request) (*http.Response, error) { return nil, err }
}

// fakeClient is NewClient over f with tests' defaults (small retry count so
// attempt counts are easy to read) plus opts.
func fakeClient(f *fakeTransport, opts ...Option) *retryablehttp.Client {
	all := append([]Option{WithHTTPClient(&http.Client{Transport: f}), WithRetryMax(2)}, opts...)
	return NewClient(all...)
}
