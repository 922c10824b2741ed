package httpx

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
)

// Defaults for NewClient.
const (
	// Four retries starting at 250ms wait 2-4s in total (more only when the
	// server asks with Retry-After): enough to ride out a blip or a
	// rate-limit refill without holding a sync worker for minutes. The 30s
	// cap matters once a caller raises RetryMax.
	defaultRetryMax = 4
	defaultWaitMin  = 250 * time.Millisecond
	defaultWaitMax  = 30 * time.Second

	// A server that has not started answering within a minute is not going
	// to; fail the attempt so the retry policy can decide what to do.
	defaultResponseHeaderTimeout = 60 * time.Second
	// Backstop for a body that trickles forever. It is per attempt and
	// includes reading the body, so it is generous; callers bound whole
	// operations with their context.
	defaultClientTimeout = 5 * time.Minute
)

// Option configures NewClient. Options keep the zero value meaningful: a
// client built with no options has retries, timeouts and a User-Agent.
type Option func(*config)

type config struct {
	logger     *slog.Logger
	retryMax   int
	waitMin    time.Duration
	waitMax    time.Duration
	httpClient *http.Client
	product    string
}

// WithLogger sends retryablehttp's messages and CheckRetry's decisions to l,
// redacted (see NewLeveledLogger). Without it nothing is logged, so a library
// user is never surprised by output on stderr.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// WithRetryMax sets how many times a request is retried after the first
// attempt (default 4). Zero disables retries; negative counts as zero.
func WithRetryMax(n int) Option {
	return func(c *config) { c.retryMax = max(n, 0) }
}

// WithBackoff sets the bounds passed to Backoff (default 250ms..30s). Tests
// use tiny values; a batch job talking to a strict rate limiter may want
// larger ones.
func WithBackoff(minWait, maxWait time.Duration) Option {
	return func(c *config) { c.waitMin, c.waitMax = minWait, maxWait }
}

// WithHTTPClient uses hc's transport, timeout, redirect policy (after the
// credential rules of NewClient) and cookie jar instead of the default pooled client, e.g. to inject a test
// RoundTripper or a proxy. hc is copied, not modified; a nil Transport means
// http.DefaultTransport, as in net/http.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) { c.httpClient = hc }
}

// WithUserAgent appends a product token to the User-Agent, e.g.
// "acme-oms/2.3" gives "tracksync/<Version> acme-oms/2.3", so a channel can
// tell which integration of this module is calling.
func WithUserAgent(product string) Option {
	return func(c *config) { c.product = product }
}

// NewClient returns a retrying HTTP client with this package's policies:
// Classify via CheckRetry, Backoff, the User-Agent, redacted logging, and
// PassthroughErrorHandler.
//
// PassthroughErrorHandler matters to callers: when retries are exhausted they
// receive the last response (a 429 or 503 with its body unread and open) and
// a nil error, rather than retryablehttp's "giving up after N attempts", so
// they can build a typed error from the channel's error body. As always,
// the caller must close the body. Errors come back as net/http produced them
// (a *url.Error; errors.Is finds syscall.ECONNREFUSED and the like), or as
// ctx.Err() when the caller's context ends, during a request or a wait.
//
// Redirects never carry credentials: credential headers are dropped on
// every redirect and a redirect to another origin is refused with
// *RedirectError (see there); a caller's own CheckRedirect runs after these
// rules.
//
// Mark requests that are idempotent despite their method with Idempotent.
// Set the transport with WithHTTPClient rather than by replacing
// HTTPClient.Transport afterwards: the wrapper NewClient installs is what
// sets the User-Agent and tells the retry policy which request failed.
func NewClient(opts ...Option) *retryablehttp.Client {
	cfg := config{
		retryMax: defaultRetryMax,
		waitMin:  defaultWaitMin,
		waitMax:  defaultWaitMax,
	}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.logger == nil {
		cfg.logger = slog.New(slog.DiscardHandler)
	}

	var hc http.Client
	if cfg.httpClient != nil {
		hc = *cfg.httpClient
	} else {
		hc = defaultHTTPClient()
	}
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	if t, ok := base.(*transport); ok {
		base = t.base // don't stack our wrapper when reusing a client's transport
	}
	hc.Transport = &transport{base: base, userAgent: userAgent(cfg.product)}
	// Credentials never follow a redirect to another host; see RedirectError.
	hc.CheckRedirect = checkRedirect(hc.CheckRedirect)

	return &retryablehttp.Client{
		HTTPClient:   &hc,
		Logger:       NewLeveledLogger(cfg.logger),
		RetryWaitMin: cfg.waitMin,
		RetryWaitMax: cfg.waitMax,
		RetryMax:     cfg.retryMax,
		CheckRetry:   CheckRetry(cfg.logger),
		Backoff:      Backoff,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
}

// defaultHTTPClient is cleanhttp's pooled client (dial 30s, TLS handshake 10s,
// idle connections kept 90s, proxy from the environment; unlike
// http.DefaultTransport, not shared with other packages) plus the timeouts
// above.
func defaultHTTPClient() http.Client {
	tr := cleanhttp.DefaultPooledTransport()
	tr.ResponseHeaderTimeout = defaultResponseHeaderTimeout
	return http.Client{Transport: tr, Timeout: defaultClientTimeout}
}
