package httpx

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync"
)

func doRequest(t *testing.T, c *retryablehttp.Client, ctx context.Context, method, url, body string) (*http.Response, error) {
	t.Helper()
	var raw any
	if body != "" {
		raw = []byte(body)
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, method, url, raw)
	require.NoError(t, err)
	return c.Do(req)
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	return string(b)
}

// The same policy matrix as TestClassifyStatusMatrix, end to end through
// NewClient: a retried status costs RetryMax+1 attempts, a final one costs 1.
// synctest makes the backoff waits free.
func TestClientStatusMatrix(t *testing.T) {
	for _, method := range allMethods {
		for _, marked := range []bool{false, true} {
			for _, status := range matrixStatus {
				name := fmt.Sprintf("%s/%d/marked=%v", method, status, marked)
				t.Run(name, func(t *testing.T) {
					synctest.Test(t, func(t *testing.T) {
						f := &fakeTransport{respond: always(status, "last")}
						ctx := context.Background()
						if marked {
							ctx = Idempotent(ctx)
						}
						resp, err := doRequest(t, fakeClient(f), ctx, method, "https://shop.example/x", "")
						require.NoError(t, err)
						require.Equal(t, status, resp.StatusCode)
						require.Equal(t, "last", readBody(t, resp))

						wantRetry, _ := expectStatus(status, isSafeMethod(method) || marked)
						want := 1
						if wantRetry {
							want = 3 // RetryMax 2
						}
						require.Equal(t, want, f.attempts())
					})
				})
			}
		}
	}
}

func TestClientTransportErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		method   string
		err      error
		attempts int
	}{
		{"dial refused on POST is retried", http.MethodPost, errRefused, 3},
		{"dns failure on POST is retried", http.MethodPost, errDNS, 3},
		{"reset after write on POST is not retried", http.MethodPost, errReset, 1},
		{"reset after write on GET is retried", http.MethodGet, errReset, 3},
		{"certificate error is not retried", http.MethodGet, errCert, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := &fakeTransport{respond: failing(tc.err)}
				resp, err := doRequest(t, fakeClient(f), context.Background(), tc.method, "https://shop.example/x", `{"a":1}`)
				require.Nil(t, resp)
				// The transport error reaches the caller intact: errors.Is
				// and errors.As see through url.Error and our wrapper.
				require.ErrorIs(t, err, tc.err)
				require.Equal(t, tc.attempts, f.attempts())
			})
		})
	}
}

func TestClientResetErrorIsInspectable(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeTransport{respond: failing(errReset)}
		_, err := doRequest(t, fakeClient(f), context.Background(), http.MethodPost, "https://shop.example/x", "{}")
		require.ErrorIs(t, err, syscall.ECONNRESET)
	})
}

// A POST retried after a 429 must send its body again, in full, each time.
func TestClientReplaysBody(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeTransport{respond: func(n int, _ *http.Request) (*http.Response, error) {
			if n < 2 {
				return response(429, "slow down"), nil
			}
			return response(201, "created"), nil
		}}
		resp, err := doRequest(t, fakeClient(f), context.Background(), http.MethodPost, "https://shop.example/x", `{"order":1}`)
		require.NoError(t, err)
		require.Equal(t, 201, resp.StatusCode)
		require.Equal(t, "created", readBody(t, resp))
		require.Equal(t, []string{`{"order":1}`, `{"order":1}`, `{"order":1}`}, f.bodies)
	})
}

func TestClientRetryAfterSeconds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeTransport{respond: func(n int, _ *http.Request) (*http.Response, error) {
			if n == 0 {
				return response(429, "", "Retry-After", "7"), nil
			}
			return response(200, "ok"), nil
		}}
		start := time.Now()
		resp, err := doRequest(t, fakeClient(f), context.Background(), http.MethodPost, "https://shop.example/x", "{}")
		require.NoError(t, err)
		require.Equal(t, 200, resp.StatusCode)
		require.Equal(t, []time.Duration{7 * time.Second}, f.gaps())
		require.Equal(t, 7*time.Second, time.Since(start))
	})
}

