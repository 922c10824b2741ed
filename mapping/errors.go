package mapping

import (
	"errors"
	"fmt"

	"github.com/shopctrl/tracksync/tracking"
)

// ErrNotMapped is the sentinel of *MissingError: errors.Is(err, ErrNotMapped)
// tells "configure something" apart from a failed push.
var ErrNotMapped = errors.New("mapping: not mapped")

// ErrInvalidConfig is the sentinel of *ConfigError.
var ErrInvalidConfig = errors.New("mapping: invalid configuration")

// Kind is what a MissingError lacks.
type Kind string

// The kinds of mapping.
const (
	KindLocation Kind = "location" // host warehouse → channel location
	KindCarrier  Kind = "carrier"  // host carrier (+ service) → channel carrier
)

// MissingError reports a mapping that must be configured before a shipment
// can be pushed. Hint is the JSON to add to the configuration.
type MissingError struct {
	Store   string
	Channel tracking.Channel
	Kind    Kind
	Key     string // the host warehouse or carrier code
	Service string // the shipment's service, for a carrier
	Reason  string // why the defaults did not apply, when they could have
	Hint    string // "" when no configuration can supply it
}

// Error describes the problem for a person; it never holds a secret.
func (e *MissingError) Error() string {
	what := fmt.Sprintf("%s %q", e.Kind, e.Key)
	if e.Kind == KindLocation {
		what = fmt.Sprintf("location for warehouse %q", e.Key)
	} else if e.Service != "" {
		what = fmt.Sprintf("carrier %q (service %q)", e.Key, e.Service)
	}
	msg := fmt.Sprintf("mapping: %s store %q has no %s", e.Channel, e.Store, what)
	if e.Reason != "" {
		msg += " (" + e.Reason + ")"
	}
	if e.Hint == "" {
		return msg
	}
	return msg + "; add " + e.Hint
}

// Is makes errors.Is(err, ErrNotMapped) true.
func (e *MissingError) Is(target error) bool { return target == ErrNotMapped }

// Retryable reports false: the push fails the same way until someone
// changes the mapping (tracking.Classify reads it).
func (e *MissingError) Retryable() bool { return false }

// ConfigError is one problem of a mapping configuration, located by its
// JSON path (".shopify[\"demo.myshopify.com\"].locations.AMS") and line.
type ConfigError struct {
	File    string // set by LoadFile
	Path    string
	Line    int
	Problem string
}

// Error describes the problem for a person; it never holds a secret.
func (e *ConfigError) Error() string {
	loc := ""
	if e.File != "" {
		loc = e.File + ":"
	}
	if e.Line > 0 {
		loc += fmt.Sprintf("%d: ", e.Line)
	} else if loc != "" {
		loc += " "
	}
	if e.Path != "" {
		return fmt.Sprintf("mapping: %s%s: %s", loc, e.Path, e.Problem)
	}
	return fmt.Sprintf("mapping: %s%s", loc, e.Problem)
}

// Is makes errors.Is(err, ErrInvalidConfig) true.
func (e *ConfigError) Is(target error) bool { return target == ErrInvalidConfig }
