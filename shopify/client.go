package shopify

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
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/shopctrl/tracksync/internal/ctxtime"
	"github.com/shopctrl/tracksync/internal/gqlcost"
	"github.com/shopctrl/tracksync/internal/httpx"
)

// DefaultAPIVersion is the Admin API version requests ask for unless
// WithAPIVersion says otherwise: the newest stable version that every
// document the client sends (orders.go, fulfillment_lines.go,
// mutations.go) was checked against. Shopify releases a version each
// quarter and supports it for at least 12 months
// (https://shopify.dev/docs/api/usage/versioning); 2026-10 is supported
// until at least 2027-10-01. When Shopify answers with another version,
// the client logs a warning (checkVersion).
//
// Every type, field, argument and input field the documents use is in the
// 2025-10 schema dump, and the 2026 docs show none of them removed or
// retyped. The 2026-10 release notes
// (https://shopify.dev/changelog/release-notes/2026-10) remove nothing
// used; its one change that reaches an answer is documented at
// Order.DisplayFulfillmentStatus. Pages checked, under
// https://shopify.dev/docs/api/admin-graphql/:
//   - latest (2026-10): input-objects/FulfillmentInput,
//     input-objects/FulfillmentTrackingInput,
//     objects/FulfillmentOrderSupportedAction, objects/FulfillmentLineItem,
//     queries/fulfillmentOrder, queries/fulfillment,
//     enums/OrderDisplayFulfillmentStatus
//   - 2026-07: mutations/fulfillmentCreate, mutations/fulfillmentOrderMove,
//     input-objects/FulfillmentOrderLineItemsInput, objects/FulfillmentHold,
//     connections/FulfillmentLineItemConnection
//   - 2026-01: objects/FulfillmentOrderLineItem, enums/FulfillmentOrderStatus,
//     payloads/FulfillmentOrderMovePayload,
//     payloads/FulfillmentTrackingInfoUpdatePayload
//
// extensions.cost keeps its shape
// (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits).
const DefaultAPIVersion = "2026-10"

// maxResponseSize bounds what the client reads of one answer.
const maxResponseSize = 16 << 20

// Client talks to the GraphQL Admin API of one shop. It paces itself by
// the shop's cost bucket and is safe for concurrent use. Clients made with
// ForShop share their HTTP connections, pacing and settings, so one family
// of clients serves many shops.
type Client struct {
	shop  string // "name.myshopify.com"
	token string
	*shared
}

// shared is what all clients of a family have in common.
type shared struct {
	http            *retryablehttp.Client
	base            *url.URL // scheme and host requests are sent to (the shop's own, or a loopback test server)
	version         string
	logger          *slog.Logger
	pacer           *pacer
	throttleRetries int
	costs           costCache
}

// Option configures a Client.
type Option func(*config) error

type config struct {
	version         string
	baseURL         string
	httpClient      *http.Client
	logger          *slog.Logger
	retryMax        int
	throttleRetries int
	noPacing        bool
	maxWait         time.Duration
	userAgent       string
}

// WithAPIVersion sets the Admin API version (default DefaultAPIVersion).
// Shopify answers a retired version with the oldest supported one; the
// client logs a warning when that happens.
func WithAPIVersion(v string) Option {
	return func(c *config) error {
		if len(v) != 7 || v[4] != '-' {
			return fmt.Errorf("shopify: API version %q: want YYYY-MM", v)
		}
		c.version = v
		return nil
	}
}

// WithBaseURL sends requests to a loopback server (shopifytest) instead of
// https://<shop>; the Host header still names the shop. It accepts
// loopback addresses only.
func WithBaseURL(u string) Option {
	return func(c *config) error {
		if _, err := checkBaseURL(u); err != nil {
			return err
		}
		c.baseURL = u
		return nil
	}
}

// WithHTTPClient sets the underlying HTTP client (transport, timeouts).
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error { c.httpClient = hc; return nil }
}

// WithLogger sets the logger (default: discard). Secrets never reach it.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error { c.logger = l; return nil }
}

// WithRetryMax sets how often a failed request is retried at the transport
// level (default 4): only where that is safe — queries, and anything that
// provably never reached Shopify. Mutations are never resent blindly.
func WithRetryMax(n int) Option {
	return func(c *config) error { c.retryMax = n; return nil }
}

// WithThrottleRetries sets how often a THROTTLED answer is retried after
// waiting for the bucket (default 5).
func WithThrottleRetries(n int) Option {
	return func(c *config) error { c.throttleRetries = n; return nil }
}

// WithUserAgent appends a product token of the host application to the
// User-Agent, e.g. "shopctrl/4.2".
func WithUserAgent(product string) Option {
	return func(c *config) error { c.userAgent = product; return nil }
}

