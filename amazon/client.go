package amazon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"sync"

	"github.com/hashicorp/go-retryablehttp"
	"golang.org/x/time/rate"

	"github.com/shopctrl/tracksync/internal/httpx"
)

// Client talks to the Selling Partner API for one seller (one refresh
// token) in one region. It paces every operation by its usage plan and is
// safe for concurrent use.
type Client struct {
	region   Region
	base     string // scheme://host requests go to
	tokens   *tokenSource
	http     *retryablehttp.Client
	logger   *slog.Logger
	plans    map[string]UsagePlan
	noPacing bool

	mu       sync.Mutex
	limiters map[string]*rate.Limiter // per operation, made on first use
}

// UsagePlan is an operation's token bucket: requests per second and burst.
type UsagePlan struct {
	Rate  float64
	Burst int
}

// defaultPlans are the usage plans Amazon's models state (ordersV0.json,
// orders_2026-01-01.json, feeds_2021-06-30.json: "Usage Plan" tables).
// Sellers may have higher ones: x-amzn-RateLimit-Limit retunes the rate.
var defaultPlans = map[string]UsagePlan{
	opConfirmShipment:    {2, 10},
	opGetOrder:           {0.5, 30},
	opCreateFeedDocument: {0.5, 15},
	opCreateFeed:         {0.0083, 15},
	opGetFeed:            {2, 15},
	opGetFeedDocument:    {0.0222, 10},
}

// Operation names (SP-API operationIds).
const (
	opConfirmShipment    = "confirmShipment"
	opGetOrder           = "getOrder"
	opCreateFeedDocument = "createFeedDocument"
	opCreateFeed         = "createFeed"
	opGetFeed            = "getFeed"
	opGetFeedDocument    = "getFeedDocument"
)

// Option configures a Client.
type Option func(*config) error

type config struct {
	base, lwa  string
	sandbox    bool
	httpClient *http.Client
	logger     *slog.Logger
	retryMax   int
	userAgent  string
	plans      map[string]UsagePlan
	noPacing   bool
}

// WithBaseURL sends SP-API requests to a loopback server (amazontest)
// instead of the region's endpoint. It accepts loopback addresses only.
func WithBaseURL(u string) Option {
	return func(c *config) error {
		if err := checkLoopback(u); err != nil {
			return err
		}
		c.base = u
		return nil
	}
}

// WithLWAEndpoint sends token requests to a loopback server (amazontest)
// instead of Login with Amazon. It accepts loopback addresses only.
func WithLWAEndpoint(u string) Option {
	return func(c *config) error {
		if err := checkLoopback(u); err != nil {
			return err
		}
		c.lwa = u
		return nil
	}
}

// WithSandbox sends requests to the region's static sandbox.
func WithSandbox() Option { return func(c *config) error { c.sandbox = true; return nil } }

// WithHTTPClient sets the underlying HTTP client.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error { c.httpClient = hc; return nil }
}

// WithLogger sets the logger (default: discard). Tokens never reach it.
func WithLogger(l *slog.Logger) Option { return func(c *config) error { c.logger = l; return nil } }

// WithRetryMax sets how often a request is retried after 429, 5xx or a
// transport error (default 4), with jittered exponential backoff.
func WithRetryMax(n int) Option { return func(c *config) error { c.retryMax = n; return nil } }

// WithUserAgent appends the host application's product token to the
// User-Agent, as Amazon asks of SP-API callers.
func WithUserAgent(product string) Option {
	return func(c *config) error { c.userAgent = product; return nil }
}

// WithUsagePlan overrides an operation's usage plan (a seller with raised
// limits, or a test).
func WithUsagePlan(operation string, ratePerSecond float64, burst int) Option {
	return func(c *config) error {
		if _, ok := defaultPlans[operation]; !ok {
			return fmt.Errorf("amazon: unknown operation %q", operation)
		}
		if ratePerSecond <= 0 || burst < 1 {
			return fmt.Errorf("amazon: usage plan %v/%d: want a positive rate and burst", ratePerSecond, burst)
		}
		c.plans[operation] = UsagePlan{ratePerSecond, burst}
		return nil
	}
}

