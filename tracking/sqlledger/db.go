package sqlledger

import (
	"context"
	"database/sql"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// errNoRows is what a row's Scan returns when the statement answered no
// row, whichever driver ran it.
var errNoRows = errors.New("sqlledger: no rows")

// row is one row of a statement's answer.
type row interface{ Scan(dest ...any) error }

// querier runs statements; in a transaction or not.
type querier interface {
	queryRow(ctx context.Context, stmt string, args ...any) row
	exec(ctx context.Context, stmt string, args ...any) (rowsAffected int64, err error)
}

// database is a querier that also reads (from a reader pool where there is
// one) and runs transactions.
type database interface {
	querier
	read(ctx context.Context, stmt string, args ...any) row
	inTx(ctx context.Context, fn func(querier) error) error
	close() error
}

// pgDatabase runs statements on a pgx pool.
type pgDatabase struct {
	pool  *pgxpool.Pool
	owned bool // close the pool with the ledger
}

type pgRow struct{ pgx.Row }

func (r pgRow) Scan(dest ...any) error {
	err := r.Row.Scan(dest...)
	if errors.Is(err, pgx.ErrNoRows) {
		return errNoRows
	}
	return err
}

func (d *pgDatabase) queryRow(ctx context.Context, stmt string, args ...any) row {
	return pgRow{d.pool.QueryRow(ctx, stmt, args...)}
}

func (d *pgDatabase) read(ctx context.Context, stmt string, args ...any) row {
	return d.queryRow(ctx, stmt, args...)
}

func (d *pgDatabase) exec(ctx context.Context, stmt string, args ...any) (int64, error) {
	tag, err := d.pool.Exec(ctx, stmt, args...)
	return tag.RowsAffected(), err
}

func (d *pgDatabase) inTx(ctx context.Context, fn func(querier) error) error {
	return pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error { return fn(pgTx{tx}) })
}

func (d *pgDatabase) close() error {
	if d.owned {
		d.pool.Close()
	}
	return nil
}

type pgTx struct{ tx pgx.Tx }

func (t pgTx) queryRow(ctx context.Context, stmt string, args ...any) row {
	return pgRow{t.tx.QueryRow(ctx, stmt, args...)}
}

func (t pgTx) exec(ctx context.Context, stmt string, args ...any) (int64, error) {
	tag, err := t.tx.Exec(ctx, stmt, args...)
	return tag.RowsAffected(), err
}

// sqliteDatabase runs writes on a pool of one connection and reads on a
// pool of several. SQLite lets one writer in at a time; queueing writers in
// the pool, where they wait in order and honour their contexts, is better
// than letting them spin on SQLITE_BUSY.
type sqliteDatabase struct {
	writer, reader *sql.DB
}

type sqlRow struct{ *sql.Row }

func (r sqlRow) Scan(dest ...any) error {
	err := r.Row.Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return errNoRows
	}
	return err
}

// sqlQuerier is what *sql.DB and *sql.Tx have in common.
type sqlQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

type sqlRunner struct{ q sqlQuerier }

func (r sqlRunner) queryRow(ctx context.Context, stmt string, args ...any) row {
	return sqlRow{r.q.QueryRowContext(ctx, stmt, args...)}
}

func (r sqlRunner) exec(ctx context.Context, stmt string, args ...any) (int64, error) {
	res, err := r.q.ExecContext(ctx, stmt, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (d *sqliteDatabase) queryRow(ctx context.Context, stmt string, args ...any) row {
	return sqlRunner{d.writer}.queryRow(ctx, stmt, args...)
}

func (d *sqliteDatabase) exec(ctx context.Context, stmt string, args ...any) (int64, error) {
	return sqlRunner{d.writer}.exec(ctx, stmt, args...)
}

func (d *sqliteDatabase) read(ctx context.Context, stmt string, args ...any) row {
	return sqlRunner{d.reader}.queryRow(ctx, stmt, args...)
}

func (d *sqliteDatabase) inTx(ctx context.Context, fn func(querier) error) (err error) {
	tx, err := d.writer.BeginTx(ctx, nil) // BEGIN IMMEDIATE: the DSN sets _txlock
	if err != nil {
		return err
	}
	if err := fn(sqlRunner{tx}); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	return tx.Commit()
}

func (d *sqliteDatabase) close() error {
	return errors.Join(d.writer.Close(), d.reader.Close())
}
