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
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
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
	// Timeout bounds the run. The workers stop trying a tenth of it
	// earlier (at least 2 s) and report what they had not settled; a
	// worker still running at the timeout gets SIGQUIT, so that its
	// goroutines are dumped to its standard error, and then SIGKILL.
	Timeout time.Duration
	// LogDir, when set, keeps each worker's whole standard error in
	// LogDir/<worker>.log, logged at debug level (every shipment's
	// outcome, every store taken and handed back, a goroutine dump).
	LogDir string
}

func defaultFleet() fleetConfig {
	return fleetConfig{
		Workers: 4, Shops: 8, Sellers: 4, Shipments: 5000, Faults: true, KillAt: 1.0 / 3,
		// Short leases, so that the stores and shipments of a killed
		// worker move on within seconds; production wants minutes.
		LeaseTTL: 3 * time.Second, StoreTTL: 2 * time.Second, StoreIdle: 500 * time.Millisecond,
		Timeout: 5 * time.Minute,
	}
}

// workerDeadline is when the workers of a run that ends at end stop
// trying: early enough to report before the fleet kills them.
func workerDeadline(end time.Time, timeout time.Duration) time.Time {
	return end.Add(-max(timeout/10, 2*time.Second))
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

// ok reports whether every shipment reached its channel exactly once, no
// worker gave up on one and no shop was throttled after its first answer.
func (r *fleetReport) ok() bool {
	return len(r.Missing) == 0 && len(r.Twice) == 0 && r.totals().ShopifyThrottled == 0 && r.unsettled() == 0
}

// unsettled counts the shipments the workers gave up on at their deadline.
func (r *fleetReport) unsettled() int {
	n := 0
	for _, w := range r.Workers {
		n += w.Unsettled
	}
	return n
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
// asked) and checks the fakes. The report comes back whenever the fakes
// could be checked, with an error when the run did not end well: a worker
// that failed or was stopped at the timeout.
func runFleet(ctx context.Context, cfg fleetConfig) (*fleetReport, error) {
	start := time.Now()
	if cfg.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.Timeout)
		defer cancel()
	}
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

	workers, err := startWorkers(ctx, cfg, w, ordersFile)
	if err != nil {
		return nil, err
	}
	report := &fleetReport{Shipments: 2 * len(w.orders)}
	var errs []error
	if cfg.Kill {
		report.Killed, report.KilledAt, err = killOne(ctx, pool, workers, nonce, int(cfg.KillAt*float64(report.Shipments)))
		if err != nil {
			errs = append(errs, fmt.Errorf("kill a worker: %w", err))
		}
	}
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
	if ctx.Err() != nil {
		missing := ""
		if len(report.Missing) > 0 {
			missing = ": " + firstFew(report.Missing)
		}
		errs = append(errs, fmt.Errorf("the fleet did not finish within %v (the workers still running then were stopped); %d of %d shipments are not on their channels%s%s",
			cfg.Timeout, len(report.Missing), report.Shipments, missing, cfg.logHint()))
	}
	return report, errors.Join(errs...)
}

// startWorkers starts the worker processes, each told its settings.
func startWorkers(ctx context.Context, cfg fleetConfig, w *world, ordersFile string) ([]*worker, error) {
	secrets := map[string]sellerSecrets{}
	for id, c := range w.creds {
		secrets[id] = newSellerSecrets(c)
	}
	var deadline time.Time
	if end, ok := ctx.Deadline(); ok {
		deadline = workerDeadline(end, cfg.Timeout)
	}
	workers := make([]*worker, cfg.Workers)
	for i := range workers {
		wc := workerConfig{
			Name: fmt.Sprintf("worker-%d", i+1), DSN: cfg.DSN, Orders: ordersFile,
			ShopifyURL: w.shopify.URL(), AmazonURL: w.amazon.URL(), Tokens: w.tokens, Sellers: secrets, Mapping: w.mapping,
			LeaseTTL: cfg.LeaseTTL, StoreTTL: cfg.StoreTTL, StoreIdle: cfg.StoreIdle,
			Deadline: deadline, Debug: cfg.LogDir != "",
		}
		var err error
		if workers[i], err = startWorker(ctx, cfg, wc); err != nil {
			for _, started := range workers[:i] {
				started.kill()
				_, _ = started.wait()
			}
			return nil, err
		}
	}
	return workers, nil
}

