package amazon

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/shopctrl/tracksync/internal/ctxtime"
	"github.com/shopctrl/tracksync/internal/httpx"
	"github.com/shopctrl/tracksync/tracking"
)

// exchange is one HTTP exchange of the client: an SP-API operation, the
// LWA token request or a document transfer, with its retry policy.
type exchange struct {
	op          string
	method      string
	url         string
	body        []byte
	contentType string
	auth        bool // send the seller's access token (SP-API)
	paced       bool // draw from the operation's bucket before every attempt
	safe        bool // repeating it after an unknown outcome does no harm
	maxBody     int64
}

// answer is the last attempt's answer.
type answer struct {
	status    int
	header    http.Header
	body      []byte
	requestID string
}

// Backoff bounds between retries of a 5xx or transport error. A 429 waits
// for the bucket instead (Amazon sends no Retry-After).
const (
	retryWaitMin = 250 * time.Millisecond
	retryWaitMax = 30 * time.Second
)

// do runs the exchange: every attempt takes a fresh access token and a
// token of the operation's bucket, is reported to the observer, and is
// retried while the policy allows: 429 always (the request was not
// processed), 5xx and transport errors when the exchange is safe to
// repeat (or, for transport errors, when the request provably never
// left), 401/403 once with a new access token. It returns the last
// answer, whatever its status; err is a transport or context error.
func (c *Client) exchange(ctx context.Context, x exchange) (*answer, error) {
	refreshed := false
	retries := 0
	for attempt := 1; ; attempt++ {
		token := ""
		if x.auth {
			// The token first, so that a refresh does not delay a request
			// past its place in the bucket's timeline...
			if _, err := c.tokens.get(ctx); err != nil {
				return nil, err
			}
		}
		var wait time.Duration
		var p *pacer
		if x.paced && !c.noPacing {
			p = c.pacer(x.op)
			var err error
			if wait, err = p.wait(ctx); err != nil {
				var long *WaitError
				if errors.As(err, &long) {
					long.Operation = x.op
				}
				return nil, err
			}
		}
		if x.auth {
			// ...and again after the wait, which can outlast the token
			// (thousands of reads queued at 0.5/s take hours).
			var err error
			if token, err = c.tokens.get(ctx); err != nil {
				return nil, err
			}
		}
		// The write's fence: its lease must still be held now.
		if err := checkFence(ctx); err != nil {
			return nil, err
		}
		start := time.Now()
		a, err := c.send(ctx, x, token)
		end := time.Now()
		status := 0
		if a != nil {
			status = a.status
		}
		if p != nil {
			p.answered(end, status)
			if a != nil {
				c.retune(x.op, a.header)
			}
		}
		tracking.ObserverFrom(ctx).RequestDone(ctx, tracking.RequestEvent{Channel: Channel, Store: c.seller, Operation: x.op, Status: status, Attempt: attempt,
			Duration: end.Sub(start), Wait: wait, Throttled: status == http.StatusTooManyRequests, Err: err})

		again, backoff := c.retryable(ctx, x, a, err)
		if x.auth && a != nil && (a.status == http.StatusUnauthorized || a.status == http.StatusForbidden) && !refreshed {
			// An access token Amazon no longer accepts (expired early,
			// revoked) is replaced once.
			refreshed = true
			c.tokens.invalidate(token)
			continue
		}
		if !again || retries >= c.retryMax {
			return a, err
		}
		retries++
		if backoff {
			var resp *http.Response
			if a != nil {
				resp = &http.Response{StatusCode: a.status, Header: a.header}
			}
			if err := ctxtime.Sleep(ctx, httpx.Backoff(retryWaitMin, retryWaitMax, retries-1, resp)); err != nil {
				return a, err
			}
		}
	}
}

// retryable says whether an attempt's outcome is worth another attempt
// and whether to back off first (a paced 429 waits for the bucket only).
func (c *Client) retryable(ctx context.Context, x exchange, a *answer, err error) (again, backoff bool) {
	if ctx.Err() != nil {
		return false, false
	}
	if err != nil {
		if x.safe {
			ctx = httpx.Idempotent(ctx)
		}
		again, _ = httpx.Classify(ctx, nil, err)
		return again, true
	}
	switch a.status {
	case http.StatusTooManyRequests:
		return true, !(x.paced && !c.noPacing)
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return x.safe, true
	}
	return false, false
}

// send makes one attempt. Redirects are never followed (the client's
// CheckRedirect): a 3xx comes back as an answer, which callers refuse.
func (c *Client) send(ctx context.Context, x exchange, token string) (*answer, error) {
	var body io.Reader
	if x.body != nil {
		body = bytes.NewReader(x.body)
	}
	req, err := http.NewRequestWithContext(ctx, x.method, x.url, body)
	if err != nil {
		return nil, fmt.Errorf("amazon: %s: %w", x.op, redactURLError(err))
	}
	if x.auth {
		req.Header.Set("x-amz-access-token", token)
		req.Header.Set("Accept", "application/json")
	}
	if x.contentType != "" {
		req.Header.Set("Content-Type", x.contentType)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("amazon: %s: %w", x.op, redactURLError(err))
	}
	defer resp.Body.Close()
	limit := x.maxBody
	if limit == 0 {
		limit = 16 << 20
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit))
	a := &answer{status: resp.StatusCode, header: resp.Header, body: data, requestID: resp.Header.Get("x-amzn-RequestId")}
	if err != nil {
		return nil, fmt.Errorf("amazon: %s: read response: %w", x.op, redactURLError(err))
	}
	return a, nil
}

// redactURLError drops the query of the URL a *url.Error names: presigned
// document URLs carry their signature there.
func redactURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		cp := *ue
		cp.URL = withoutQuery(ue.URL)
		return &cp
	}
	return err
}

// withoutQuery is a URL with its query (and fragment) replaced by a
// marker, for messages.
func withoutQuery(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	if u.RawQuery == "" && u.Fragment == "" {
		return u.String()
	}
	u.RawQuery, u.Fragment, u.RawFragment = "", "", ""
	return u.String() + "?REDACTED"
}

// noRedirects keeps the client from following redirects: a 3xx from the
// SP-API, LWA or a document URL must not carry the access token, the
// client secret or the refresh token to another host.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// RedirectError is a 3xx answer: the client follows no redirect, so that
// credentials never reach another host.
type RedirectError struct {
	Operation  string
	StatusCode int
	Location   string // the Location answered, without its query
}

// Error describes the problem for a person; it never holds a secret.
func (e *RedirectError) Error() string {
	return fmt.Sprintf("amazon: %s: HTTP %d redirect to %s refused: the client follows no redirect, so that credentials stay with Amazon's hosts; check the endpoint", e.Operation, e.StatusCode, e.Location)
}

// Retryable implements the tracking.Classify contract: a redirect comes
// back the same way.
func (e *RedirectError) Retryable() bool { return false }

// redirected turns a 3xx answer into a *RedirectError, else nil.
func redirected(op string, a *answer) error {
	if a.status/100 != 3 {
		return nil
	}
	return &RedirectError{Operation: op, StatusCode: a.status, Location: withoutQuery(a.header.Get("Location"))}
}

// rateLimit reads x-amzn-RateLimit-Limit; 0 when absent or unreadable.
func rateLimit(h http.Header) float64 {
	r, err := strconv.ParseFloat(h.Get("x-amzn-RateLimit-Limit"), 64)
	if err != nil || r <= 0 || r > 1e6 {
		return 0
	}
	return r
}
