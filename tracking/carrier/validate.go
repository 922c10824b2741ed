package carrier

import "fmt"

// Validate checks a tracking number against the carrier's formats and, where
// the carrier publishes one, its check digit. The number is normalized first,
// so pasted input is fine. It returns nil if the number is valid for at least
// one format, otherwise an *InvalidNumberError wrapping ErrCheckDigit (the
// shape fits but the check digit does not) or ErrFormat (no shape fits).
//
// The "other" carrier accepts every non-empty number; the zero Carrier
// accepts none. Validating an already normalized valid number does not
// allocate.
func (c Carrier) Validate(number string) error {
	n := Normalize(number)
	if n == "" {
		return c.invalid(n, "the number is empty", ErrFormat)
	}
	if c.entry == nil {
		return c.invalid(n, "the carrier is not in the catalogue", ErrFormat)
	}
	if c.entry.catchAll {
		return nil
	}
	var badCheck *format
	for i := range c.entry.formats {
		f := &c.entry.formats[i]
		if !f.shapeMatches(n) {
			continue
		}
		if !f.check.has() || f.check.verify(n) {
			return nil
		}
		if badCheck == nil {
			badCheck = f
		}
	}
	if badCheck != nil {
		return c.invalid(n, fmt.Sprintf("the %s check digit (%s) does not match", badCheck.name, badCheck.check.algo), ErrCheckDigit)
	}
	return c.invalid(n, "it matches none of the formats: "+c.entry.formatList, ErrFormat)
}

// invalid builds the error Validate returns.
func (c Carrier) invalid(number, reason string, err error) error {
	code := c.Code
	if code == "" {
		code = "unknown"
	}
	return &InvalidNumberError{Carrier: code, Number: number, Reason: reason, Err: err}
}
