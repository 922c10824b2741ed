package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shopctrl/tracksync/tracking/sqlledger"
)

// fleetConfig is one run of the fleet.
type fleetConfig struct {
	DSN       string
	Workers   int
	Shops     int
	Sellers   int
	Shipments int
	Faults    bool
	Kill      bool
	KillAt    float64  // the share of shipments committed when the kill comes
	Exe       string   // the program to start as a worker
	Env       []string // more environment for the workers
	LeaseTTL  time.Duration
	StoreTTL  time.Duration
	StoreIdle time.Duration
}

func defaultFleet() fleetConfig {
	return fleetConfig{
		Workers: 4, Shops: 8, Sellers: 4, Shipments: 5000, Faults: true, KillAt: 1.0 / 3,
		// Short leases, so that the stores and shipments of a killed
		// worker move on within seconds; production wants minutes.
		LeaseTTL: 3 * time.Second, StoreTTL: 2 * time.Second, StoreIdle: 500 * time.Millisecond,
	}
}

// fleetReport is what the run did, and what the fakes hold afterwards.
type fleetReport struct {
	Workers   []workerReport
	Killed    string // the worker killed mid-run, if any
	KilledAt  int    // shipments committed when it was killed
	Shipments int
	Missing   []string // shipments the channel does not have
	Twice     []string // shipments the channel holds more than once
	Resent    []string // Amazon packages confirmed again with the same data (an edit, not a second package)
	Seconds   float64
}

// ok reports whether every shipment reached its channel exactly once and no
// shop was throttled after its first answer.
func (r *fleetReport) ok() bool {
	return len(r.Missing) == 0 && len(r.Twice) == 0 && r.totals().ShopifyThrottled == 0
}

// totals adds up the workers' channel answers.
func (r *fleetReport) totals() throttleCounts {
	var t throttleCounts
	for _, w := range r.Workers {
		t.Requests += w.Requests
		t.ShopifyThrottled += w.ShopifyThrottled
		t.ShopifyFirst += w.ShopifyFirst
		t.Amazon429 += w.Amazon429
	}
	return t
}

// runFleet seeds the fakes, runs the workers to the end (killing one when
// asked) and checks the fakes.
func runFleet(ctx context.Context, cfg fleetConfig) (*fleetReport, error) {
	start := time.Now()
	// The schema is migrated here once, rather than by four workers at once
	// (which would be safe too, but slower).
	ledger, err := sqlledger.OpenPostgres(ctx, cfg.DSN)
	if err != nil {
		return nil, err
	}
	ledger.Close()
	pool, err := pgxpool.New(ctx, cfg.DSN)
	if err != nil {
		return nil, err
	}
	defer pool.Close()

	nonce := newNonce()
	w, err := newWorld(cfg, nonce)
	if err != nil {
		return nil, err
	}
	defer w.close()
	if cfg.Faults {
		w.injectFaults()
	}
	dir, err := os.MkdirTemp("", "tracksync-workers-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	ordersFile := filepath.Join(dir, "orders.json")
	if err := writeJSON(ordersFile, w.orders); err != nil {
		return nil, err
	}

	workers := make([]*worker, cfg.Workers)
	for i := range workers {
		wc := workerConfig{
			Name: fmt.Sprintf("worker-%d", i+1), DSN: cfg.DSN, Orders: ordersFile,
			ShopifyURL: w.shopify.URL(), AmazonURL: w.amazon.URL(), Tokens: w.tokens, Sellers: w.creds, Mapping: w.mapping,
			LeaseTTL: cfg.LeaseTTL, StoreTTL: cfg.StoreTTL, StoreIdle: cfg.StoreIdle,
		}
		if workers[i], err = startWorker(ctx, cfg, wc); err != nil {
			for _, started := range workers[:i] {
				started.kill()
			}
			return nil, err
		}
	}
	report := &fleetReport{Shipments: 2 * len(w.orders)}
	if cfg.Kill {
		report.Killed, report.KilledAt, err = killOne(ctx, pool, workers, nonce, int(cfg.KillAt*float64(report.Shipments)))
		if err != nil {
			return nil, err
		}
	}
	var errs []error
	for _, wk := range workers {
		rep, err := wk.wait()
		switch {
		case wk.name == report.Killed:
		case err != nil:
			errs = append(errs, err)
		default:
			report.Workers = append(report.Workers, *rep)
		}
	}
	report.Missing, report.Twice, report.Resent = w.check()
	report.Seconds = time.Since(start).Seconds()
	return report, errors.Join(errs...)
}

// worker is a running worker process.
type worker struct {
	name   string
	cmd    *exec.Cmd
	stdout bytes.Buffer
	stderr *tail
	killed bool
}

func startWorker(ctx context.Context, cfg fleetConfig, wc workerConfig) (*worker, error) {
	settings, err := json.Marshal(wc)
	if err != nil {
		return nil, err
	}
	wk := &worker{name: wc.Name, stderr: &tail{max: 4096}}
	wk.cmd = exec.CommandContext(ctx, cfg.Exe)
	wk.cmd.Env = append(append(os.Environ(), cfg.Env...), workerEnv+"="+string(settings))
	wk.cmd.Stdout, wk.cmd.Stderr = &wk.stdout, wk.stderr
	if err := wk.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", wc.Name, err)
	}
	return wk, nil
}