func TestClientRetryAfterHTTPDate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// The bubble's clock starts on a whole second, so the HTTP-date
		// (second precision) loses nothing.
		f := &fakeTransport{respond: func(n int, _ *http.Request) (*http.Response, error) {
			if n == 0 {
				at := time.Now().Add(10 * time.Second).UTC().Format(http.TimeFormat)
				return response(503, "", "Retry-After", at), nil
			}
			return response(200, "ok"), nil
		}}
		resp, err := doRequest(t, fakeClient(f), context.Background(), http.MethodGet, "https://shop.example/x", "")
		require.NoError(t, err)
		require.Equal(t, 200, resp.StatusCode)
		require.Equal(t, []time.Duration{10 * time.Second}, f.gaps())
	})
}

func TestClientRetryAfterIsCapped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeTransport{respond: func(n int, _ *http.Request) (*http.Response, error) {
			if n == 0 {
				return response(429, "", "Retry-After", "86400"), nil
			}
			return response(200, "ok"), nil
		}}
		_, err := doRequest(t, fakeClient(f), context.Background(), http.MethodGet, "https://shop.example/x", "")
		require.NoError(t, err)
		require.Equal(t, []time.Duration{maxRetryAfter}, f.gaps())
	})
}

// Without a hint the waits follow Backoff: with the jitter pinned to its top
// the steps are exactly 250ms, 500ms, 1s, 2s.
func TestClientExponentialBackoff(t *testing.T) {
	setJitter(t, func() float64 { return 0.999999999 })
	synctest.Test(t, func(t *testing.T) {
		f := &fakeTransport{respond: always(503, "down")}
		resp, err := doRequest(t, fakeClient(f, WithRetryMax(4)), context.Background(), http.MethodGet, "https://shop.example/x", "")
		require.NoError(t, err)
		require.Equal(t, 503, resp.StatusCode)
		gaps := f.gaps()
		require.Len(t, gaps, 4)
		for i, want := range []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second} {
			require.InDelta(t, float64(want), float64(gaps[i]), float64(time.Microsecond), "gap %d", i)
		}
	})
}

// Cancelling while the client sleeps before a retry returns at once with
// context.Canceled: retryablehttp selects on ctx.Done during the wait.
func TestClientCancelDuringBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeTransport{respond: always(503, "", "Retry-After", "60")}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		time.AfterFunc(5*time.Second, cancel)

		start := time.Now()
		resp, err := doRequest(t, fakeClient(f), ctx, http.MethodGet, "https://shop.example/x", "")
		require.Nil(t, resp)
		require.ErrorIs(t, err, context.Canceled)
		require.Equal(t, 5*time.Second, time.Since(start), "must not sit out the 60s wait")
		require.Equal(t, 1, f.attempts())
	})
}

func TestClientDeadlineDuringBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeTransport{respond: always(503, "", "Retry-After", "7")}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()

		start := time.Now()
		_, err := doRequest(t, fakeClient(f), ctx, http.MethodGet, "https://shop.example/x", "")
		require.ErrorIs(t, err, context.DeadlineExceeded)
		require.Equal(t, 10*time.Second, time.Since(start))
		require.Equal(t, 2, f.attempts()) // t=0 and t=7s
	})
}

// Cancelling while a request is in flight stops without retrying.
func TestClientCancelDuringRequest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeTransport{respond: func(_ int, req *http.Request) (*http.Response, error) {
			<-req.Context().Done()
			return nil, req.Context().Err()
		}}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		time.AfterFunc(3*time.Second, cancel)

		_, err := doRequest(t, fakeClient(f), ctx, http.MethodGet, "https://shop.example/x", "")
		require.ErrorIs(t, err, context.Canceled)
		require.Equal(t, 1, f.attempts())
	})
}