// WithPacingDisabled turns the usage-plan buckets off: requests go out at
// once and only 429 answers slow the client down. It exists for the
// benchmark that compares pacing with retry-only.
func WithPacingDisabled() Option { return func(c *config) error { c.noPacing = true; return nil } }

// NewClient returns a client for the seller whose refresh token creds
// holds, in region.
func NewClient(creds Credentials, region Region, opts ...Option) (*Client, error) {
	if err := creds.check(); err != nil {
		return nil, err
	}
	if region.Endpoint == "" {
		return nil, errors.New("amazon: no region; use NorthAmerica, Europe or FarEast")
	}
	c := config{lwa: DefaultLWAEndpoint, retryMax: 4, logger: slog.New(slog.DiscardHandler), plans: map[string]UsagePlan{}}
	for op, p := range defaultPlans {
		c.plans[op] = p
	}
	for _, opt := range opts {
		if err := opt(&c); err != nil {
			return nil, err
		}
	}
	if c.logger == nil {
		return nil, errors.New("amazon: nil logger")
	}
	hc := httpx.NewClient(httpx.WithLogger(c.logger), httpx.WithRetryMax(c.retryMax), httpx.WithHTTPClient(c.httpClient), httpx.WithUserAgent(c.userAgent))
	base := region.Endpoint
	if c.sandbox {
		base = region.Sandbox
	}
	if c.base != "" {
		base = c.base
	}
	return &Client{
		region: region, base: base, http: hc, logger: c.logger, plans: c.plans, noPacing: c.noPacing,
		tokens:   &tokenSource{creds: creds, endpoint: c.lwa, http: hc},
		limiters: map[string]*rate.Limiter{},
	}, nil
}

// String describes the client without secrets.
func (c *Client) String() string {
	return fmt.Sprintf("amazon.Client{region: %s, client_id: %s}", c.region.Name, c.tokens.creds.ClientID)
}

// GoString keeps secrets out of %#v.
func (c *Client) GoString() string { return c.String() }

// Region returns the client's region.
func (c *Client) Region() Region { return c.region }

func (c *Client) limiter(op string) *rate.Limiter {
	c.mu.Lock()
	defer c.mu.Unlock()
	l := c.limiters[op]
	if l == nil {
		p := c.plans[op]
		l = rate.NewLimiter(paceAt(p.Rate), p.Burst)
		c.limiters[op] = l
	}
	return l
}

// paceMargin keeps the client just under a usage plan. Amazon's bucket
// starts when the first request arrives, a few milliseconds after the
// client's; paced at exactly the plan's rate the client would stay that
// far ahead of Amazon's refill and meet 429s for ever. One per cent
// absorbs such a lag within a few requests.
const paceMargin = 0.99

func paceAt(ratePerSecond float64) rate.Limit { return rate.Limit(ratePerSecond * paceMargin) }

// retune adopts the rate Amazon reported for an operation. The header is
// best effort (present on some 2xx, 400 and 404 answers only), so its
// absence changes nothing.
func (c *Client) retune(op string, h http.Header) {
	v := h.Get("x-amzn-RateLimit-Limit")
	if v == "" {
		return
	}
	r, err := strconv.ParseFloat(v, 64)
	if err != nil || r <= 0 || r > 1e6 {
		return
	}
	l := c.limiter(op)
	if l.Limit() != paceAt(r) {
		c.logger.Debug("amazon usage plan retuned from x-amzn-RateLimit-Limit", "operation", op, "rate", r)
		l.SetLimit(paceAt(r))
	}
}

// Response is what the client knows of an answer besides its body.
type Response struct {
	StatusCode int
	RequestID  string  // x-amzn-RequestId
	RateLimit  float64 // x-amzn-RateLimit-Limit; 0 when absent
}