// WithMaxWait bounds how long a request waits for the shop's bucket
// (default DefaultMaxWait). A request that would wait longer — because the
// queue ahead of it is long, or because the shop reports a restore rate so
// low that the points never come — fails at once with a *WaitError, which is
// retryable, instead of holding a worker (and its leases) for hours.
func WithMaxWait(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("shopify: max wait %s: want a positive duration", d)
		}
		c.maxWait = d
		return nil
	}
}

// WithPacingDisabled turns the cost bucket off: requests go out at once and
// only THROTTLED answers slow the client down. It exists for the benchmark
// that compares pacing with retry-only; do not use it otherwise.
func WithPacingDisabled() Option {
	return func(c *config) error { c.noPacing = true; return nil }
}

// NewClient returns a client for shop (see NormalizeShop for the accepted
// forms) with an Admin API access token.
func NewClient(shop, token string, opts ...Option) (*Client, error) {
	domain, err := NormalizeShop(shop)
	if err != nil {
		return nil, err
	}
	if token == "" {
		return nil, errors.New("shopify: empty access token")
	}
	c := config{version: DefaultAPIVersion, retryMax: 4, throttleRetries: 5, maxWait: DefaultMaxWait, logger: slog.New(slog.DiscardHandler)}
	for _, opt := range opts {
		if err := opt(&c); err != nil {
			return nil, err
		}
	}
	if c.logger == nil {
		return nil, errors.New("shopify: nil logger")
	}
	rc := httpx.NewClient(httpx.WithLogger(c.logger), httpx.WithRetryMax(c.retryMax), httpx.WithHTTPClient(c.httpClient), httpx.WithUserAgent(c.userAgent))
	observeAttempts(rc)
	s := &shared{
		http:            rc,
		version:         c.version,
		logger:          c.logger,
		pacer:           &pacer{disabled: c.noPacing, maxWait: c.maxWait},
		throttleRetries: c.throttleRetries,
	}
	if c.baseURL != "" {
		s.base, _ = checkBaseURL(c.baseURL)
	}
	return &Client{shop: domain, token: token, shared: s}, nil
}

// ForShop returns a client for another shop that shares this client's
// connections, pacing and settings.
func (c *Client) ForShop(shop, token string) (*Client, error) {
	domain, err := NormalizeShop(shop)
	if err != nil {
		return nil, err
	}
	if token == "" {
		return nil, errors.New("shopify: empty access token")
	}
	return &Client{shop: domain, token: token, shared: c.shared}, nil
}

// Shop returns the shop's "name.myshopify.com" domain.
func (c *Client) Shop() string { return c.shop }

// String describes the client without its token.
func (c *Client) String() string {
	return fmt.Sprintf("shopify.Client{shop: %s, version: %s}", c.shop, c.version)
}

// GoString keeps the token out of %#v as well.
func (c *Client) GoString() string { return c.String() }

// Throttle returns the shop's last reported throttle status; ok is false
// before the first answer.
func (c *Client) Throttle() (status ThrottleStatus, ok bool) {
	return c.pacer.bucket(c.shop).status()
}

func (c *Client) endpoint() string {
	scheme, host := "https", c.shop
	if c.base != nil {
		scheme, host = c.base.Scheme, c.base.Host
	}
	return scheme + "://" + host + "/admin/api/" + c.version + "/graphql.json"
}

// Do runs a GraphQL operation and decodes its data into out (which may be
// nil). It waits for the shop's bucket first, retries THROTTLED answers
// after the time the bucket needs, and reports top-level errors as
// *ErrorResponse, HTTP errors as *HTTPError. Mutations are sent once: after
// a transport error their outcome is unknown, and the caller must read the
// state back before deciding to send again.
func (c *Client) Do(ctx context.Context, query string, vars map[string]any, out any) (*Response, error) {
	cost, err := gqlcost.Estimate(query, "", vars)
	if err != nil {
		return nil, fmt.Errorf("shopify: %w", err)
	}
	mutation := isMutation(query)
	return c.do(ctx, operation{query: query, vars: vars, cost: float64(cost), safe: !mutation, write: mutation}, out)
}

// operation is one GraphQL request.
type operation struct {
	query   string
	vars    map[string]any
	cost    float64 // requested cost, estimated or learned
	safe    bool    // sending it twice does no harm: a query, or a write that sets a value
	write   bool    // a mutation: served before reads
	costKey string  // for the client's own documents: where to learn the cost Shopify reports
}

