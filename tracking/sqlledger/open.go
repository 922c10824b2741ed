package sqlledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/shopctrl/tracksync/internal/ctxtime"
	"modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// Option configures a Ledger at open.
type Option func(*options)

type options struct {
	migrate bool
	logger  *slog.Logger
	sqlite  sqliteOptions
}

type sqliteOptions struct {
	synchronous string
}

// WithoutMigrations makes Open only check that the database has the schema
// this code needs, for hosts that apply migrations with their own tool
// (Migrations, Script). A missing or older schema fails with
// ErrSchemaOutdated. By default Open applies the missing migrations.
func WithoutMigrations() Option {
	return func(o *options) { o.migrate = false }
}

// WithLogger sets the logger for migrations and store ownership (default:
// discard).
func WithLogger(l *slog.Logger) Option {
	return func(o *options) {
		if l != nil {
			o.logger = l
		}
	}
}

// WithSQLiteSynchronous sets SQLite's synchronous pragma: "FULL" (the
// default) makes every commit survive a power loss, "NORMAL" only a crash
// of the process, in exchange for fewer fsyncs. A commit lost to a power
// loss can make the next run push that shipment again, so keep FULL unless
// the disk is slow and the host accepts that. PostgreSQL ignores it.
func WithSQLiteSynchronous(mode string) Option {
	return func(o *options) { o.sqlite.synchronous = mode }
}

func newOptions(opts []Option) options {
	o := options{migrate: true, logger: slog.New(slog.DiscardHandler), sqlite: sqliteOptions{synchronous: "FULL"}}
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// defaultMaxConns is the pool size of OpenPostgres unless the DSN sets
// pool_max_conns.
const defaultMaxConns = 10

// OpenPostgres connects to PostgreSQL at dsn (a URL or key=value string as
// libpq takes it, pool settings such as pool_max_conns included; the pool
// has 10 connections unless it says otherwise), applies
// the missing migrations and returns the Ledger. It fails when the
// database cannot be reached, or its schema is newer than this code knows.
// Close closes the pool it made.
func OpenPostgres(ctx context.Context, dsn string, opts ...Option) (*Ledger, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgx's error shows the DSN with its password masked.
		return nil, fmt.Errorf("sqlledger: PostgreSQL DSN: %w", err)
	}
	if !strings.Contains(dsn, "pool_max_conns") {
		// pgx's default of 4 connections on a small machine leaves a
		// Syncer's 8 concurrent orders waiting for each other's commits.
		cfg.MaxConns = max(cfg.MaxConns, defaultMaxConns)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("sqlledger: PostgreSQL pool: %w", err)
	}
	l, err := openPostgres(ctx, pool, true, opts)
	if err != nil {
		pool.Close()
		return nil, err
	}
	return l, nil
}

// NewPostgres returns a Ledger on a pool the host made (and closes). It
// applies the missing migrations like OpenPostgres.
func NewPostgres(ctx context.Context, pool *pgxpool.Pool, opts ...Option) (*Ledger, error) {
	if pool == nil {
		return nil, errors.New("sqlledger: NewPostgres: nil pool")
	}
	return openPostgres(ctx, pool, false, opts)
}

func openPostgres(ctx context.Context, pool *pgxpool.Pool, owned bool, opts []Option) (*Ledger, error) {
	if err := pool.Ping(ctx); err != nil {
		c := pool.Config().ConnConfig
		// The config's fields, never the DSN: it may hold a password.
		return nil, fmt.Errorf("sqlledger: cannot connect to PostgreSQL at %s:%d (database %q, user %q); check the DSN and that the server accepts connections: %w",
			c.Host, c.Port, c.Database, c.User, err)
	}
	return newLedger(ctx, &pgDatabase{pool: pool, owned: owned}, dialects[Postgres], newOptions(opts))
}

// OpenSQLite opens the SQLite database file at path, creating it if needed,
// applies the missing migrations and returns the Ledger. It is for one
// process: SQLite serializes writers, so a fleet of workers wants
// PostgreSQL. The database runs in WAL mode, so that lookups do not wait
// for commits.
func OpenSQLite(ctx context.Context, path string, opts ...Option) (*Ledger, error) {
	o := newOptions(opts)
	switch strings.ToUpper(o.sqlite.synchronous) {
	case "FULL", "NORMAL", "EXTRA":
	default:
		return nil, fmt.Errorf("sqlledger: SQLite synchronous mode %q; want FULL, NORMAL or EXTRA", o.sqlite.synchronous)
	}
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("sqlledger: SQLite path %q: want a file name without '?' or '#'", path)
	}
	pragmas := url.Values{"_pragma": {
		"busy_timeout(10000)", // another process's write: wait, do not fail
		"journal_mode(WAL)",
		"synchronous(" + o.sqlite.synchronous + ")",
	}}
	writer, err := sql.Open("sqlite", "file:"+path+"?"+pragmas.Encode()+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("sqlledger: open SQLite %s: %w", path, err)
	}
	writer.SetMaxOpenConns(1)
	pragmas["_pragma"] = append(pragmas["_pragma"], "query_only(1)")
	reader, err := sql.Open("sqlite", "file:"+path+"?"+pragmas.Encode())
	if err != nil {
		writer.Close()
		return nil, fmt.Errorf("sqlledger: open SQLite %s: %w", path, err)
	}
	reader.SetMaxOpenConns(max(4, runtime.GOMAXPROCS(0)))
	db := &sqliteDatabase{writer: writer, reader: reader}
	// Open connects lazily: the first statement tells a bad path.
	if err := pingSQLite(ctx, writer); err != nil {
		db.close()
		return nil, fmt.Errorf("sqlledger: open SQLite %s (does its directory exist, and may this process write there?): %w", path, err)
	}
	return newLedger(ctx, db, dialects[SQLite], o)
}

// pingSQLite opens the first connection. Two processes that open a new file
// at once race to switch it to WAL, and the loser gets SQLITE_BUSY at once:
// that switch does not wait on busy_timeout. It is tried again for a few
// seconds, so only a real problem (a bad path, no permission) fails.
func pingSQLite(ctx context.Context, db *sql.DB) error {
	const sqliteBusy = 5 // SQLITE_BUSY, the primary result code
	var err error
	for attempt := range 100 {
		err = db.PingContext(ctx)
		var se *sqlite.Error
		if err == nil || !errors.As(err, &se) || se.Code()&0xff != sqliteBusy {
			return err
		}
		if werr := ctxtime.Sleep(ctx, time.Duration(attempt+1)*time.Millisecond); werr != nil {
			return werr
		}
	}
	return err
}
