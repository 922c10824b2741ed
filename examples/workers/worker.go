package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"syscall"
	"time"

	"github.com/shopctrl/tracksync/amazon"
	"github.com/shopctrl/tracksync/amazon/amazontest"
	"github.com/shopctrl/tracksync/mapping"
	"github.com/shopctrl/tracksync/shopify"
	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/carrier"
	"github.com/shopctrl/tracksync/tracking/sqlledger"
)

// workerEnv carries a worker's settings, as JSON, from the fleet to the
// process it starts.
const workerEnv = "TRACKSYNC_WORKER"

// workerConfig is what a worker process is told.
type workerConfig struct {
	Name       string                   `json:"name"`
	DSN        string                   `json:"dsn"`
	Orders     string                   `json:"orders"` // JSON file of []tracking.Order
	ShopifyURL string                   `json:"shopify_url"`
	AmazonURL  string                   `json:"amazon_url"`
	Tokens     map[string]string        `json:"tokens"`
	Sellers    map[string]sellerSecrets `json:"sellers"`
	Mapping    json.RawMessage          `json:"mapping"`
	LeaseTTL   time.Duration            `json:"lease_ttl"`
	StoreTTL   time.Duration            `json:"store_ttl"`
	StoreIdle  time.Duration            `json:"store_idle"`
	// Deadline is when the worker stops trying and reports what it has
	// not settled (zero: never). It comes before the fleet's own
	// deadline, so that the fleet hears why rather than killing it.
	Deadline time.Time `json:"deadline"`
	Debug    bool      `json:"debug"` // log at debug level: every shipment's outcome, every store taken and handed back
}

// sellerSecrets are a seller's LWA credentials on their way to a worker.
// amazon.Credentials writes its secrets to JSON as REDACTED (so that a log
// never holds them), so the settings carry them in a type of their own.
type sellerSecrets struct {
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	RefreshToken string `json:"refresh_token"`
}

func newSellerSecrets(c amazon.Credentials) sellerSecrets {
	return sellerSecrets{ClientID: c.ClientID, ClientSecret: c.ClientSecret, RefreshToken: c.RefreshToken}
}

func (s sellerSecrets) credentials() amazon.Credentials {
	return amazon.Credentials{ClientID: s.ClientID, ClientSecret: s.ClientSecret, RefreshToken: s.RefreshToken}
}

// workerReport is what a worker did, printed as one JSON line on its
// standard output when it is done.
type workerReport struct {
	Name          string   `json:"name"`
	Pushed        int      `json:"pushed"`         // shipments this worker sent
	AlreadyPushed int      `json:"already_pushed"` // found pushed, in the ledger or on the channel
	Failed        int      `json:"failed"`         // given up: failed for good
	Rounds        int      `json:"rounds"`         // Sync calls until everything was done
	StoreBusy     int      `json:"store_busy"`     // order answers Waiting because another worker held the store
	Stores        []string `json:"stores"`         // stores this worker pushed to
	throttleCounts
	Failures []string `json:"failures,omitempty"`
	// Unsettled counts the shipments still neither pushed nor failed for
	// good when the worker gave up at its deadline; Pending names the
	// first of them with their last outcome.
	Unsettled int      `json:"unsettled,omitempty"`
	Pending   []string `json:"pending,omitempty"`
	Seconds   float64  `json:"seconds"`

	settled map[string]bool   // shipments counted already: an order comes back while one of its shipments waits
	last    map[string]string // the last outcome of each shipment not settled yet
}

// reportedPending is how many unsettled shipments a report names.
const reportedPending = 5

// workerMain runs a worker process and prints its report.
func workerMain(settings string) int {
	level := new(slog.LevelVar)
	level.Set(slog.LevelWarn)
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	var cfg workerConfig
	if err := json.Unmarshal([]byte(settings), &cfg); err != nil {
		logger.Error("worker: bad settings", "error", err)
		return 2
	}
	if cfg.Debug {
		level.Set(slog.LevelDebug)
	}
	logger = logger.With("worker", cfg.Name)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, err := runWorker(ctx, cfg, logger)
	if err != nil {
		logger.Error("worker failed", "error", err)
		return 1
	}
	if err := json.NewEncoder(os.Stdout).Encode(rep); err != nil {
		return 1
	}
	return 0
}

