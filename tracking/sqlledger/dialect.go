package sqlledger

import (
	"fmt"
	"strings"
	"time"
)

// Dialect names the SQL database a Ledger runs on.
type Dialect string

// The dialects a Ledger runs on.
const (
	Postgres Dialect = "postgres" // PostgreSQL 13 or later, through pgx
	SQLite   Dialect = "sqlite"   // SQLite 3.38 or later, through modernc.org/sqlite
)

// sqlDialect is what differs between the databases: the statements are
// written once, in PostgreSQL's syntax with $n parameters (which SQLite
// reads too), and a few placeholders are filled in per dialect:
//
//	{now}         the database's clock; leases never read the workers' clocks,
//	              which may disagree between machines
//	{us}          turns the microseconds parameter before it into a duration
//	              that can be added to {now}
//	{next_token}  a fencing token larger than every token issued before
type sqlDialect struct {
	name     Dialect
	replacer *strings.Replacer
	// timeArg turns a time into a parameter of a time column.
	timeArg func(time.Time) any
	// schemaExists answers one row: whether the version table exists.
	schemaExists string
	// versionTable creates the version table if it does not exist.
	versionTable string
	// begin starts the migration transaction of Script.
	begin string
	// lock, when not empty, runs first in the migration transaction and
	// keeps concurrent migrations of one schema apart. SQLite needs none:
	// its migration transaction is BEGIN IMMEDIATE, which takes the write
	// lock at once.
	lock string
}

var dialects = map[Dialect]*sqlDialect{
	Postgres: {
		name: Postgres,
		replacer: strings.NewReplacer(
			"{now}", "now()",
			"{us}", "::bigint * interval '1 microsecond'",
			"{next_token}", "nextval('tracksync_ledger_token')",
		),
		timeArg:      func(t time.Time) any { return t },
		schemaExists: `SELECT to_regclass('tracksync_schema_version') IS NOT NULL`,
		versionTable: `CREATE TABLE IF NOT EXISTS tracksync_schema_version (
    version    integer     PRIMARY KEY,
    name       text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)`,
		begin: "BEGIN",
		// One lock per schema, so that tests in their own schemas of one
		// database migrate side by side.
		lock: `SELECT pg_advisory_xact_lock(hashtext('tracksync_schema_version:' || current_schema()))`,
	},
	SQLite: {
		name: SQLite,
		replacer: strings.NewReplacer(
			// unixepoch('subsec') has millisecond resolution and is the same
			// for the whole statement.
			"{now}", "(CAST(round(unixepoch('subsec') * 1000) AS INTEGER) * 1000)",
			"{us}", "",
			"{next_token}", "(SELECT last + 1 FROM tracksync_token WHERE id = 1)",
		),
		timeArg:      func(t time.Time) any { return t.UnixMicro() },
		schemaExists: `SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'tracksync_schema_version'`,
		versionTable: `CREATE TABLE IF NOT EXISTS tracksync_schema_version (
    version    INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    applied_at TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP
) STRICT`,
		begin: "BEGIN IMMEDIATE",
	},
}

func dialectOf(d Dialect) (*sqlDialect, error) {
	sd, ok := dialects[d]
	if !ok {
		return nil, fmt.Errorf("sqlledger: unknown dialect %q; want %q or %q", d, Postgres, SQLite)
	}
	return sd, nil
}

// sql fills in the dialect's placeholders of a statement.
func (d *sqlDialect) sql(stmt string) string { return d.replacer.Replace(stmt) }

// micros renders a duration as the microseconds parameter of {us},
// rounding up so that a positive duration never becomes 0.
func micros(d time.Duration) int64 {
	return int64((d + time.Microsecond - 1) / time.Microsecond)
}
