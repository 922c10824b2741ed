package sqlledger_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/shopctrl/tracksync/tracking/sqlledger"
	"github.com/shopctrl/tracksync/tracking/sqlledger/pgtest"
	"github.com/stretchr/testify/require"
)

// openPostgres opens a ledger in a schema of its own, closed when t ends.
func openPostgres(t testing.TB, opts ...sqlledger.Option) *sqlledger.Ledger {
	t.Helper()
	return openPostgresAt(t, pgtest.DSN(t), opts...)
}

func openPostgresAt(t testing.TB, dsn string, opts ...sqlledger.Option) *sqlledger.Ledger {
	t.Helper()
	l, err := sqlledger.OpenPostgres(context.Background(), dsn, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, l.Close()) })
	return l
}

// openSQLite opens a ledger in a new file, closed when t ends.
func openSQLite(t testing.TB, opts ...sqlledger.Option) *sqlledger.Ledger {
	t.Helper()
	l, err := sqlledger.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "ledger.db"), opts...)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, l.Close()) })
	return l
}

// opener opens a fresh ledger of one dialect.
type opener struct {
	name string
	open func(t testing.TB, opts ...sqlledger.Option) *sqlledger.Ledger
}

var openers = []opener{{"postgres", openPostgres}, {"sqlite", openSQLite}}
