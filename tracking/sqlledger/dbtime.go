package sqlledger

import (
	"fmt"
	"time"
)

// dbTime scans a time column of either dialect: a timestamptz from
// PostgreSQL, microseconds since the Unix epoch from SQLite, or NULL.
type dbTime struct {
	t     time.Time
	valid bool
}

// Scan implements sql.Scanner, which pgx honours too.
func (d *dbTime) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = dbTime{}
	case time.Time:
		*d = dbTime{t: v.UTC(), valid: true}
	case int64:
		*d = dbTime{t: time.UnixMicro(v).UTC(), valid: true}
	default:
		return fmt.Errorf("sqlledger: cannot read a time from %T", src)
	}
	return nil
}
