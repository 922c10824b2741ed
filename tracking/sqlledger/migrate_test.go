package sqlledger_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/sqlledger"
	"github.com/stretchr/testify/require"
)

var key = tracking.LedgerKey{Channel: "shopify", Store: "shop.example", OrderID: "1001", ShipmentID: "S1"}

func record(id string) tracking.Record {
	return tracking.Record{RemoteID: id, TrackingNumber: "TN-" + id, PushedAt: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
}

// push claims and commits key with rec.
func push(t testing.TB, l tracking.Ledger, k tracking.LedgerKey, rec tracking.Record) {
	t.Helper()
	ctx := context.Background()
	lease, err := l.Claim(ctx, k, "w1", time.Minute)
	require.NoError(t, err)
	require.NoError(t, l.Commit(ctx, lease, rec))
}

func TestMigrationsEmbedded(t *testing.T) {
	for _, d := range []sqlledger.Dialect{sqlledger.Postgres, sqlledger.SQLite} {
		ms, err := sqlledger.Migrations(d)
		require.NoError(t, err)
		require.Len(t, ms, sqlledger.SchemaVersion)
		for i, m := range ms {
			require.Equal(t, i+1, m.Version)
			require.NotEmpty(t, m.Name)
			require.Contains(t, m.SQL, "CREATE TABLE")
		}
		script, err := sqlledger.Script(d, 1)
		require.NoError(t, err)
		require.NotContains(t, script, "0001_ledger", "from version 1 on")
		require.Contains(t, script, "0002_store_leases")
	}
	_, err := sqlledger.Migrations("mysql")
	require.ErrorContains(t, err, `unknown dialect "mysql"`)
}

func TestOpenMigratesOnce(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		target := b.fresh(t)
		l := b.openAt(t, target)
		require.Equal(t, b.dialect, l.Dialect())
		push(t, l, key, record("F1"))
		require.NoError(t, l.Close())

		again := b.openAt(t, target)
		rec, ok, err := again.Lookup(t.Context(), key)
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, record("F1"), rec)
		db := b.raw(t, target)
		require.Equal(t, sqlledger.SchemaVersion, queryInt(t, db, `SELECT count(*) FROM tracksync_schema_version`))
	})
}

func TestOpenConcurrently(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		target := b.fresh(t)
		errs := make([]error, 4)
		var wg sync.WaitGroup
		for i := range errs {
			wg.Go(func() {
				l, err := b.open(t.Context(), target)
				if err == nil {
					err = l.Close()
				}
				errs[i] = err
			})
		}
		wg.Wait()
		for _, err := range errs {
			require.NoError(t, err)
		}
		require.Equal(t, sqlledger.SchemaVersion, queryInt(t, b.raw(t, target), `SELECT max(version) FROM tracksync_schema_version`))
	})
}

// applyVersion1 brings an empty database to schema version 1 by hand, as an
// older tracksync would have, with one committed record.
func applyVersion1(t *testing.T, b backend, target string) {
	ms, err := sqlledger.Migrations(b.dialect)
	require.NoError(t, err)
	db := b.raw(t, target)
	full, err := sqlledger.Script(b.dialect, 0)
	require.NoError(t, err)
	// The script's first statements create the version table; take them
	// without the migrations.
	head, _, ok := strings.Cut(full, "\n-- 0001_ledger")
	require.True(t, ok)
	for _, stmt := range []string{head + "\nCOMMIT", ms[0].SQL, `INSERT INTO tracksync_schema_version (version, name) VALUES (1, 'ledger')`} {
		_, err := db.Exec(stmt)
		require.NoError(t, err)
	}
	_, err = db.Exec(`INSERT INTO tracksync_ledger (channel, store, order_id, shipment_id, purpose, committed, remote_id, tracking_number, token, touched)
		VALUES ('shopify', 'shop.example', '1001', 'S1', '', true, 'F0', 'TN-F0', 1, 0)`)
	if err != nil { // PostgreSQL wants a timestamp for touched
		_, err = db.Exec(`INSERT INTO tracksync_ledger (channel, store, order_id, shipment_id, purpose, committed, remote_id, tracking_number, token, touched)
			VALUES ('shopify', 'shop.example', '1001', 'S1', '', true, 'F0', 'TN-F0', 1, now())`)
	}
	require.NoError(t, err)
}

func TestOpenUpgradesOlderSchema(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		target := b.fresh(t)
		applyVersion1(t, b, target)

		_, err := b.open(t.Context(), target, sqlledger.WithoutMigrations())
		var se *sqlledger.SchemaError
		require.ErrorAs(t, err, &se)
		require.ErrorIs(t, err, sqlledger.ErrSchemaOutdated)
		require.Equal(t, 1, se.Found)
		require.ErrorContains(t, err, "older than the 2")

		l := b.openAt(t, target)
		rec, ok, err := l.Lookup(t.Context(), key)
		require.NoError(t, err)
		require.True(t, ok, "the records of version 1 stay")
		require.Equal(t, "F0", rec.RemoteID)
		locks, err := sqlledger.NewStoreLocks(l, "w1")
		require.NoError(t, err)
		unlock, err := locks.LockStore(t.Context(), "shopify", "shop.example")
		require.NoError(t, err, "version 2 is there")
		unlock()
		require.NoError(t, locks.Close())
	})
}

