package sqlledger

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// SchemaVersion is the ledger schema version this code needs: the version
// of its latest migration, the same for every dialect.
const SchemaVersion = 2

//go:embed migrations
var migrationFS embed.FS

// Migration is one versioned step of the ledger schema.
type Migration struct {
	Version int    // 1, 2, ...: applied in this order, each once
	Name    string // what it does, from its file name: "ledger", "store_leases"
	SQL     string // the statements, without the bookkeeping of the version table
}

// Migrations returns the migrations of a dialect, oldest first. Hosts that
// run migrations with their own tool take them from here (or Script) and
// open the ledger WithoutMigrations.
func Migrations(d Dialect) ([]Migration, error) {
	if _, err := dialectOf(d); err != nil {
		return nil, err
	}
	dir := path.Join("migrations", string(d))
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, fmt.Errorf("sqlledger: read embedded migrations: %w", err)
	}
	var out []Migration
	for _, e := range entries {
		m, err := parseMigration(dir, e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b Migration) int { return a.Version - b.Version })
	for i, m := range out {
		if m.Version != i+1 {
			return nil, fmt.Errorf("sqlledger: embedded %s migrations skip from version %d to %d", d, i, m.Version)
		}
	}
	if len(out) != SchemaVersion {
		return nil, fmt.Errorf("sqlledger: embedded %s migrations end at version %d, want %d", d, len(out), SchemaVersion)
	}
	return out, nil
}

// migrationName keeps names safe to quote in Script.
var migrationName = regexp.MustCompile(`^[a-z0-9_]+$`)

// parseMigration reads one file named like 0001_ledger.sql.
func parseMigration(dir, file string) (Migration, error) {
	num, name, ok := strings.Cut(strings.TrimSuffix(file, ".sql"), "_")
	v, err := strconv.Atoi(num)
	if !ok || err != nil || v < 1 || !strings.HasSuffix(file, ".sql") || !migrationName.MatchString(name) {
		return Migration{}, fmt.Errorf("sqlledger: embedded migration %s is not named like 0001_name.sql", file)
	}
	b, err := fs.ReadFile(migrationFS, path.Join(dir, file))
	if err != nil {
		return Migration{}, fmt.Errorf("sqlledger: read embedded migration %s: %w", file, err)
	}
	return Migration{Version: v, Name: name, SQL: string(b)}, nil
}

// Script renders the migrations of a dialect after version from (0 for a
// new database) as one SQL script for a person or a migration tool: one
// transaction that creates the version table if needed, applies each
// migration and records its version, as opening the ledger would. Applied
// with psql or sqlite3, it leaves the database as Open leaves it.
func Script(d Dialect, from int) (string, error) {
	ms, err := Migrations(d)
	if err != nil {
		return "", err
	}
	sd := dialects[d]
	var b strings.Builder
	fmt.Fprintf(&b, "-- tracksync ledger schema for %s, versions %d to %d.\n", d, from+1, SchemaVersion)
	b.WriteString(sd.begin + ";\n")
	if sd.lock != "" {
		b.WriteString(sd.lock + ";\n")
	}
	b.WriteString(sd.versionTable + ";\n")
	for _, m := range ms[min(max(from, 0), len(ms)):] {
		fmt.Fprintf(&b, "\n-- %04d_%s\n%s", m.Version, m.Name, m.SQL)
		fmt.Fprintf(&b, "INSERT INTO tracksync_schema_version (version, name) VALUES (%d, '%s');\n", m.Version, m.Name)
	}
	b.WriteString("\nCOMMIT;\n")
	return b.String(), nil
}