// After the last retry the caller gets the last response, body unread, so it
// can decode the channel's error payload.
func TestClientReturnsLastResponse(t *testing.T) {
	for _, tc := range []struct {
		method string
		status int
	}{
		{http.MethodGet, 503},
		{http.MethodPost, 429},
	} {
		t.Run(fmt.Sprintf("%s/%d", tc.method, tc.status), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := &fakeTransport{respond: func(n int, _ *http.Request) (*http.Response, error) {
					return response(tc.status, fmt.Sprintf(`{"errors":"attempt %d"}`, n+1)), nil
				}}
				resp, err := doRequest(t, fakeClient(f), context.Background(), tc.method, "https://shop.example/x", "{}")
				require.NoError(t, err)
				require.Equal(t, tc.status, resp.StatusCode)
				require.Equal(t, `{"errors":"attempt 3"}`, readBody(t, resp))
				require.Equal(t, 3, f.attempts())
			})
		})
	}
}

func TestClientTooManyRedirects(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeTransport{respond: always(302, "", "Location", "https://shop.example/loop")}
		_, err := doRequest(t, fakeClient(f, WithRetryMax(4)), context.Background(), http.MethodGet, "https://shop.example/loop", "")
		require.ErrorContains(t, err, "stopped after 10 redirects")
		require.Equal(t, 10, f.attempts(), "one pass of redirects, no retries")
	})
}

// A retry replays the request the caller sent, so safety is judged on it,
// not on the last redirect hop: POST -> 303 -> GET -> 503 must not resend
// the POST, while GET -> 302 -> GET -> 503 is retried.
func TestClientRetryJudgesOriginalRequest(t *testing.T) {
	for _, tc := range []struct {
		method   string
		redirect int
		attempts int // round trips: each try is the request plus its redirect
	}{
		{http.MethodPost, http.StatusSeeOther, 2},
		{http.MethodGet, http.StatusFound, 6},
	} {
		t.Run(tc.method, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := &fakeTransport{respond: func(_ int, req *http.Request) (*http.Response, error) {
					if req.URL.Path == "/start" {
						return response(tc.redirect, "", "Location", "/next"), nil
					}
					return response(503, "down"), nil
				}}
				resp, err := doRequest(t, fakeClient(f), context.Background(), tc.method, "https://shop.example/start", "")
				require.NoError(t, err)
				require.Equal(t, 503, resp.StatusCode)
				require.Equal(t, tc.attempts, f.attempts())
			})
		})
	}
}

// These fail inside net/http's own transport before any network I/O.
func TestClientNonRetryableRequestErrors(t *testing.T) {
	c := NewClient(WithBackoff(time.Millisecond, time.Millisecond))

	_, err := doRequest(t, c, context.Background(), http.MethodGet, "ftp://shop.example/x", "")
	require.ErrorContains(t, err, "unsupported protocol scheme")

	req, err := retryablehttp.NewRequest(http.MethodGet, "http://127.0.0.1:1/x", nil)
	require.NoError(t, err)
	req.Header.Set("X-Note", "line\nbreak")
	_, err = c.Do(req)
	require.ErrorContains(t, err, "invalid header")
}

func TestUserAgent(t *testing.T) {
	require.Equal(t, "tracksync/"+tracksync.Version, UserAgent())

	for _, tc := range []struct {
		name    string
		opts    []Option
		header  []string // request's User-Agent values; nil = none
		want    []string
		comment string
	}{
		{name: "default", want: []string{UserAgent()}},
		{name: "suffix", opts: []Option{WithUserAgent("acme-oms/2.3")}, want: []string{UserAgent() + " acme-oms/2.3"}},
		{name: "suffix control chars dropped", opts: []Option{WithUserAgent(" acme\r\n/1 ")}, want: []string{UserAgent() + " acme/1"}},
		{name: "caller wins", header: []string{"custom/1"}, want: []string{"custom/1"}},
		{name: "explicit empty kept", header: []string{""}, want: []string{""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := &fakeTransport{respond: always(200, "")}
				req, err := retryablehttp.NewRequest(http.MethodGet, "https://shop.example/x", nil)
				require.NoError(t, err)
				if tc.header != nil {
					req.Header["User-Agent"] = tc.header
				}
				_, err = fakeClient(f, tc.opts...).Do(req)
				require.NoError(t, err)
				require.Equal(t, tc.want, f.requests[0].Header.Values("User-Agent"))
				if tc.header == nil {
					require.Empty(t, req.Header.Values("User-Agent"), "caller's request must not be modified")
				}
			})
		})
	}
}

