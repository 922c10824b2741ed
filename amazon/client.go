package amazon

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"sync"

	"github.com/shopctrl/tracksync/internal/httpx"
)

// Client talks to the Selling Partner API for one seller (one refresh
// token) in one region. It paces every operation by its usage plan and is
// safe for concurrent use.
type Client struct {
	region   Region
	base     string // scheme://host requests go to
	testing  bool   // base and LWA are loopback test servers
	seller   string // for observer events; "" when unknown
	tokens   *tokenSource
	http     *http.Client // follows no redirect
	logger   *slog.Logger
	plans    map[string]UsagePlan
	noPacing bool
	retryMax int

	mu     sync.Mutex
	pacers map[string]*pacer // per operation, made on first use
}

// UsagePlan is an operation's token bucket: requests per second and burst.
type UsagePlan struct {
	Rate  float64
	Burst int
}

// defaultPlans are the usage plans Amazon's models state ("Usage Plan"
// tables of ordersV0.json confirmShipment, orders_2026-01-01.json getOrder,
// feeds_2021-06-30.json createFeedDocument, createFeed, getFeeds, getFeed,
// getFeedDocument). Sellers may have higher ones: x-amzn-RateLimit-Limit
// retunes the rate.
var defaultPlans = map[string]UsagePlan{
	opConfirmShipment:    {2, 10},
	opGetOrder:           {0.5, 30},
	opCreateFeedDocument: {0.5, 15},
	opCreateFeed:         {0.0083, 15},
	opGetFeeds:           {0.0222, 10},
	opGetFeed:            {2, 15},
	opGetFeedDocument:    {0.0222, 10},
}

// Operation names (SP-API operationIds), as WithUsagePlan and observer
// events name them; the LWA token request and document transfers are
// reported as lwaToken, uploadFeedDocument and downloadFeedDocument.
const (
	opConfirmShipment    = "confirmShipment"
	opGetOrder           = "getOrder"
	opCreateFeedDocument = "createFeedDocument"
	opCreateFeed         = "createFeed"
	opGetFeeds           = "getFeeds"
	opGetFeed            = "getFeed"
	opGetFeedDocument    = "getFeedDocument"
	opLWAToken           = "lwaToken"
	opUpload             = "uploadFeedDocument"
	opDownload           = "downloadFeedDocument"
)

// Option configures a Client.
type Option func(*config) error

type config struct {
	base, lwa  string
	sandbox    bool
	seller     string
	httpClient *http.Client
	logger     *slog.Logger
	retryMax   int
	userAgent  string
	plans      map[string]UsagePlan
	noPacing   bool
}

// ErrConfig reports options that do not fit together or a value an option
// cannot take; NewClient returns it before any request.
var ErrConfig error = &permanent{"amazon: configuration"}

// WithTestEndpoints points the client at a loopback test server
// (amazontest): SP-API requests to spapiURL and token requests to lwaURL
// (amazontest: Server.URL() and Server.LWAEndpoint()). Both must be
// loopback addresses.
func WithTestEndpoints(spapiURL, lwaURL string) Option {
	return func(c *config) error {
		if err := WithBaseURL(spapiURL)(c); err != nil {
			return err
		}
		return WithLWAEndpoint(lwaURL)(c)
	}
}

// WithBaseURL sends SP-API requests to a loopback server (amazontest)
// instead of the region's endpoint. It accepts loopback addresses only and
// needs WithLWAEndpoint too (or use WithTestEndpoints): a client pointed at
// a test server never asks Amazon's real LWA for a token.
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
// instead of Login with Amazon. It accepts loopback addresses only and
// needs WithBaseURL too (or use WithTestEndpoints).
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

// WithSellerID names the seller the client acts for in the events it
// reports to a tracking.Observer. SellerClients sets it.
func WithSellerID(id string) Option { return func(c *config) error { c.seller = id; return nil } }

// WithHTTPClient sets the underlying HTTP client (transport, timeout).
// Its redirect policy is replaced: the client follows no redirect.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error { c.httpClient = hc; return nil }
}

// WithLogger sets the logger (default: discard). Tokens never reach it.
func WithLogger(l *slog.Logger) Option { return func(c *config) error { c.logger = l; return nil } }

