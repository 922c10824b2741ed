package tracking

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"time"
)

// Option configures a Syncer.
type Option func(*syncerConfig)

type syncerConfig struct {
	exporters   []Exporter
	ledger      Ledger
	concurrency int
	logger      *slog.Logger
	owner       string
	leaseTTL    time.Duration
	loggerSet   bool
	observer    Observer
	stores      StoreLocker
	timeout     time.Duration
}

// WithExporters adds exporters. An order goes to every exporter whose
// Channel is the order's, then to every exporter of AllChannels.
func WithExporters(e ...Exporter) Option {
	return func(c *syncerConfig) { c.exporters = append(c.exporters, e...) }
}

// WithLedger sets the ledger that makes pushes exactly-once. Default: a new
// MemoryLedger, which forgets everything when the process ends; use a
// FileLedger or a database-backed Ledger in production.
func WithLedger(l Ledger) Option {
	return func(c *syncerConfig) { c.ledger = l }
}

// WithConcurrency sets how many orders are synced at the same time
// (default 8). Channel clients pace themselves per store, so a higher value
// helps across many stores more than within one.
func WithConcurrency(n int) Option {
	return func(c *syncerConfig) { c.concurrency = n }
}

// WithLogger sets the logger (default: discard).
func WithLogger(l *slog.Logger) Option {
	return func(c *syncerConfig) { c.logger, c.loggerSet = l, true }
}

// WithOwner names this worker in ledger leases (default: host name,
// process id and a random suffix). Give each worker of a fleet its own.
func WithOwner(owner string) Option {
	return func(c *syncerConfig) { c.owner = owner }
}

// WithLeaseTTL sets how long a claimed shipment stays reserved for this
// worker (default 15 minutes). It must exceed the longest export of one
// order, including the time spent waiting for a channel's rate limit: when
// it runs out, another worker may take the shipment over and reconcile.
func WithLeaseTTL(d time.Duration) Option {
	return func(c *syncerConfig) { c.leaseTTL = d }
}

// ErrConfig reports a Syncer configuration that cannot work.
// WithObserver gives the Syncer an Observer of every shipment result and,
// through the context it passes to exporters, of every request their
// clients make.
func WithObserver(o Observer) Option {
	return func(c *syncerConfig) { c.observer = o }
}

// WithStoreLocker makes the Syncer take each store from l before working on
// its orders, so that several processes never sync one store at once.
// Orders of a store another process holds come back Waiting.
func WithStoreLocker(l StoreLocker) Option {
	return func(c *syncerConfig) { c.stores = l }
}

// WithOrderTimeout bounds the time one order's export may take (each
// exporter's call included); 0, the default, sets no bound. An order that
// runs out of time comes back Failed and retryable, and its leases are
// released or left to expire, never committed for an unfinished write.
func WithOrderTimeout(d time.Duration) Option {
	return func(c *syncerConfig) { c.timeout = d }
}

var ErrConfig = errors.New("tracking: invalid syncer configuration")

func (c *syncerConfig) check() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrConfig}, args...)...))
	}
	if len(c.exporters) == 0 {
		bad("no exporters; add them with WithExporters")
	}
	if c.ledger == nil {
		bad("nil ledger")
	}
	if c.concurrency < 1 {
		bad("concurrency %d; want at least 1", c.concurrency)
	}
	if c.leaseTTL <= 0 {
		bad("lease TTL %s; want a positive duration", c.leaseTTL)
	}
	if c.owner == "" {
		bad("empty owner")
	}
	if c.logger == nil {
		bad("nil logger")
	}
	// Two exporters that see the same order under one purpose would read
	// each other's ledger records as their own.
	if c.timeout < 0 {
		bad("order timeout %s; want 0 (none) or a positive duration", c.timeout)
	}
	c.checkExporters(bad)
	return errors.Join(errs...)
}

// checkExporters refuses nil exporters, malformed channel names and two
// exporters that would see the same orders under one purpose: they would
// share ledger records and skip each other's shipments.
func (c *syncerConfig) checkExporters(bad func(format string, args ...any)) {
	type seat struct {
		channel Channel
		purpose string
	}
	seen := map[seat]string{}
	var channels []Channel
	for i, e := range c.exporters {
		if e == nil {
			bad("exporter %d is nil", i)
			continue
		}
		ch := e.Channel()
		if ch != AllChannels && !ch.valid() {
			bad("exporter %d has channel %q; want lower-case letters, digits, '.', '-' or '_'", i, ch)
			continue
		}
		info := describe(e)
		if prev, ok := seen[seat{ch, info.Purpose}]; ok {
			bad("exporters %q and %q both see channel %q orders under purpose %q; give one a distinct Purpose", prev, info.Name, ch, info.Purpose)
			continue
		}
		seen[seat{ch, info.Purpose}] = info.Name
		if ch != AllChannels && !slices.Contains(channels, ch) {
			channels = append(channels, ch)
		}
	}
	for st, name := range seen {
		if st.channel != AllChannels {
			continue
		}
		for _, ch := range channels {
			if prev, ok := seen[seat{ch, st.purpose}]; ok {
				bad("exporters %q and %q both see channel %q orders under purpose %q; give one a distinct Purpose", prev, name, ch, st.purpose)
			}
		}
	}
}

// DefaultOwner returns the owner name a Syncer claims leases under when
// WithOwner is not given: the host name, the process id and a random
// suffix, so that two processes (or two Syncers of one) never share one.
// Hosts that run store locks beside a Syncer use it to name both alike.
func DefaultOwner() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "tracksync"
	}
	var b [4]byte
	_, _ = rand.Read(b[:])
	return host + "-" + strconv.Itoa(os.Getpid()) + "-" + hex.EncodeToString(b[:])
}
