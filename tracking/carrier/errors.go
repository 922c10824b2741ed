package carrier

import (
	"errors"
	"fmt"
)

// Sentinel errors that an *InvalidNumberError wraps, so that callers can tell a
// number of the wrong shape (probably the wrong carrier or a paste error) from
// one whose check digit is wrong (probably a typo) with errors.Is.
var (
	// ErrFormat: the number matches none of the carrier's formats.
	ErrFormat = errors.New("tracking number does not match the carrier's formats")
	// ErrCheckDigit: the number has the shape of one of the carrier's formats
	// but its check digit is wrong.
	ErrCheckDigit = errors.New("tracking number check digit is wrong")
)

// InvalidNumberError is the error Validate returns. It carries enough for a
// warning a merchant can act on: which carrier, which number (normalized), and
// what is wrong with it.
type InvalidNumberError struct {
	// Carrier is the carrier code the number was validated against.
	Carrier string
	// Number is the normalized number.
	Number string
	// Reason says what is wrong, naming the formats involved.
	Reason string
	// Err is ErrFormat or ErrCheckDigit.
	Err error
}

// Error formats the error as one line for logs and warnings.
func (e *InvalidNumberError) Error() string {
	return fmt.Sprintf("invalid %s tracking number %q: %s", e.Carrier, e.Number, e.Reason)
}

// Unwrap returns ErrFormat or ErrCheckDigit for errors.Is.
func (e *InvalidNumberError) Unwrap() error { return e.Err }

// Retryable reports false: pushing the same number again fails the same
// way until the host corrects it (tracking.Classify reads it).
func (e *InvalidNumberError) Retryable() bool { return false }