func TestScriptLeavesWhatOpenLeaves(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		target := b.fresh(t)
		script, err := sqlledger.Script(b.dialect, 0)
		require.NoError(t, err)
		_, err = b.raw(t, target).Exec(script)
		require.NoError(t, err)

		l := b.openAt(t, target, sqlledger.WithoutMigrations())
		push(t, l, key, record("F1"))

		upgraded := b.fresh(t)
		applyVersion1(t, b, upgraded)
		rest, err := sqlledger.Script(b.dialect, 1)
		require.NoError(t, err)
		_, err = b.raw(t, upgraded).Exec(rest)
		require.NoError(t, err)
		b.openAt(t, upgraded, sqlledger.WithoutMigrations())
	})
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		target := b.fresh(t)
		b.openAt(t, target)
		db := b.raw(t, target)
		_, err := db.Exec(`INSERT INTO tracksync_schema_version (version, name) VALUES (3, 'from_the_future')`)
		require.NoError(t, err)

		for _, opts := range [][]sqlledger.Option{nil, {sqlledger.WithoutMigrations()}} {
			_, err = b.open(t.Context(), target, opts...)
			require.ErrorIs(t, err, sqlledger.ErrSchemaNewer)
			var se *sqlledger.SchemaError
			require.ErrorAs(t, err, &se)
			require.Equal(t, sqlledger.SchemaError{Dialect: b.dialect, Found: 3, Known: sqlledger.SchemaVersion}, *se)
			require.ErrorContains(t, err, "upgrade tracksync")
		}
		require.Equal(t, 3, queryInt(t, db, `SELECT count(*) FROM tracksync_schema_version`), "left untouched")
	})
}

func TestOpenWithoutSchema(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		target := b.fresh(t)
		_, err := b.open(t.Context(), target, sqlledger.WithoutMigrations())
		require.ErrorIs(t, err, sqlledger.ErrSchemaOutdated)
		require.ErrorContains(t, err, "no ledger schema")
		db := b.raw(t, target)
		require.False(t, b.hasTable(t, db, "tracksync_schema_version"), "WithoutMigrations writes nothing")
	})
}

func TestFailedMigrationLeavesNothing(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		target := b.fresh(t)
		db := b.raw(t, target)
		// A table in the way of migration 2: migration 1 succeeds, 2 fails.
		_, err := db.Exec(`CREATE TABLE tracksync_store_lease (x integer)`)
		require.NoError(t, err)

		_, err = b.open(t.Context(), target)
		require.ErrorContains(t, err, "migration 0002_store_leases (nothing was applied)")
		require.False(t, b.hasTable(t, db, "tracksync_ledger"), "migration 1 was rolled back")
		require.False(t, b.hasTable(t, db, "tracksync_schema_version"), "the version table too")
	})
}

func TestOpenPostgresBadDSN(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	tests := []struct {
		name, dsn, want string
	}{
		{"nobody listens", "postgres://alice:s3cret-pw@127.0.0.1:1/ledger?sslmode=disable&connect_timeout=5", `cannot connect to PostgreSQL at 127.0.0.1:1 (database "ledger", user "alice")`},
		{"not a DSN", "postgres://alice:s3cret-pw@127.0.0.1:notaport/ledger", "sqlledger: PostgreSQL DSN"},
		{"unknown setting", "host=127.0.0.1 password=s3cret-pw pool_max_conns=lots", "sqlledger: PostgreSQL DSN"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, err := sqlledger.OpenPostgres(ctx, tc.dsn)
			require.Nil(t, l)
			require.ErrorContains(t, err, tc.want)
			require.NotContains(t, err.Error(), "s3cret-pw", "the password never shows")
			t.Log(err)
		})
	}
}

func TestOpenSQLiteBadInput(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, path string
		opts       []sqlledger.Option
		want       string
	}{
		{"no such directory", filepath.Join(dir, "missing", "ledger.db"), nil, "open SQLite"},
		{"query in the path", filepath.Join(dir, "ledger.db?mode=ro"), nil, "without '?'"},
		{"empty path", "", nil, "want a file name"},
		{"unknown synchronous mode", filepath.Join(dir, "ledger.db"), []sqlledger.Option{sqlledger.WithSQLiteSynchronous("OFF")}, `synchronous mode "OFF"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, err := sqlledger.OpenSQLite(t.Context(), tc.path, tc.opts...)
			t.Log(err)
			require.Nil(t, l)
			require.ErrorContains(t, err, tc.want)
		})
	}
}

func TestSchemaErrorMessages(t *testing.T) {
	for _, tc := range []struct {
		found int
		want  string
		is    error
	}{
		{0, "no ledger schema", sqlledger.ErrSchemaOutdated},
		{1, "older than the 2", sqlledger.ErrSchemaOutdated},
		{7, "newer than the 2", sqlledger.ErrSchemaNewer},
	} {
		err := error(&sqlledger.SchemaError{Dialect: sqlledger.Postgres, Found: tc.found, Known: 2})
		require.ErrorIs(t, err, tc.is, fmt.Sprint(tc.found))
		require.ErrorContains(t, err, tc.want)
	}
}