func TestNewClientDefaults(t *testing.T) {
	c := NewClient()
	require.Equal(t, defaultRetryMax, c.RetryMax)
	require.Equal(t, defaultWaitMin, c.RetryWaitMin)
	require.Equal(t, defaultWaitMax, c.RetryWaitMax)
	require.Equal(t, defaultClientTimeout, c.HTTPClient.Timeout)
	tr, ok := c.HTTPClient.Transport.(*transport)
	require.True(t, ok)
	base, ok := tr.base.(*http.Transport)
	require.True(t, ok)
	require.Equal(t, defaultResponseHeaderTimeout, base.ResponseHeaderTimeout)
	require.NotSame(t, http.DefaultTransport, base)

	// WithHTTPClient copies: the caller's client keeps its transport, and
	// reusing one of our clients does not stack wrappers.
	own := &http.Client{Transport: &fakeTransport{}}
	c2 := NewClient(WithHTTPClient(own), WithRetryMax(-3))
	require.IsType(t, &fakeTransport{}, own.Transport)
	require.Equal(t, 0, c2.RetryMax)
	c3 := NewClient(WithHTTPClient(c2.HTTPClient))
	require.IsType(t, &fakeTransport{}, c3.HTTPClient.Transport.(*transport).base)
}

// Over a real socket: retries happen, and the User-Agent arrives.
func TestClientOverTheWire(t *testing.T) {
	var calls atomic.Int32
	var agents []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		agents = append(agents, r.UserAgent()) // handler calls are sequential here
		if calls.Add(1) == 1 {
			http.Error(w, "warming up", http.StatusServiceUnavailable)
			return
		}
		body, _ := io.ReadAll(r.Body)
		_, _ = fmt.Fprintf(w, "got %s", body)
	}))
	defer srv.Close()

	var logs bytes.Buffer
	c := NewClient(
		WithBackoff(time.Millisecond, 2*time.Millisecond),
		WithLogger(newJSONLogger(&logs)),
	)
	defer c.HTTPClient.CloseIdleConnections()

	resp, err := doRequest(t, c, context.Background(), http.MethodPut, srv.URL+"/fulfillments/1", "payload")
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "got payload", readBody(t, resp))
	require.EqualValues(t, 2, calls.Load())
	require.Equal(t, []string{"tracksync/" + tracksync.Version, "tracksync/" + tracksync.Version}, agents)
	require.Contains(t, logs.String(), reasonServerSafe)
}

// A connection refused by a real kernel is classified as never sent, so even
// a POST is retried. This also runs under the default client's
// http.Client.Timeout, whose per-attempt context net/http cancels before
// CheckRetry runs; the policy must not mistake that for the caller giving up.
func TestClientDialRefusedOverTheWire(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.URL
	srv.Close() // nothing listens there any more

	var logs bytes.Buffer
	c := NewClient(WithBackoff(time.Millisecond, time.Millisecond), WithRetryMax(2), WithLogger(newJSONLogger(&logs)))
	_, err := doRequest(t, c, context.Background(), http.MethodPost, addr+"/x", "{}")
	require.ErrorIs(t, err, syscall.ECONNREFUSED)
	var ue *url.Error
	require.ErrorAs(t, err, &ue)
	require.Equal(t, "Post", ue.Op)
	require.True(t, strings.HasPrefix(err.Error(), `Post "`+addr+`/x": dial tcp`), err.Error())

	require.Equal(t, 3, strings.Count(logs.String(), `"reason":"`+reasonNotSent+`"`))
	require.Equal(t, 2, strings.Count(logs.String(), `"msg":"retrying request"`))
}
