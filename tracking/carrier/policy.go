package carrier

import (
	"fmt"
	"strings"
)

// Policy is what an exporter does with a tracking number its carrier's
// Validate rejects. The zero value is PolicyWarn: a wrong-looking number is
// still pushed, because carriers introduce formats faster than any catalogue
// learns them, and a missing tracking number hurts a merchant more than an
// odd-looking one.
type Policy int

const (
	// PolicyWarn pushes the number and reports a warning (the default).
	PolicyWarn Policy = iota
	// PolicyStrict refuses to push the number and fails with the
	// *InvalidNumberError.
	PolicyStrict
	// PolicyOff pushes the number without checking it.
	PolicyOff
)

// policyNames are the configuration spellings, indexed by Policy.
var policyNames = [...]string{PolicyWarn: "warn", PolicyStrict: "strict", PolicyOff: "off"}

// String returns the configuration spelling: "warn", "strict" or "off".
func (p Policy) String() string {
	if p >= 0 && int(p) < len(policyNames) {
		return policyNames[p]
	}
	return fmt.Sprintf("Policy(%d)", int(p))
}

// ParsePolicy reads a policy from configuration. It accepts "warn", "strict"
// and "off" in any case, and "" as the default PolicyWarn.
func ParsePolicy(s string) (Policy, error) {
	switch v := strings.ToLower(strings.TrimSpace(s)); v {
	case "":
		return PolicyWarn, nil
	default:
		for p, name := range policyNames {
			if v == name {
				return Policy(p), nil
			}
		}
		return PolicyWarn, fmt.Errorf("carrier: unknown tracking-number policy %q (want warn, strict or off)", s)
	}
}

// MarshalText implements encoding.TextMarshaler, so a Policy reads naturally
// in JSON and YAML configuration.
func (p Policy) MarshalText() ([]byte, error) {
	if p < 0 || int(p) >= len(policyNames) {
		return nil, fmt.Errorf("carrier: invalid policy %d", int(p))
	}
	return []byte(p.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler with ParsePolicy.
func (p *Policy) UnmarshalText(text []byte) error {
	v, err := ParsePolicy(string(text))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// Check applies the policy to a number about to be pushed for carrier c. Under
// PolicyWarn an invalid number yields a warning and no error; under
// PolicyStrict it yields the *InvalidNumberError; PolicyOff checks nothing.
// Policy values outside the three constants behave as PolicyWarn, the safe
// default.
func (p Policy) Check(c Carrier, number string) (warning string, err error) {
	if p == PolicyOff {
		return "", nil
	}
	verr := c.Validate(number)
	if verr == nil {
		return "", nil
	}
	if p == PolicyStrict {
		return "", verr
	}
	return verr.Error() + "; pushed anyway", nil
}