// call is one SP-API operation.
type call struct {
	op     string
	method string
	path   string
	query  url.Values
	body   any
	safe   bool // repeating it does no harm (reads; confirmations with a stable package reference)
	ok     int  // the success status
}

// do runs a call: waits for the operation's bucket, sends with a fresh
// access token, refreshes the token once if Amazon refused it, decodes a
// success into out and anything else into *ErrorResponse.
func (c *Client) do(ctx context.Context, cl call, out any) (*Response, error) {
	var body []byte
	if cl.body != nil {
		var err error
		if body, err = json.Marshal(cl.body); err != nil {
			return nil, fmt.Errorf("amazon: encode %s: %w", cl.op, err)
		}
	}
	for attempt := 0; ; attempt++ {
		// The token first: a token refresh before the first request would
		// otherwise delay it past its place in the bucket's timeline.
		token, err := c.tokens.get(ctx)
		if err != nil {
			return nil, err
		}
		if !c.noPacing {
			if err := c.limiter(cl.op).Wait(ctx); err != nil {
				return nil, err
			}
		}
		resp, data, err := c.send(ctx, cl, token, body)
		if err != nil {
			if resp != nil {
				return resp.Response, err
			}
			return nil, err
		}
		c.retune(cl.op, resp.header)
		if resp.StatusCode == cl.ok {
			if out != nil && len(data) > 0 {
				if err := json.Unmarshal(data, out); err != nil {
					return resp.Response, fmt.Errorf("amazon: decode %s: %w", cl.op, err)
				}
			}
			return resp.Response, nil
		}
		er := &ErrorResponse{Operation: cl.op, StatusCode: resp.StatusCode, RequestID: resp.RequestID}
		var list struct {
			Errors []Error `json:"errors"`
		}
		if json.Unmarshal(data, &list) == nil {
			er.Errors = list.Errors
		}
		for i := range er.Errors {
			er.Errors[i].Message = httpx.Redact(er.Errors[i].Message)
			er.Errors[i].Details = httpx.Redact(er.Errors[i].Details)
		}
		c.logger.WarnContext(ctx, "amazon request failed", "operation", cl.op, "status", resp.StatusCode, "request_id", resp.RequestID, "error", er.Error())
		// An access token Amazon no longer accepts (expired early, revoked)
		// is replaced once.
		if (resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden) && attempt == 0 {
			c.tokens.invalidate(token)
			continue
		}
		return resp.Response, er
	}
}

type rawResponse struct {
	*Response
	header http.Header
}

func (c *Client) send(ctx context.Context, cl call, token string, body []byte) (*rawResponse, []byte, error) {
	u := c.base + cl.path
	if len(cl.query) > 0 {
		u += "?" + cl.query.Encode()
	}
	if cl.safe {
		ctx = httpx.Idempotent(ctx)
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, cl.method, u, rd)
	if err != nil {
		return nil, nil, fmt.Errorf("amazon: %s: %w", cl.op, err)
	}
	req.Header.Set("x-amz-access-token", token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	hr, err := c.http.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("amazon: %s: %w", cl.op, err)
	}
	defer hr.Body.Close()
	data, err := io.ReadAll(io.LimitReader(hr.Body, 16<<20))
	resp := &rawResponse{Response: &Response{StatusCode: hr.StatusCode, RequestID: hr.Header.Get("x-amzn-RequestId")}, header: hr.Header}
	if v, perr := strconv.ParseFloat(hr.Header.Get("x-amzn-RateLimit-Limit"), 64); perr == nil {
		resp.RateLimit = v
	}
	if err != nil {
		return resp, nil, fmt.Errorf("amazon: %s: read response: %w", cl.op, err)
	}
	return resp, data, nil
}

// checkLoopback accepts http(s) URLs on loopback hosts only: the options
// that take one exist for tests against amazontest.
func checkLoopback(raw string) error {
	if _, err := httpx.LoopbackURL(raw); err != nil {
		return fmt.Errorf("amazon: %q is not a loopback address (%w); the option is for tests against amazontest", raw, err)
	}
	return nil
}