func (c *Client) do(ctx context.Context, op operation, out any) (*Response, error) {
	body, err := json.Marshal(struct {
		Query     string         `json:"query"`
		Variables map[string]any `json:"variables,omitempty"`
	}{op.query, op.vars})
	if err != nil {
		return nil, fmt.Errorf("shopify: encode request: %w", err)
	}
	log := newAttemptLog(ctx, c.shop, op)
	for attempt := 0; ; attempt++ {
		resp, gr, err := c.paced(ctx, op, body, log)
		if err != nil {
			return resp, err
		}
		if !gr.throttled() {
			return resp, gr.decode(resp, out)
		}
		wait := gr.throttleWait(op.cost)
		c.logger.WarnContext(ctx, "shopify throttled the request", "shop", c.shop, "cost", op.cost, "retry_in", wait, "attempt", attempt+1)
		var status ThrottleStatus // a throttled answer normally carries it
		if gr.Extensions.Cost != nil {
			status = gr.Extensions.Cost.ThrottleStatus
		}
		if attempt >= c.throttleRetries {
			return resp, &ThrottledError{Cost: op.cost, Available: status.CurrentlyAvailable, RetryIn: wait}
		}
		if c.pacer.disabled { // paced clients wait in acquire
			if wait > c.pacer.maxWait {
				return resp, &WaitError{Shop: c.shop, Cost: op.cost, Wait: wait, Limit: c.pacer.maxWait, RestoreRate: status.RestoreRate}
			}
			if err := ctxtime.Sleep(ctx, wait); err != nil {
				return resp, err
			}
		}
	}
}

// paced sends op once through the shop's bucket: it waits for the cost,
// passes a write's fence, sends, and gives the bucket what the answer said.
func (c *Client) paced(ctx context.Context, op operation, body []byte, log *attemptLog) (*Response, *graphqlResponse, error) {
	b := c.pacer.bucket(c.shop)
	var t ticket
	if !c.pacer.disabled {
		prio := priorityRead
		if op.write {
			prio = priorityWrite
		}
		var err error
		if t, err = b.acquire(ctx, op.cost, prio, holdFrom(ctx)); err != nil {
			return nil, nil, err
		}
		log.wait = t.wait
	}
	if fence := fenceFrom(ctx); fence != nil && op.write {
		if err := fence(); err != nil {
			if !c.pacer.disabled {
				b.cancel(t)
			}
			return nil, nil, err
		}
	}
	resp, gr, err := c.send(context.WithValue(ctx, attemptKey{}, log), op, body)
	log.done(ctx, statusOf(resp), gr != nil && gr.throttled(), err)
	var status *ThrottleStatus
	var actual *float64
	if gr != nil && gr.Extensions.Cost != nil {
		status, actual = &gr.Extensions.Cost.ThrottleStatus, gr.Extensions.Cost.ActualQueryCost
		c.costs.learn(op.costKey, gr.Extensions.Cost.RequestedQueryCost)
	}
	if !c.pacer.disabled {
		b.done(t, status, actual)
	}
	if err == nil && resp.Cost != nil {
		b.checkVersion(c, resp.APIVersion)
	}
	return resp, gr, err
}

func statusOf(resp *Response) int {
	if resp == nil {
		return 0
	}
	return resp.StatusCode
}

// send makes one HTTP round trip.
func (c *Client) send(ctx context.Context, op operation, body []byte) (*Response, *graphqlResponse, error) {
	if op.safe {
		ctx = httpx.Idempotent(ctx) // may be resent after a transport error or 5xx
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodPost, c.endpoint(), bytes.NewReader(body))
	if err != nil {
		return nil, nil, fmt.Errorf("shopify: build request: %w", err)
	}
	req.Host = c.shop
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-Shopify-Access-Token", c.token)
	hr, err := c.http.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("shopify: %s: %w", c.shop, err)
	}
	defer hr.Body.Close()
	data, err := io.ReadAll(io.LimitReader(hr.Body, maxResponseSize))
	resp := newResponse(hr)
	if err != nil {
		return resp, nil, fmt.Errorf("shopify: %s: read response: %w", c.shop, err)
	}
	if hr.StatusCode != http.StatusOK {
		herr := &HTTPError{StatusCode: hr.StatusCode, RequestID: resp.RequestID, Message: httpx.Redact(errorsText(data))}
		herr.RetryIn, _ = httpx.ParseRetryAfter(hr.Header.Get("Retry-After"), time.Now())
		return resp, nil, herr
	}
	var gr graphqlResponse
	if err := json.Unmarshal(data, &gr); err != nil {
		return resp, nil, fmt.Errorf("shopify: %s: decode response: %w", c.shop, err)
	}
	resp.Cost = gr.Extensions.Cost
	return resp, &gr, nil
}

// checkVersion warns once per shop when Shopify served another version
// than the one asked for: a retired version falls forward silently.
func (b *bucket) checkVersion(c *Client, served string) {
	if served == "" || served == c.version {
		return
	}
	b.versionOK.Do(func() {
		c.logger.Warn("shopify served another API version than requested; the requested one is retired or unknown",
			"shop", c.shop, "requested", c.version, "served", served)
	})
}

func isMutation(query string) bool {
	q := strings.TrimLeft(query, " \t\r\n")
	return strings.HasPrefix(q, "mutation")
}
