// Package sqlledger keeps tracksync's ledger in a SQL database:
// PostgreSQL for a fleet of workers on several machines, SQLite for one
// process. Both implement tracking.Ledger and pass its contract suite
// (tracking/ledgertest).
//
//	ledger, err := sqlledger.OpenPostgres(ctx, os.Getenv("DATABASE_URL"))
//	if err != nil {
//		return err // unreachable server, or a schema newer than this code
//	}
//	defer ledger.Close()
//	locks, err := sqlledger.NewStoreLocks(ledger, workerName)
//	if err != nil {
//		return err
//	}
//	defer locks.Close()
//	syncer, err := tracking.NewSyncer(
//		tracking.WithExporters(shopifyExporter, amazonExporter),
//		tracking.WithLedger(ledger),
//		tracking.WithOwner(workerName),
//		tracking.WithStoreLocker(locks),
//	)
//
// # Leases in one statement
//
// A key's row holds its committed record, its current lease (owner,
// expiry, fencing token) and its note. Claim is one INSERT … ON CONFLICT …
// DO UPDATE … WHERE the lease ended or expired … RETURNING: it creates the
// row, takes over an expired lease, or returns nothing when a live lease
// refuses it. Commit, Release, Renew and Note are single UPDATEs matched
// by key, token and owner, so the late call of a superseded holder changes
// nothing and fails with tracking.ErrLeaseLost. Tokens come from one
// counter per database (a PostgreSQL sequence, a one-row table on SQLite),
// so they keep growing even after Prune deleted a key.
//
// Expiry is judged by the database's clock, never by the workers', which
// may disagree between machines. Times are kept to the microsecond
// (PostgreSQL) or millisecond (SQLite's clock); PushedAt to the
// microsecond, in UTC.
//
// # Migrations
//
// The schema is embedded and versioned (table tracksync_schema_version).
// OpenPostgres and OpenSQLite apply the missing migrations in one
// transaction, PostgreSQL's under an advisory lock so that workers
// starting together migrate once: a failed migration leaves the database
// as it was. A database whose schema is newer than this code fails to
// open with ErrSchemaNewer and is left untouched. Hosts that apply
// migrations with their own tool take them from Migrations or Script (or
// `go run github.com/shopctrl/tracksync/tracking/sqlledger/cmd/sqlledger-schema`)
// and open WithoutMigrations, which only checks the version.
//
// # Store ownership
//
// StoreLocks (a tracking.StoreLocker) gives each shop or seller to one
// process at a time, so that its rate limit is paced by one client: a
// store lease that the holder renews while it works, hands back when idle,
// and that others take over once it expired because its holder died.
//
// # Retention
//
// Prune deletes committed records pushed before a time and ended claims
// (with their notes) last touched before it; rows under a live lease stay.
// Run it from a periodic job with a cutoff beyond which no order is sent
// again.
//
// # Testing against a database
//
// The tests of this package and examples/workers use the PostgreSQL named
// by TRACKSYNC_POSTGRES_DSN, each test in a schema of its own (package
// pgtest); without it they skip, unless CI is set.
package sqlledger