// runWorker syncs every order until each shipment is pushed (by this
// worker or another) or failed for good.
func runWorker(ctx context.Context, cfg workerConfig, logger *slog.Logger) (*workerReport, error) {
	start := time.Now()
	orders, err := readOrders(cfg.Orders)
	if err != nil {
		return nil, err
	}
	ledger, err := sqlledger.OpenPostgres(ctx, cfg.DSN, sqlledger.WithLogger(logger))
	if err != nil {
		return nil, err
	}
	defer ledger.Close()
	locks, err := sqlledger.NewStoreLocks(ledger, cfg.Name, sqlledger.WithStoreTTL(cfg.StoreTTL), sqlledger.WithStoreIdle(cfg.StoreIdle))
	if err != nil {
		return nil, err
	}
	defer locks.Close()
	counter := newThrottleCounter(http.DefaultTransport)
	syncer, err := newSyncer(cfg, ledger, locks, counter, logger)
	if err != nil {
		return nil, err
	}

	rep := &workerReport{Name: cfg.Name, settled: map[string]bool{}, last: map[string]string{}}
	stores := map[string]bool{}
	if err := rep.rounds(ctx, cfg.Deadline, syncer, orders, stores); err != nil {
		return nil, err
	}
	for s := range stores {
		rep.Stores = append(rep.Stores, s)
	}
	slices.Sort(rep.Stores)
	rep.throttleCounts = counter.totals()
	rep.Seconds = time.Since(start).Seconds()
	return rep, nil
}

// rounds syncs the orders again and again until each shipment is settled
// (pushed, by this worker or another, or failed for good) or the deadline
// comes; then it notes what is still unsettled, and why.
func (rep *workerReport) rounds(ctx context.Context, deadline time.Time, syncer *tracking.Syncer, orders []tracking.Order, stores map[string]bool) error {
	parent := ctx
	if !deadline.IsZero() {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, deadline)
		defer cancel()
	}
	for pending := orders; len(pending) > 0; {
		if ctx.Err() != nil {
			if parent.Err() != nil {
				return parent.Err()
			}
			rep.giveUp()
			break
		}
		rep.Rounds++
		results, err := syncer.Sync(ctx, pending...)
		if err != nil && parent.Err() != nil {
			return err // stopped from outside
		}
		var again []tracking.Order
		wait := time.Second
		for i, r := range results {
			retry, after := rep.count(r, stores)
			if retry {
				again = append(again, pending[i])
				wait = min(wait, after)
			}
		}
		pending = again
		if len(pending) == 0 {
			break
		}
		_ = sleep(ctx, max(wait, 20*time.Millisecond)) // the loop's head sees the deadline
	}
	return nil
}

// giveUp notes the shipments not settled at the deadline.
func (rep *workerReport) giveUp() {
	rep.Unsettled = len(rep.last)
	for _, key := range slices.Sorted(maps.Keys(rep.last)) {
		if len(rep.Pending) == reportedPending {
			break
		}
		rep.Pending = append(rep.Pending, rep.last[key])
	}
}

// count adds an order's result to the report and says whether the order
// needs another round, and after how long at the soonest.
func (rep *workerReport) count(r tracking.OrderResult, stores map[string]bool) (retry bool, after time.Duration) {
	after = time.Second
	busy := false
	for _, res := range r.Results {
		for _, sh := range res.Shipments {
			key := settleKey(r, res.Exporter, sh)
			if rep.settled[key] {
				continue // counted already: its order is back for another shipment
			}
			if rep.settle(key, r, sh, stores) {
				continue
			}
			retry = true // Waiting, or Failed for a while
			if _, seen := rep.last[key]; !seen || !errors.Is(sh.Err, context.DeadlineExceeded) {
				// The deadline cut this round short: the outcome before it says more.
				rep.last[key] = fmt.Sprintf("%s %s: %s: %s", r.OrderID, sh.ShipmentID, sh.State, sh.Reason)
			}
			busy = busy || isStoreBusy(sh)
			wait := sh.RetryAfter
			if wait <= 0 {
				wait = 100 * time.Millisecond
			}
			after = min(after, wait)
		}
	}
	if busy {
		rep.StoreBusy++
	}
	return retry, after
}

