package main

import (
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/sqlledger"
	"github.com/shopctrl/tracksync/tracking/sqlledger/pgtest"
)

func TestSQLiteLedgerPushesOnce(t *testing.T) {
	c := newChannels(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "ledger.db")
	r := requirePushedOnce(t, c, dir, "-sqlite", db)
	require.Contains(t, r.stderr, "ledger: SQLite "+db)
	_, err := os.Stat(db)
	require.NoError(t, err, "the database was created")
	_, err = os.Stat(filepath.Join(dir, "ledger.jsonl"))
	require.ErrorIs(t, err, os.ErrNotExist, "no ledger file beside it")
}

func TestPostgresLedgerPushesOnce(t *testing.T) {
	dsn := pgtest.DSN(t) // skips without $TRACKSYNC_POSTGRES_DSN, unless CI is set
	c := newChannels(t)
	dir := t.TempDir()
	r := requirePushedOnce(t, c, dir, "-postgres", dsn)
	cfg, err := pgxpool.ParseConfig(dsn)
	require.NoError(t, err)
	require.Contains(t, r.stderr, `ledger: PostgreSQL database "`+cfg.ConnConfig.Database+`" on `+cfg.ConnConfig.Host)
	requireDSNHidden(t, r, dsn, cfg.ConnConfig.Password)
}

// requirePushedOnce runs the command twice over the ledger the flags name:
// the first run pushes every shipment, the second finds them all in the
// ledger and sends nothing. It returns the first run.
func requirePushedOnce(t *testing.T, c *channels, dir string, ledger ...string) result {
	t.Helper()
	orders := []tracking.Order{c.shopifyOrder(t), c.amazonOrder(t)}
	path := filepath.Join(dir, "orders.jsonl")
	writeOrders(t, path, orders)
	args := c.argsWithLedger(t, dir, append(ledger, "-orders", path)...)

	first := runCmd(t.Context(), "", args...)
	require.Equal(t, exitOK, first.code, first.stderr)
	require.Regexp(t, `shopify\s+demo-shop.myshopify.com\s+2\s+0\s+0\s+0`, first.stdout)
	require.Regexp(t, `amazon\s+A2EXAMPLESELLER/A1PA6795UKMFR9\s+2\s+0\s+0\s+0`, first.stdout)
	require.Equal(t, 4, c.pushed(orders))
	requireNoSecret(t, first)

	before := c.requests()
	second := runCmd(t.Context(), "", args...)
	require.Equal(t, exitOK, second.code, second.stderr)
	require.Equal(t, before, c.requests(), "the second run sends nothing")
	require.Regexp(t, `shopify\s+demo-shop.myshopify.com\s+0\s+2\s+0\s+0`, second.stdout)
	require.Regexp(t, `amazon\s+A2EXAMPLESELLER/A1PA6795UKMFR9\s+0\s+2\s+0\s+0`, second.stdout)
	require.Equal(t, 4, c.pushed(orders))
	return first
}

// While another process holds a store of a shared ledger, its orders wait
// (exit 0, retry advice with the holder's name); once it lets go, the next
// run pushes them.
func TestSharedLedgerLeavesABusyStoreWaiting(t *testing.T) {
	c := newChannels(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "ledger.db")
	other, err := sqlledger.OpenSQLite(t.Context(), db)
	require.NoError(t, err)
	defer other.Close()
	locks, err := sqlledger.NewStoreLocks(other, "other-worker")
	require.NoError(t, err)
	defer locks.Close()
	_, err = locks.LockStore(t.Context(), tracking.ChannelShopify, testShop)
	require.NoError(t, err)

	orders := []tracking.Order{c.shopifyOrder(t), c.amazonOrder(t)}
	path := filepath.Join(dir, "orders.jsonl")
	writeOrders(t, path, orders)
	args := c.argsWithLedger(t, dir, "-sqlite", db, "-orders", path, "-json")

	r := runCmd(t.Context(), "", args...)
	require.Equal(t, exitOK, r.code, r.stderr)
	var rep passReport
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep), r.stdout)
	require.Equal(t, totals{Orders: 2, Pushed: 2, Waiting: 2}, rep.Totals)
	for _, s := range rep.Orders[0].Shipments {
		require.Equal(t, string(tracking.Waiting), s.State)
		require.Contains(t, s.Reason, `is being synced by "other-worker"`)
		require.True(t, s.Retryable)
		require.Positive(t, s.RetryAfter)
	}
	require.Zero(t, c.pushed(orders[:1]))
	require.Equal(t, 2, c.pushed(orders[1:]))

	require.NoError(t, locks.Close()) // hands the store back at once
	r = runCmd(t.Context(), "", args...)
	require.Equal(t, exitOK, r.code, r.stderr)
	rep = passReport{}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep), r.stdout)
	require.Equal(t, totals{Orders: 2, Pushed: 2, AlreadyPushed: 2}, rep.Totals)
	require.Equal(t, 4, c.pushed(orders))
}

