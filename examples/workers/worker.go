package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
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
	Name       string                        `json:"name"`
	DSN        string                        `json:"dsn"`
	Orders     string                        `json:"orders"` // JSON file of []tracking.Order
	ShopifyURL string                        `json:"shopify_url"`
	AmazonURL  string                        `json:"amazon_url"`
	Tokens     map[string]string             `json:"tokens"`
	Sellers    map[string]amazon.Credentials `json:"sellers"`
	Mapping    json.RawMessage               `json:"mapping"`
	LeaseTTL   time.Duration                 `json:"lease_ttl"`
	StoreTTL   time.Duration                 `json:"store_ttl"`
	StoreIdle  time.Duration                 `json:"store_idle"`
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
	Seconds  float64  `json:"seconds"`

	settled map[string]bool // shipments counted already: an order comes back while one of its shipments waits
}

// workerMain runs a worker process and prints its report.
func workerMain(settings string) int {
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	var cfg workerConfig
	if err := json.Unmarshal([]byte(settings), &cfg); err != nil {
		logger.Error("worker: bad settings", "error", err)
		return 2
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

	rep := &workerReport{Name: cfg.Name, settled: map[string]bool{}}
	stores := map[string]bool{}
	for pending := orders; len(pending) > 0; {
		rep.Rounds++
		results, err := syncer.Sync(ctx, pending...)
		if err != nil {
			return nil, err
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
		if len(pending) > 0 {
			if err := sleep(ctx, max(wait, 20*time.Millisecond)); err != nil {
				return nil, err
			}
		}
	}
	for s := range stores {
		rep.Stores = append(rep.Stores, s)
	}
	slices.Sort(rep.Stores)
	rep.throttleCounts = counter.totals()
	rep.Seconds = time.Since(start).Seconds()
	return rep, nil
}

// count adds an order's result to the report and says whether the order
// needs another round, and after how long at the soonest.
func (rep *workerReport) count(r tracking.OrderResult, stores map[string]bool) (retry bool, after time.Duration) {
	after = time.Second
	busy := false
	for _, res := range r.Results {
		for _, sh := range res.Shipments {
			if rep.settle(r, res.Exporter, sh, stores) {
				continue
			}
			retry = true // Waiting, or Failed for a while
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

// settle counts a shipment that reached a final state, once, and reports
// whether it did.
func (rep *workerReport) settle(r tracking.OrderResult, exporter string, sh tracking.ShipmentResult, stores map[string]bool) bool {
	if sh.State != tracking.Pushed && sh.State != tracking.AlreadyPushed && (sh.State != tracking.Failed || sh.Retryable) {
		return false
	}
	key := exporter + "\x00" + r.OrderID + "\x00" + sh.ShipmentID
	if rep.settled[key] {
		return true
	}
	rep.settled[key] = true
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
	for id, creds := range cfg.Sellers {
		sellers[id] = amazon.Seller{Credentials: creds, Region: amazon.Europe}
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
