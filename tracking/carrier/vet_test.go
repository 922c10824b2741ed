package carrier

import (
	"bytes"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPolicyVet(t *testing.T) {
	ups := mustLookup(t, "ups")
	const good, bad = "1Z999AA10123456784", "1Z999AA10123456785"

	tests := []struct {
		name    string
		policy  Policy
		carrier Carrier
		number  string
		warn    bool  // a warning is returned and logged
		err     error // the error Vet fails with
	}{
		{"warn, valid", PolicyWarn, ups, good, false, nil},
		{"warn, invalid: pushed with a warning", PolicyWarn, ups, bad, true, nil},
		{"strict, valid", PolicyStrict, ups, good, false, nil},
		{"strict, invalid: refused", PolicyStrict, ups, bad, false, ErrCheckDigit},
		{"off, invalid: not checked", PolicyOff, ups, bad, false, nil},
		{"carrier outside the catalogue: nothing to check", PolicyStrict, Carrier{}, "anything", false, nil},
		{"carrier outside the catalogue under warn", PolicyWarn, Carrier{Code: "bike"}, "fk-1", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&log, nil))
			warnings, err := tt.policy.Vet(t.Context(), logger, tt.carrier, tt.number, "order", "O1", "shipment", "S1")
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
				var inv *InvalidNumberError
				require.ErrorAs(t, err, &inv)
				require.False(t, inv.Retryable(), "a wrong number stays wrong until the host corrects it")
			} else {
				require.NoError(t, err)
			}
			if !tt.warn {
				require.Empty(t, warnings)
				require.Empty(t, log.String())
				return
			}
			require.Len(t, warnings, 1)
			require.Contains(t, warnings[0], "pushed anyway")
			line := log.String()
			require.Contains(t, line, "level=WARN")
			require.Contains(t, line, "order=O1 shipment=S1 carrier=ups")
			require.Contains(t, line, "check digit")
		})
	}
}

func TestPolicyVetWithoutLoggerStillWarns(t *testing.T) {
	warnings, err := PolicyWarn.Vet(t.Context(), nil, mustLookup(t, "ups"), "1Z999AA10123456785")
	require.NoError(t, err)
	require.Len(t, warnings, 1)
}

// Vet must not write into the spare capacity of the caller's args: a
// caller reusing the slice would find Vet's attributes in it.
func TestPolicyVetKeepsCallerArgs(t *testing.T) {
	var log bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&log, nil))
	args := make([]any, 2, 8)
	args[0], args[1] = "order", "O1"
	_, err := PolicyWarn.Vet(t.Context(), logger, mustLookup(t, "ups"), "1Z999AA10123456785", args...)
	require.NoError(t, err)
	require.Equal(t, []any{"order", "O1", nil, nil}, args[:4])
}