// logHint says where the workers' logs are, or how to keep them.
func (cfg fleetConfig) logHint() string {
	if cfg.LogDir != "" {
		return "; the workers' logs and goroutine dumps are in " + cfg.LogDir
	}
	return "; keep the workers' logs and goroutine dumps with -logs DIR (the test: " + logsEnv + "=DIR)"
}

// logsEnv names the environment variable with which TestFleet keeps the
// workers' logs (fleetConfig.LogDir).
const logsEnv = "TRACKSYNC_WORKERS_LOGS"

// firstFew lists the first few of names, and how many more there are.
func firstFew(names []string) string {
	const few = 5
	if len(names) <= few {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:few], ", "), len(names)-few)
}

// worker is a running worker process.
type worker struct {
	name   string
	cmd    *exec.Cmd
	stdout bytes.Buffer
	stderr *tail
	log    *os.File      // the whole standard error, with fleetConfig.LogDir
	exited chan struct{} // closed when the process has ended
	err    error         // how it ended, once exited is closed
	killed bool
}

func startWorker(ctx context.Context, cfg fleetConfig, wc workerConfig) (*worker, error) {
	settings, err := json.Marshal(wc)
	if err != nil {
		return nil, err
	}
	wk := &worker{name: wc.Name, stderr: &tail{max: 4096}, exited: make(chan struct{})}
	wk.cmd = exec.CommandContext(ctx, cfg.Exe)
	// At the fleet's timeout: SIGQUIT, which makes a Go program dump its
	// goroutines and exit; SIGKILL if it is still there a moment later.
	wk.cmd.Cancel = func() error { return wk.cmd.Process.Signal(syscall.SIGQUIT) }
	wk.cmd.WaitDelay = 3 * time.Second
	wk.cmd.Env = append(append(os.Environ(), cfg.Env...), workerEnv+"="+string(settings))
	wk.cmd.Stdout, wk.cmd.Stderr = &wk.stdout, wk.stderr
	if cfg.LogDir != "" {
		if wk.log, err = os.Create(filepath.Join(cfg.LogDir, wc.Name+".log")); err != nil {
			return nil, err
		}
		wk.cmd.Stderr = io.MultiWriter(wk.stderr, wk.log)
	}
	if err := wk.cmd.Start(); err != nil {
		wk.closeLog()
		return nil, fmt.Errorf("start %s: %w", wc.Name, err)
	}
	go func() {
		wk.err = wk.cmd.Wait()
		wk.closeLog()
		close(wk.exited)
	}()
	return wk, nil
}

func (wk *worker) closeLog() {
	if wk.log != nil {
		_ = wk.log.Close()
	}
}

func (wk *worker) kill() {
	wk.killed = true
	_ = wk.cmd.Process.Kill() // SIGKILL: no Close, no hand-back, as a crash
}

// wait waits for the worker to end and reads its report.
func (wk *worker) wait() (*workerReport, error) {
	<-wk.exited
	if wk.killed {
		return nil, nil
	}
	if wk.err != nil {
		return nil, fmt.Errorf("%s: %w; its last words: %s", wk.name, wk.err, wk.stderr.String())
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
// then kills the worker that holds the most stores. It gives up when the
// workers have all ended first.
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
		if allExited(workers) {
			return "", done, fmt.Errorf("every worker ended with %d of the %d shipments to kill at committed", done, at)
		}
		if err := sleep(ctx, 20*time.Millisecond); err != nil {
			return "", done, err
		}
	}
}

func allExited(workers []*worker) bool {
	for _, wk := range workers {
		select {
		case <-wk.exited:
		default:
			return false
		}
	}
	return true
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
