// Package pgtest gives each test a PostgreSQL schema of its own, so that
// tests of ledgers and workers run side by side on one database and leave
// nothing behind.
//
// The database is the one named by TRACKSYNC_POSTGRES_DSN. Without it a
// test is skipped, unless CI is set: a CI run without a database fails
// rather than passing on skipped tests. .ci/run starts a throwaway cluster
// and sets the variable; to use your own database:
//
//	TRACKSYNC_POSTGRES_DSN='postgres://user:password@localhost:5432/scratch?sslmode=disable' go test ./...
//
// The user needs the right to create schemas in that database.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// EnvDSN names the environment variable that holds the test database's DSN.
const EnvDSN = "TRACKSYNC_POSTGRES_DSN"

// BaseDSN returns the test database's DSN. It skips t when there is none,
// and fails it when there is none but CI is set.
func BaseDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(EnvDSN)
	if dsn != "" {
		return dsn
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is not set, but CI is: CI must run the PostgreSQL tests (.ci/run starts a database)", EnvDSN)
	}
	t.Skipf("%s is not set: skipping the PostgreSQL test (see package pgtest)", EnvDSN)
	return ""
}

// DSN creates a new schema for t and returns the test database's DSN with
// that schema as its search_path; the schema and everything in it is
// dropped when t ends.
func DSN(t testing.TB) string {
	t.Helper()
	base := BaseDSN(t)
	schema := schemaName(t.Name())
	exec(t, base, "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize())
	t.Cleanup(func() { exec(t, base, "DROP SCHEMA "+pgx.Identifier{schema}.Sanitize()+" CASCADE") })
	return WithSearchPath(base, schema)
}

// WithSearchPath returns dsn with its search_path set to schema, in
// whichever form dsn is written (URL or key=value).
func WithSearchPath(dsn, schema string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		return dsn + sep + "search_path=" + schema
	}
	return dsn + " search_path=" + schema
}

func exec(t testing.TB, dsn, stmt string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// Parsed as a pool's DSN, so that pool settings (pool_max_conns) in
	// it are not sent to the server.
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		t.Fatalf("pgtest: %s: %v", EnvDSN, err)
	}
	conn, err := pgx.ConnectConfig(ctx, cfg.ConnConfig)
	if err != nil {
		t.Fatalf("pgtest: connect to the test database: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, stmt); err != nil {
		t.Fatalf("pgtest: %s: %v", stmt, err)
	}
}

// schemaName makes a schema name from a test name: lower-case letters,
// digits and underscores, unique, at most PostgreSQL's 63 bytes.
func schemaName(test string) string {
	var b strings.Builder
	b.WriteString("t_")
	for _, r := range strings.ToLower(test) {
		if b.Len() >= 50 {
			break
		}
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	var suffix [4]byte
	_, _ = rand.Read(suffix[:])
	return b.String() + "_" + hex.EncodeToString(suffix[:])
}