// WithRetryMax sets how often a request is retried after 429, 5xx or a
// transport error (default 4). Every retry waits for the operation's
// bucket like a first attempt; 5xx and transport errors also back off
// (jittered, exponential).
func WithRetryMax(n int) Option { return func(c *config) error { c.retryMax = max(n, 0); return nil } }

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
			return fmt.Errorf("%w: unknown operation %q", ErrConfig, operation)
		}
		if !(ratePerSecond > 0) || burst < 1 {
			return fmt.Errorf("%w: usage plan %v/%d: want a positive rate and burst", ErrConfig, ratePerSecond, burst)
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
		return nil, fmt.Errorf("%w: no region; use NorthAmerica, Europe or FarEast", ErrConfig)
	}
	c := config{retryMax: 4, logger: slog.New(slog.DiscardHandler), plans: maps.Clone(defaultPlans)}
	for _, opt := range opts {
		if opt == nil {
			return nil, fmt.Errorf("%w: nil option", ErrConfig)
		}
		if err := opt(&c); err != nil {
			return nil, err
		}
	}
	if c.logger == nil {
		return nil, fmt.Errorf("%w: nil logger", ErrConfig)
	}
	// A test server for one host and Amazon for the other would send the
	// test's requests, or its credentials, to production.
	if (c.base == "") != (c.lwa == "") {
		return nil, fmt.Errorf("%w: WithBaseURL and WithLWAEndpoint go together (a client pointed at a test server must never reach Amazon's LWA, nor the reverse); use WithTestEndpoints(srv.URL(), srv.LWAEndpoint())", ErrConfig)
	}
	if c.base != "" && c.sandbox {
		return nil, fmt.Errorf("%w: WithSandbox and test endpoints exclude each other", ErrConfig)
	}
	rc := httpx.NewClient(httpx.WithLogger(c.logger), httpx.WithRetryMax(0), httpx.WithHTTPClient(c.httpClient), httpx.WithUserAgent(c.userAgent))
	hc := rc.HTTPClient
	hc.CheckRedirect = noRedirects
	base, lwa := region.Endpoint, DefaultLWAEndpoint
	if c.sandbox {
		base = region.Sandbox
	}
	if c.base != "" {
		base, lwa = c.base, c.lwa
	}
	cl := &Client{
		region: region, base: base, testing: c.base != "", seller: c.seller, http: hc, logger: c.logger,
		plans: c.plans, noPacing: c.noPacing, retryMax: c.retryMax, pacers: map[string]*pacer{},
	}
	cl.tokens = &tokenSource{creds: creds, endpoint: lwa, client: cl}
	return cl, nil
}

// String describes the client without secrets.
func (c *Client) String() string {
	return fmt.Sprintf("amazon.Client{region: %s, seller: %s, client_id: %s}", c.region.Name, c.seller, c.tokens.creds.ClientID)
}

// GoString keeps secrets out of %#v.
func (c *Client) GoString() string { return c.String() }

// Format keeps secrets out of every fmt verb.
func (c *Client) Format(f fmt.State, verb rune) { httpx.FormatRedacted(f, verb, c.String()) }

// LogValue keeps secrets out of slog.
func (c *Client) LogValue() slog.Value {
	return slog.GroupValue(slog.String("region", c.region.Name), slog.String("seller", c.seller), slog.String("client_id", c.tokens.creds.ClientID))
}

// Region returns the client's region.
func (c *Client) Region() Region { return c.region }

func (c *Client) pacer(op string) *pacer {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.pacers[op]
	if p == nil {
		p = newPacer(c.plans[op])
		c.pacers[op] = p
	}
	return p
}

// retune adopts the rate Amazon reported for an operation. The header is
// best effort (present on some 2xx, 400 and 404 answers only), so its
// absence changes nothing.
func (c *Client) retune(op string, h http.Header) {
	if r := rateLimit(h); r > 0 && c.pacer(op).retune(r) {
		c.logger.Debug("amazon usage plan retuned from x-amzn-RateLimit-Limit", "operation", op, "rate", r)
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

// do runs a call with the seller's access token, paced and retried (see
// exchange), decodes a success into out and anything else into
// *ErrorResponse.
func (c *Client) do(ctx context.Context, cl call, out any) (*Response, error) {
	x := exchange{op: cl.op, method: cl.method, url: c.base + cl.path, auth: true, paced: true, safe: cl.safe}
	if len(cl.query) > 0 {
		x.url += "?" + cl.query.Encode()
	}
	if cl.body != nil {
		var err error
		if x.body, err = json.Marshal(cl.body); err != nil {
			return nil, fmt.Errorf("amazon: encode %s: %w", cl.op, err)
		}
		x.contentType = "application/json"
	}
	a, err := c.exchange(ctx, x)
	if err != nil {
		return nil, err
	}
	resp := &Response{StatusCode: a.status, RequestID: a.requestID, RateLimit: rateLimit(a.header)}
	if err := redirected(cl.op, a); err != nil {
		return resp, err
	}
	if a.status == cl.ok {
		if out != nil && len(a.body) > 0 {
			if err := json.Unmarshal(a.body, out); err != nil {
				return resp, fmt.Errorf("amazon: decode %s: %w", cl.op, err)
			}
		}
		return resp, nil
	}
	er := &ErrorResponse{Operation: cl.op, StatusCode: a.status, RequestID: a.requestID}
	var list struct {
		Errors []Error `json:"errors"`
	}
	if json.Unmarshal(a.body, &list) == nil {
		er.Errors = list.Errors
	}
	for i := range er.Errors { // a server may echo what it was sent, a token too
		er.Errors[i].Code = httpx.Redact(er.Errors[i].Code)
		er.Errors[i].Message = httpx.Redact(er.Errors[i].Message)
		er.Errors[i].Details = httpx.Redact(er.Errors[i].Details)
	}
	if a.status == http.StatusTooManyRequests && !c.noPacing {
		er.retryAfter = c.pacer(cl.op).refillTime()
	}
	c.logger.WarnContext(ctx, "amazon request failed", "operation", cl.op, "status", a.status, "request_id", a.requestID, "error", er.Error())
	return resp, er
}

// checkLoopback accepts http(s) URLs on loopback hosts only: the options
// that take one exist for tests against amazontest.
func checkLoopback(raw string) error {
	if _, err := httpx.LoopbackURL(raw); err != nil {
		return fmt.Errorf("%w: %q is not a loopback address (%v); the option is for tests against amazontest", ErrConfig, raw, err)
	}
	return nil
}
