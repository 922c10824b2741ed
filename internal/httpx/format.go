package httpx

import (
	"fmt"
	"io"
)

// FormatRedacted writes desc, a description of a value that holds a secret
// and leaves the secret out, for any fmt verb. Types that hold a token,
// client secret or refresh token call it from their Format method, so that
// neither %v, %+v, %#v, %s, %q, %x nor a verb fmt does not know can print
// the fields: without a Format method fmt prints a struct's fields,
// unexported ones included, and slog's text handler prints values with %+v.
//
// %v, %+v and %s print desc (width and '-' are honoured), %#v prints it as
// is, %q, %x and %X quote or hex-encode desc; any other verb prints
// %!verb(desc), the way fmt reports a verb that does not fit.
func FormatRedacted(f fmt.State, verb rune, desc string) {
	switch verb {
	case 'v':
		if f.Flag('#') {
			_, _ = io.WriteString(f, desc)
			return
		}
		_, _ = fmt.Fprintf(f, fmt.FormatString(f, 's'), desc)
	case 's', 'q', 'x', 'X':
		_, _ = fmt.Fprintf(f, fmt.FormatString(f, verb), desc)
	default:
		_, _ = fmt.Fprintf(f, "%%!%c(%s)", verb, desc)
	}
}