// settle counts a shipment that reached a final state and reports whether
// it did.
func (rep *workerReport) settle(key string, r tracking.OrderResult, sh tracking.ShipmentResult, stores map[string]bool) bool {
	if sh.State != tracking.Pushed && sh.State != tracking.AlreadyPushed && (sh.State != tracking.Failed || sh.Retryable) {
		return false
	}
	rep.settled[key] = true
	delete(rep.last, key)
	switch sh.State {
	case tracking.Pushed:
		rep.Pushed++
		stores[r.Store] = true
	case tracking.AlreadyPushed:
		rep.AlreadyPushed++
	default:
		rep.Failed++
		if len(rep.Failures) < 5 {
			rep.Failures = append(rep.Failures, fmt.Sprintf("%s %s: %s", r.OrderID, sh.ShipmentID, sh.Reason))
		}
	}
	return true
}

// settleKey names a shipment of an order for one exporter.
func settleKey(r tracking.OrderResult, exporter string, sh tracking.ShipmentResult) string {
	return exporter + "\x00" + r.OrderID + "\x00" + sh.ShipmentID
}

func isStoreBusy(sh tracking.ShipmentResult) bool {
	return sh.State == tracking.Waiting && errors.Is(sh.Err, tracking.ErrStoreBusy)
}

// newSyncer builds this worker's Syncer: its own channel clients (and so
// its own pacers), the shared ledger, and the store leases.
func newSyncer(cfg workerConfig, ledger *sqlledger.Ledger, locks *sqlledger.StoreLocks, counter *throttleCounter, logger *slog.Logger) (*tracking.Syncer, error) {
	hc := &http.Client{Transport: counter, Timeout: 30 * time.Second}
	shops, err := shopify.NewShopClients(cfg.Tokens, shopify.WithBaseURL(cfg.ShopifyURL), shopify.WithHTTPClient(hc),
		shopify.WithUserAgent("tracksync-workers-example"))
	if err != nil {
		return nil, err
	}
	sellers := map[string]amazon.Seller{}
	for id, secrets := range cfg.Sellers {
		sellers[id] = amazon.Seller{Credentials: secrets.credentials(), Region: amazon.Europe}
	}
	sps, err := amazon.NewSellerClients(sellers, amazon.WithBaseURL(cfg.AmazonURL), amazon.WithLWAEndpoint(cfg.AmazonURL+"/auth/o2/token"),
		amazon.WithHTTPClient(hc), amazon.WithUserAgent("tracksync-workers-example"),
		amazon.WithUsagePlan(amazontest.OpConfirmShipment, amazonRate, amazonBurst),
		amazon.WithUsagePlan(amazontest.OpGetOrder, amazonRate, amazonBurst))
	if err != nil {
		return nil, err
	}
	m, err := mapping.Load(bytes.NewReader(cfg.Mapping))
	if err != nil {
		return nil, err
	}
	shopifyExporter, err := shopify.NewExporter(shops, m, shopify.WithNumberPolicy(carrier.PolicyOff))
	if err != nil {
		return nil, err
	}
	amazonExporter, err := amazon.NewExporter(sps, m, amazon.WithNumberPolicy(carrier.PolicyOff))
	if err != nil {
		return nil, err
	}
	return tracking.NewSyncer(
		tracking.WithExporters(shopifyExporter, amazonExporter),
		tracking.WithLedger(ledger),
		tracking.WithOwner(cfg.Name),
		tracking.WithLeaseTTL(cfg.LeaseTTL),
		tracking.WithStoreLocker(locks),
		tracking.WithLogger(logger),
	)
}

func readOrders(path string) ([]tracking.Order, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var orders []tracking.Order
	if err := json.Unmarshal(b, &orders); err != nil {
		return nil, fmt.Errorf("orders file %s: %w", path, err)
	}
	return orders, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
