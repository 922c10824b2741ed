package pgtest

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestWithSearchPath(t *testing.T) {
	tests := []struct{ dsn, want string }{
		{"postgres://u@127.0.0.1:5432/db", "postgres://u@127.0.0.1:5432/db?search_path=s1"},
		{"postgresql://u@h/db?sslmode=disable", "postgresql://u@h/db?sslmode=disable&search_path=s1"},
		{"host=127.0.0.1 dbname=db", "host=127.0.0.1 dbname=db search_path=s1"},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, WithSearchPath(tc.dsn, "s1"))
	}
}

func TestSchemaName(t *testing.T) {
	valid := regexp.MustCompile(`^t_[a-z0-9_]+_[0-9a-f]{8}$`)
	for _, name := range []string{"TestX", "TestContract/postgres/claim_commit_lookup", strings.Repeat("Ä/x", 40)} {
		got := schemaName(name)
		require.Regexp(t, valid, got)
		require.LessOrEqual(t, len(got), 63, "PostgreSQL's limit")
		require.NotEqual(t, got, schemaName(name), "unique")
	}
}
