package notify

import (
	"errors"
	"fmt"
	"strings"
)

// ErrConfig is the sentinel of *ConfigError: a Notifier setting, store
// setting or template that cannot work. New reports every one at once.
var ErrConfig = errors.New("notify: invalid configuration")

// ConfigError is one configuration problem, found when the Notifier is
// built rather than when a customer's email is sent.
type ConfigError struct {
	Store   string // the store whose settings are wrong; "" for the Notifier's own
	Trigger string // the trigger concerned, if any
	Locale  string // the template locale concerned, if any
	Setting string // what is wrong: "from", "subject template", "html template", ...
	Problem string // what is wrong with it and how to fix it
	Err     error  // the cause (a template parse or execution error), if any
}

// Error says where the problem is and what it is.
func (e *ConfigError) Error() string {
	var b strings.Builder
	b.WriteString("notify: ")
	if e.Store != "" {
		fmt.Fprintf(&b, "store %q ", e.Store)
	}
	if e.Trigger != "" {
		fmt.Fprintf(&b, "trigger %q ", e.Trigger)
	}
	if e.Locale != "" {
		fmt.Fprintf(&b, "locale %q ", e.Locale)
	}
	b.WriteString(e.Setting)
	b.WriteString(": ")
	b.WriteString(e.Problem)
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Is makes errors.Is(err, ErrConfig) true.
func (e *ConfigError) Is(target error) bool { return target == ErrConfig }

// Unwrap returns the cause.
func (e *ConfigError) Unwrap() error { return e.Err }

// Retryable reports false: a configuration problem stays until the host
// fixes it (tracking.Classify reads this).
func (e *ConfigError) Retryable() bool { return false }

// ErrAddress is the sentinel of *AddressError.
var ErrAddress = errors.New("notify: no usable customer email address")

// AddressError reports an order whose customer email address is missing
// or malformed: its emails fail (not retryable) until the host fixes the
// address.
type AddressError struct {
	Store, OrderID string
	Address        string // as the host gave it; "" when missing
	Problem        string
}

// Error names the order and says what to fix.
func (e *AddressError) Error() string {
	if e.Address == "" {
		return fmt.Sprintf("notify: order %q (store %q) has no customer email address: set Order.Customer.Email", e.OrderID, e.Store)
	}
	return fmt.Sprintf("notify: order %q (store %q) has a malformed customer email address %q: %s", e.OrderID, e.Store, e.Address, e.Problem)
}

// Is makes errors.Is(err, ErrAddress) true.
func (e *AddressError) Is(target error) bool { return target == ErrAddress }

// Retryable reports false: sending again without a fixed address cannot
// succeed.
func (e *AddressError) Retryable() bool { return false }