// Two commands at once over one SQLite ledger push every shipment once
// between them: each store is served by one of them at a time.
func TestConcurrentRunsShareASQLiteLedger(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ledger.db")
	// Created first: two sqlledger.OpenSQLite at once on a new file can
	// fail with SQLITE_BUSY (see the sqlledger TestOpenConcurrently).
	l, err := sqlledger.OpenSQLite(t.Context(), db)
	require.NoError(t, err)
	require.NoError(t, l.Close())
	requireConcurrentRunsPushOnce(t, "-sqlite", db)
}

func TestConcurrentRunsShareAPostgresLedger(t *testing.T) {
	requireConcurrentRunsPushOnce(t, "-postgres", pgtest.DSN(t))
}

func requireConcurrentRunsPushOnce(t *testing.T, ledger ...string) {
	c := newChannels(t)
	dir := t.TempDir()
	var orders []tracking.Order
	for range 10 {
		orders = append(orders, c.shopifyOrder(t), c.amazonOrder(t))
	}
	path := filepath.Join(dir, "orders.jsonl")
	writeOrders(t, path, orders)
	args := c.argsWithLedger(t, dir, append(ledger, "-orders", path, "-json", "-concurrency", "2")...)

	var wg sync.WaitGroup
	var reps [2]passReport
	var results [2]result
	for i := range reps {
		wg.Go(func() {
			results[i] = runCmd(t.Context(), "", args...)
		})
	}
	wg.Wait()
	var sum totals
	for i, r := range results {
		require.Equal(t, exitOK, r.code, r.stderr)
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &reps[i]), r.stdout)
		require.Zero(t, reps[i].Totals.Failed)
		sum.Pushed += reps[i].Totals.Pushed
		sum.AlreadyPushed += reps[i].Totals.AlreadyPushed
		sum.Waiting += reps[i].Totals.Waiting
	}
	require.Equal(t, 2*40, sum.Pushed+sum.AlreadyPushed+sum.Waiting, "each run reports each shipment")
	require.Equal(t, 40, sum.Pushed, "each shipment pushed by one run")
	require.Equal(t, 40, c.pushed(orders), "one fulfillment or package per shipment")
}

func TestChooseLedger(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("HOME", cache)
	cacheDir, cacheErr := os.UserCacheDir()
	const envDSN = "postgres://tracksync:SECRET-env-password@db.example:5433/ledgers?sslmode=verify-full"
	type choice struct {
		name      string
		opts      options
		env       string // $TRACKSYNC_LEDGER_DSN
		kind      ledgerKind
		where     string
		errorWith string
	}
	tests := []choice{
		{name: "file", opts: options{ledger: "my.jsonl"}, env: envDSN, kind: ledgerFile, where: "my.jsonl"},
		{name: "sqlite", opts: options{sqlite: "my.db"}, env: envDSN, kind: ledgerSQLite, where: "SQLite my.db"},
		{name: "postgres URL", opts: options{postgres: "postgres://tracksync:SECRET-pw@db.example:5433/ledgers"},
			kind: ledgerPostgres, where: `PostgreSQL database "ledgers" on db.example:5433`},
		{name: "postgres key=value", opts: options{postgres: "host=db.example dbname=ledgers user=tracksync password=SECRET-pw"},
			kind: ledgerPostgres, where: `PostgreSQL database "ledgers" on db.example:5432`},
		{name: "flag over environment", opts: options{postgres: "postgres://u@flag.example/flagdb"}, env: envDSN,
			kind: ledgerPostgres, where: `PostgreSQL database "flagdb" on flag.example:5432`},
		{name: "environment", env: envDSN, kind: ledgerPostgres, where: `PostgreSQL database "ledgers" on db.example:5433`},
		{name: "test servers ignore the environment", opts: options{fake: true}, env: envDSN, kind: ledgerTemp, where: "a temporary file"},
		{name: "test servers with a flag", opts: options{amazonURL: "http://127.0.0.1:1", sqlite: "t.db"}, kind: ledgerSQLite, where: "SQLite t.db"},
		{name: "bad URL", opts: options{postgres: "postgres://u:SECRET-pw@db.example:port/x"}, errorWith: "-postgres: the PostgreSQL DSN cannot be parsed"},
		{name: "bad URL escape", opts: options{postgres: "postgres://u:SECRET%zz@db.example/x"}, errorWith: "-postgres: the PostgreSQL DSN cannot be parsed"},
		{name: "bad key=value", opts: options{postgres: "host=db.example password='SECRET-pw"}, errorWith: "cannot be parsed"},
		{name: "bad environment", env: "postgres://u:SECRET-pw@db.example:port/x", errorWith: "$TRACKSYNC_LEDGER_DSN: the PostgreSQL DSN cannot be parsed"},
	}
	if cacheErr == nil {
		tests = append(tests, choice{name: "default", kind: ledgerFile, where: filepath.Join(cacheDir, "tracksync", "ledger.jsonl")})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &session{opts: tt.opts, getenv: func(name string) string {
				if name == envLedgerDSN {
					return tt.env
				}
				return ""
			}}
			got, err := s.chooseLedger()
			if tt.errorWith != "" {
				require.ErrorContains(t, err, tt.errorWith)
				require.NotContains(t, err.Error(), "SECRET")
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.kind, got.kind)
			require.Contains(t, got.where, tt.where)
			require.NotContains(t, got.where, "SECRET")
		})
	}
}

