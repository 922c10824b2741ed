package main

// This file chooses and opens the ledger: a JSON-lines file (-ledger, the
// default), SQLite (-sqlite) or PostgreSQL (-postgres,
// $TRACKSYNC_LEDGER_DSN). A PostgreSQL DSN may hold a password, so it is
// kept as a secret and only its host and database are ever shown.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/sqlledger"
)

// envLedgerDSN names the PostgreSQL ledger when no ledger flag is given:
// unlike the -postgres flag, it keeps a password out of shell history.
const envLedgerDSN = "TRACKSYNC_LEDGER_DSN"

// ledgerKind is where the ledger is kept.
type ledgerKind int

const (
	ledgerFile     ledgerKind = iota // a JSON-lines file: -ledger, or the user cache directory's
	ledgerTemp                       // a file in a temporary directory: runs against test servers
	ledgerSQLite                     // -sqlite
	ledgerPostgres                   // -postgres or $TRACKSYNC_LEDGER_DSN
)

// ledgerChoice is the ledger a run uses, before it is opened.
type ledgerChoice struct {
	kind  ledgerKind
	path  string // ledgerFile, ledgerSQLite
	mkdir bool   // ledgerFile: the directory is the command's own, made at open if missing
	dsn   secret // ledgerPostgres
	where string // for people, never the DSN: "PostgreSQL database "tracksync" on db.internal:5432"
}

// chooseLedger picks the ledger of a run: the one a flag names (at most
// one, as options.check ensures), else a temporary file for test servers
// (their pushes must not reach the user's real ledger, so neither
// $TRACKSYNC_LEDGER_DSN), else $TRACKSYNC_LEDGER_DSN, else the file in the
// user's cache directory. A DSN that cannot be parsed is an error here,
// before any connection.
func (s *session) chooseLedger() (ledgerChoice, error) {
	o := s.opts
	switch {
	case o.ledger != "":
		return ledgerChoice{kind: ledgerFile, path: o.ledger, where: o.ledger}, nil
	case o.sqlite != "":
		return ledgerChoice{kind: ledgerSQLite, path: o.sqlite, where: "SQLite " + o.sqlite}, nil
	case o.postgres != "":
		return postgresChoice(o.postgres, "-postgres")
	case o.testEndpoints():
		return ledgerChoice{kind: ledgerTemp, where: "a temporary file (the pushes to test servers stay out of your ledger)"}, nil
	}
	if dsn := s.getenv(envLedgerDSN); dsn != "" {
		return postgresChoice(secret(dsn), "$"+envLedgerDSN)
	}
	path, err := defaultLedger()
	if err != nil {
		return ledgerChoice{}, err
	}
	return ledgerChoice{kind: ledgerFile, path: path, mkdir: true, where: path}, nil
}

// postgresChoice parses dsn as sqlledger.OpenPostgres will, to name its
// host and database. The parser's errors are not shown: they quote the
// DSN, and pgx masks passwords in it on a best-effort basis only.
func postgresChoice(dsn secret, from string) (ledgerChoice, error) {
	cfg, err := pgxpool.ParseConfig(dsn.reveal())
	if err != nil {
		return ledgerChoice{}, fmt.Errorf("%s: the PostgreSQL DSN cannot be parsed (it is not shown, as it may hold a password); want postgres://user@host:5432/database?sslmode=verify-full or host=… dbname=… user=…", from)
	}
	c := cfg.ConnConfig
	where := fmt.Sprintf("PostgreSQL database %q on %s:%d", c.Database, c.Host, c.Port)
	return ledgerChoice{kind: ledgerPostgres, dsn: dsn, where: where}, nil
}

// openedLedger is the ledger of a session, with what the Syncer needs to
// share it with other processes.
type openedLedger struct {
	tracking.Ledger
	// owner names this process in the ledger's leases and store locks; a
	// random suffix keeps a restarted process with the same pid apart.
	owner string
	// locks gives each store to one process at a time (SQL ledgers,
	// which several processes can share); nil for a file ledger, which
	// only one process opens.
	locks *sqlledger.StoreLocks
	close func()
}

// open opens the chosen ledger.
func (c ledgerChoice) open(ctx context.Context, logger *slog.Logger) (*openedLedger, error) {
	ol := &openedLedger{owner: "tracksync@" + tracking.DefaultOwner()}
	var sl *sqlledger.Ledger
	var err error
	switch c.kind {
	case ledgerFile, ledgerTemp:
		return ol, openFileLedger(ol, c)
	case ledgerSQLite:
		sl, err = sqlledger.OpenSQLite(ctx, c.path, sqlledger.WithLogger(logger))
	case ledgerPostgres:
		sl, err = sqlledger.OpenPostgres(ctx, c.dsn.reveal(), sqlledger.WithLogger(logger))
	}
	if err != nil {
		return nil, fmt.Errorf("ledger %s: %w", c.where, err)
	}
	if ol.locks, err = sqlledger.NewStoreLocks(sl, ol.owner); err != nil {
		sl.Close()
		return nil, fmt.Errorf("ledger %s: %w", c.where, err)
	}
	ol.Ledger = sl
	ol.close = func() {
		ol.locks.Close() // hands the stores back now rather than when their leases expire
		sl.Close()
	}
	return ol, nil
}

// openFileLedger opens a JSON-lines ledger, in a new temporary directory
// for ledgerTemp.
func openFileLedger(ol *openedLedger, c ledgerChoice) error {
	path, cleanup := c.path, func() {}
	if c.mkdir {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return fmt.Errorf("ledger directory: %w; give the ledger with -ledger FILE, -sqlite FILE or -postgres DSN", err)
		}
	}
	if c.kind == ledgerTemp {
		dir, err := os.MkdirTemp("", "tracksync-")
		if err != nil {
			return err
		}
		path, cleanup = filepath.Join(dir, "ledger.jsonl"), func() { os.RemoveAll(dir) }
	}
	l, err := tracking.OpenFileLedger(path)
	if err != nil {
		cleanup()
		if errors.Is(err, tracking.ErrLedgerInUse) {
			err = fmt.Errorf("%w: another tracksync is running with this ledger; wait for it, or give another one with -ledger", err)
		}
		return err
	}
	ol.Ledger = l
	ol.close = func() { l.Close(); cleanup() }
	return nil
}

// syncerOptions are the Syncer's options for this ledger.
func (ol *openedLedger) syncerOptions() []tracking.Option {
	opts := []tracking.Option{tracking.WithLedger(ol.Ledger), tracking.WithOwner(ol.owner)}
	if ol.locks != nil {
		opts = append(opts, tracking.WithStoreLocker(ol.locks))
	}
	return opts
}

// defaultLedger is tracksync/ledger.jsonl in the user's cache directory.
func defaultLedger() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no user cache directory (%v): give the ledger with -ledger FILE, -sqlite FILE or -postgres DSN", err)
	}
	return filepath.Join(dir, "tracksync", "ledger.jsonl"), nil
}