func (wk *worker) kill() {
	wk.killed = true
	_ = wk.cmd.Process.Kill() // SIGKILL: no Close, no hand-back, as a crash
}

// wait waits for the worker to end and reads its report.
func (wk *worker) wait() (*workerReport, error) {
	err := wk.cmd.Wait()
	if wk.killed {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w; its last words: %s", wk.name, err, wk.stderr.String())
	}
	var rep workerReport
	sc := bufio.NewScanner(&wk.stdout)
	for sc.Scan() { // the last line is the report
		if err := json.Unmarshal(sc.Bytes(), &rep); err != nil {
			return nil, fmt.Errorf("%s: report: %w", wk.name, err)
		}
	}
	return &rep, nil
}

// killOne waits until at least `at` shipments of this run are committed,
// then kills the worker that holds the most stores.
func killOne(ctx context.Context, pool *pgxpool.Pool, workers []*worker, nonce string, at int) (string, int, error) {
	for {
		var done int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM tracksync_ledger WHERE committed AND order_id LIKE $1`, nonce+"-%").Scan(&done); err != nil {
			return "", 0, err
		}
		if done >= at {
			var owner string
			err := pool.QueryRow(ctx, `SELECT owner FROM tracksync_store_lease WHERE expires > now()
				GROUP BY owner ORDER BY count(*) DESC, owner LIMIT 1`).Scan(&owner)
			if err != nil {
				owner = workers[0].name // nobody holds a store this instant: kill the first
			}
			for _, wk := range workers {
				if wk.name == owner {
					wk.kill()
				}
			}
			return owner, done, nil
		}
		if err := sleep(ctx, 20*time.Millisecond); err != nil {
			return "", 0, err
		}
	}
}

// check counts, on the fakes, how often each shipment's tracking number
// is there: Shopify fulfillments, Amazon packages. An Amazon package
// confirmed again (a client's retry after a dropped answer) is one package,
// edited with the same data: it is reported apart.
func (w *world) check() (missing, twice, resent []string) {
	for _, o := range w.orders {
		got := map[string]int{}
		if shop := w.shops[o.Store]; shop != nil {
			for _, f := range shop.Fulfillments(o.ChannelOrderID) {
				for _, t := range f.Tracking {
					got[t.Number]++
				}
			}
		} else {
			for _, p := range w.sellers[o.Store].Packages(o.ChannelOrderID) {
				got[p.TrackingNumber]++
				if p.Edits > 0 {
					resent = append(resent, fmt.Sprintf("%s (%d edits)", p.TrackingNumber, p.Edits))
				}
			}
		}
		for _, s := range o.Shipments {
			switch n := got[s.TrackingNumber]; {
			case n == 0:
				missing = append(missing, s.ID)
			case n > 1:
				twice = append(twice, fmt.Sprintf("%s (%d times)", s.ID, n))
			}
		}
	}
	return missing, twice, resent
}

func writeJSON(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o600)
}

func newNonce() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return "W" + hex.EncodeToString(b[:])
}

// tail keeps the last max bytes written to it: a worker's last words.
type tail struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = t.buf[len(t.buf)-t.max:]
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}
