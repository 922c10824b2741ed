package carrier

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParsePolicy(t *testing.T) {
	tests := []struct {
		in   string
		want Policy
		ok   bool
	}{
		{"", PolicyWarn, true},
		{"warn", PolicyWarn, true},
		{" WARN ", PolicyWarn, true},
		{"strict", PolicyStrict, true},
		{"Strict", PolicyStrict, true},
		{"off", PolicyOff, true},
		{"none", PolicyWarn, false},
		{"warning", PolicyWarn, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParsePolicy(tt.in)
			if !tt.ok {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestPolicyZeroValueIsWarn(t *testing.T) {
	var p Policy
	require.Equal(t, PolicyWarn, p)
	require.Equal(t, "warn", p.String())
}

func TestPolicyString(t *testing.T) {
	require.Equal(t, "strict", PolicyStrict.String())
	require.Equal(t, "off", PolicyOff.String())
	require.Equal(t, "Policy(7)", Policy(7).String())
	require.Equal(t, "Policy(-1)", Policy(-1).String())
}

func TestPolicyText(t *testing.T) {
	var cfg struct {
		Policy Policy `json:"policy"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"policy":"strict"}`), &cfg))
	require.Equal(t, PolicyStrict, cfg.Policy)
	out, err := json.Marshal(cfg)
	require.NoError(t, err)
	require.JSONEq(t, `{"policy":"strict"}`, string(out))

	require.Error(t, json.Unmarshal([]byte(`{"policy":"loose"}`), &cfg))
	_, err = Policy(9).MarshalText()
	require.Error(t, err)
}

func TestPolicyCheck(t *testing.T) {
	ups := mustLookup(t, "ups")
	const good, bad = "1Z999AA10123456784", "1Z999AA10123456785"

	tests := []struct {
		name     string
		policy   Policy
		number   string
		wantWarn bool
		wantErr  error
	}{
		{"warn, valid", PolicyWarn, good, false, nil},
		{"warn, invalid: warning only", PolicyWarn, bad, true, nil},
		{"strict, valid", PolicyStrict, good, false, nil},
		{"strict, invalid: error", PolicyStrict, bad, false, ErrCheckDigit},
		{"off, invalid: nothing", PolicyOff, bad, false, nil},
		{"off, garbage: nothing", PolicyOff, "???", false, nil},
		{"unknown policy acts as warn", Policy(42), bad, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			warning, err := tt.policy.Check(ups, tt.number)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				var inv *InvalidNumberError
				require.ErrorAs(t, err, &inv)
				require.Equal(t, "ups", inv.Carrier)
			} else {
				require.NoError(t, err)
			}
			if tt.wantWarn {
				require.Contains(t, warning, "ups")
				require.Contains(t, warning, "check digit")
				require.Contains(t, warning, "pushed anyway")
			} else {
				require.Empty(t, warning)
			}
		})
	}
}
