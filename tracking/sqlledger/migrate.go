package sqlledger

import (
	"context"
	"fmt"
	"log/slog"
)

// migrate brings the database's schema to SchemaVersion in one transaction,
// or, when apply is false, only checks that it is there. Either way a
// database with a newer schema is refused and left as it is. A failed
// migration rolls back whole: the database is never left half-migrated.
func migrate(ctx context.Context, db database, d *sqlDialect, apply bool, logger *slog.Logger) error {
	if !apply {
		return checkSchema(ctx, db, d)
	}
	ms, err := Migrations(d.name)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(q querier) error {
		if d.lock != "" {
			if _, err := q.exec(ctx, d.lock); err != nil {
				return fmt.Errorf("sqlledger: lock the schema for migration: %w", err)
			}
		}
		if _, err := q.exec(ctx, d.versionTable); err != nil {
			return fmt.Errorf("sqlledger: create the schema version table: %w", err)
		}
		found, err := schemaVersion(ctx, q)
		if err != nil {
			return err
		}
		if found > SchemaVersion {
			return &SchemaError{Dialect: d.name, Found: found, Known: SchemaVersion}
		}
		for _, m := range ms[found:] {
			if _, err := q.exec(ctx, m.SQL); err != nil {
				return fmt.Errorf("sqlledger: apply %s migration %04d_%s (nothing was applied): %w", d.name, m.Version, m.Name, err)
			}
			if _, err := q.exec(ctx, `INSERT INTO tracksync_schema_version (version, name) VALUES ($1, $2)`, m.Version, m.Name); err != nil {
				return fmt.Errorf("sqlledger: record %s migration %04d_%s (nothing was applied): %w", d.name, m.Version, m.Name, err)
			}
			logger.InfoContext(ctx, "sqlledger: applied migration", "dialect", string(d.name), "version", m.Version, "name", m.Name)
		}
		return nil
	})
}

// checkSchema fails unless the database is at SchemaVersion.
func checkSchema(ctx context.Context, db database, d *sqlDialect) error {
	var exists bool
	if err := db.read(ctx, d.schemaExists).Scan(&exists); err != nil {
		return fmt.Errorf("sqlledger: look for the schema version table: %w", err)
	}
	found := 0
	if exists {
		var err error
		if found, err = schemaVersion(ctx, db); err != nil {
			return err
		}
	}
	if found != SchemaVersion {
		return &SchemaError{Dialect: d.name, Found: found, Known: SchemaVersion}
	}
	return nil
}

func schemaVersion(ctx context.Context, q querier) (int, error) {
	var v int
	if err := q.queryRow(ctx, `SELECT coalesce(max(version), 0) FROM tracksync_schema_version`).Scan(&v); err != nil {
		return 0, fmt.Errorf("sqlledger: read the schema version: %w", err)
	}
	return v, nil
}
