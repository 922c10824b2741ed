package sqlledger

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ErrSchemaNewer reports a database whose ledger schema is newer than this
// code knows: a newer tracksync migrated it. Running older code on it could
// misread or damage it, so Open refuses; upgrade tracksync.
var ErrSchemaNewer = errors.New("sqlledger: database schema is newer than this code")

// ErrSchemaOutdated reports, when migrations are off (WithoutMigrations), a
// database without the ledger schema or with an older version of it. Apply
// the missing migrations (Script) or open without WithoutMigrations.
var ErrSchemaOutdated = errors.New("sqlledger: database schema is missing or outdated")

// ErrInvalidText reports an owner, note or record field that is not valid
// UTF-8 or holds a NUL byte: a database would refuse it or mangle it.
var ErrInvalidText = errors.New("sqlledger: text is not valid UTF-8 or holds a NUL byte")

// SchemaError reports a database whose schema version does not match the
// code's. errors.Is(err, ErrSchemaNewer) or errors.Is(err,
// ErrSchemaOutdated) tells which.
type SchemaError struct {
	Dialect Dialect
	Found   int // the database's version; 0 when it has no ledger schema
	Known   int // the latest version this code knows
}

// Error says what is wrong and what to do.
func (e *SchemaError) Error() string {
	switch {
	case e.Found > e.Known:
		return fmt.Sprintf("sqlledger: %s database has ledger schema version %d, newer than the %d this tracksync knows: upgrade tracksync (the database is left untouched)",
			e.Dialect, e.Found, e.Known)
	case e.Found == 0:
		return fmt.Sprintf("sqlledger: %s database has no ledger schema (want version %d): apply sqlledger.Script, or open without WithoutMigrations to apply it",
			e.Dialect, e.Known)
	default:
		return fmt.Sprintf("sqlledger: %s database has ledger schema version %d, older than the %d this tracksync needs: apply sqlledger.Script from version %d, or open without WithoutMigrations",
			e.Dialect, e.Found, e.Known, e.Found)
	}
}

// Is makes errors.Is match ErrSchemaNewer or ErrSchemaOutdated.
func (e *SchemaError) Is(target error) bool {
	if e.Found > e.Known {
		return target == ErrSchemaNewer
	}
	return target == ErrSchemaOutdated
}

// checkText fails with ErrInvalidText when s cannot be stored as text.
func checkText(what, s string) error {
	if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
		return fmt.Errorf("%w: %s %q", ErrInvalidText, what, s)
	}
	return nil
}