// The default ledger's directory is made when a run opens it, never by
// -validate, which only chooses it.
func TestDefaultLedgerDirectoryIsMadeAtOpen(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("HOME", cache)
	if _, err := os.UserCacheDir(); err != nil {
		t.Skipf("no user cache directory here: %v", err)
	}
	s := &session{getenv: func(string) string { return "" }}
	c, err := s.chooseLedger()
	require.NoError(t, err)
	_, err = os.Stat(filepath.Dir(c.path))
	require.ErrorIs(t, err, os.ErrNotExist)

	l, err := c.open(t.Context(), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	l.close()
	_, err = os.Stat(c.path)
	require.NoError(t, err)
}

// A PostgreSQL ledger that cannot be reached stops the run before any
// request (exit 2) and names the server, never the password.
func TestUnreachablePostgresHidesThePassword(t *testing.T) {
	c := newChannels(t)
	dir := t.TempDir()
	orders := []tracking.Order{c.shopifyOrder(t)}
	path := filepath.Join(dir, "orders.jsonl")
	writeOrders(t, path, orders)
	const dsn = "postgres://tracksync:SECRET-pg-password@127.0.0.1:1/ledgers?sslmode=disable&connect_timeout=5"
	for _, viaEnv := range []bool{false, true} {
		args := c.argsWithLedger(t, dir, "-postgres", dsn, "-orders", path, "-log-level", "debug")
		if viaEnv {
			// Without the test servers' flags, so that the variable applies.
			t.Setenv(envLedgerDSN, dsn)
			args = []string{"-mapping", mappingFile, "-credentials", filepath.Join(dir, "credentials.json"), "-orders", path, "-log-level", "debug"}
		}
		r := runCmd(t.Context(), "", args...)
		require.Equal(t, exitBadInput, r.code, r.stdout+r.stderr)
		require.Contains(t, r.stderr, `ledger PostgreSQL database "ledgers" on 127.0.0.1:1`)
		requireDSNHidden(t, r, dsn, "SECRET-pg-password")
		require.Zero(t, c.requests())
	}
}

func TestValidateReportsABadDSN(t *testing.T) {
	r := runCmd(t.Context(), "", "-mapping", mappingFile, "-orders", "testdata/orders.csv", "-fake", "-validate",
		"-postgres", "postgres://u:SECRET-pw@db.example:port/x")
	require.Equal(t, exitBadInput, r.code, r.stdout+r.stderr)
	require.Contains(t, r.stdout, "ledger: -postgres: the PostgreSQL DSN cannot be parsed")
	requireDSNHidden(t, r, "", "SECRET-pw")
}

// requireDSNHidden fails when the output shows the DSN or its password.
func requireDSNHidden(t *testing.T, r result, dsn, password string) {
	t.Helper()
	for _, s := range []string{dsn, password} {
		if s == "" {
			continue
		}
		require.NotContains(t, r.stdout, s)
		require.NotContains(t, r.stderr, s)
	}
	require.NotContains(t, strings.ToLower(r.stdout+r.stderr), "password=")
}
