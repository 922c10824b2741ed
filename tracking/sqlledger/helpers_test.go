package sqlledger_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver, for raw access
	"github.com/shopctrl/tracksync/tracking/sqlledger"
	"github.com/shopctrl/tracksync/tracking/sqlledger/pgtest"
	"github.com/stretchr/testify/require"
)

// backend is one dialect's way to make an empty database, open a Ledger on
// it, and reach it with plain SQL.
type backend struct {
	dialect sqlledger.Dialect
	fresh   func(t testing.TB) string // an empty database: a DSN or a file path
	open    func(ctx context.Context, target string, opts ...sqlledger.Option) (*sqlledger.Ledger, error)
	driver  string // database/sql driver for raw access
	rawDSN  func(target string) string
	tables  string // counts the tables named $1
}

var backends = []backend{
	{
		dialect: sqlledger.Postgres,
		fresh:   func(t testing.TB) string { return pgtest.DSN(t) },
		open:    sqlledger.OpenPostgres,
		driver:  "pgx",
		rawDSN:  func(dsn string) string { return dsn },
		tables:  `SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1`,
	},
	{
		dialect: sqlledger.SQLite,
		fresh:   func(t testing.TB) string { return filepath.Join(t.TempDir(), "ledger.db") },
		open:    sqlledger.OpenSQLite,
		driver:  "sqlite",
		rawDSN:  func(path string) string { return "file:" + path + "?_pragma=busy_timeout(10000)" },
		tables:  `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $1`,
	},
}

// openAt opens a ledger on target, closed when t ends.
func (b backend) openAt(t testing.TB, target string, opts ...sqlledger.Option) *sqlledger.Ledger {
	t.Helper()
	l, err := b.open(context.Background(), target, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, l.Close()) })
	return l
}

// openFresh opens a ledger on a new database.
func (b backend) openFresh(t testing.TB, opts ...sqlledger.Option) *sqlledger.Ledger {
	t.Helper()
	return b.openAt(t, b.fresh(t), opts...)
}

// raw opens target with plain database/sql, closed when t ends.
func (b backend) raw(t testing.TB, target string) *sql.DB {
	t.Helper()
	db, err := sql.Open(b.driver, b.rawDSN(target))
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, db.Close()) })
	return db
}

// forEach runs test once per backend, in parallel.
func forEach(t *testing.T, test func(t *testing.T, b backend)) {
	for _, b := range backends {
		t.Run(string(b.dialect), func(t *testing.T) {
			t.Parallel()
			test(t, b)
		})
	}
}

// queryInt runs a query that answers one integer.
func queryInt(t testing.TB, db *sql.DB, query string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, db.QueryRow(query, args...).Scan(&n))
	return n
}

// hasTable reports whether the database has the table.
func (b backend) hasTable(t testing.TB, db *sql.DB, name string) bool {
	t.Helper()
	return queryInt(t, db, b.tables, name) > 0
}
