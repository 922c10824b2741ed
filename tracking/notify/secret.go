package notify

import (
	"fmt"
	"log/slog"
)

// Secret is a password or token. It prints, formats, logs and marshals as
// "REDACTED", so that a configuration struct holding one can be logged or
// printed with %v without leaking it; only the mailer reads the value.
type Secret string

const redacted = "REDACTED"

// String returns "REDACTED".
func (Secret) String() string { return redacted }

// GoString returns "REDACTED", for %#v.
func (Secret) GoString() string { return redacted }

// Format prints "REDACTED" for every verb, including %x and %d, which
// would otherwise bypass String.
func (Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(redacted)) }

// LogValue returns "REDACTED" for log/slog.
func (Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalText returns "REDACTED": a secret never goes out in JSON or text
// encodings.
func (Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// UnmarshalText reads a secret from configuration.
func (s *Secret) UnmarshalText(text []byte) error {
	*s = Secret(text)
	return nil
}

// reveal returns the value, for the one place that needs it.
func (s Secret) reveal() string { return string(s) }
