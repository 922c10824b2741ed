package httpx

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// holder is a type with a secret that formats through FormatRedacted.
type holder struct {
	name, secret string
}

func (h holder) Format(f fmt.State, verb rune) { FormatRedacted(f, verb, "holder{"+h.name+"}") }

func TestFormatRedacted(t *testing.T) {
	h := holder{"shop", "shpat_secret"}
	for _, tc := range []struct{ format, want string }{
		{"%v", "holder{shop}"},
		{"%+v", "holder{shop}"},
		{"%#v", "holder{shop}"},
		{"%s", "holder{shop}"},
		{"%q", `"holder{shop}"`},
		{"%x", fmt.Sprintf("%x", "holder{shop}")},
		{"%X", fmt.Sprintf("%X", "holder{shop}")},
		{"%14v|", "  holder{shop}|"},
		{"%-14s|", "holder{shop}  |"},
		{"%d", "%!d(holder{shop})"},
		{"%t", "%!t(holder{shop})"},
	} {
		t.Run(tc.format, func(t *testing.T) {
			for _, arg := range []any{h, &h, []holder{h}, map[string]holder{"k": h}, struct{ H holder }{h}} {
				got := fmt.Sprintf(tc.format, arg)
				require.NotContains(t, got, "shpat_secret")
			}
			require.Equal(t, tc.want, fmt.Sprintf(tc.format, h))
		})
	}
}

// apiKey is a type that holds a secret and formats without it.
type apiKey struct{ owner, key string }

func (k apiKey) Format(f fmt.State, verb rune) {
	FormatRedacted(f, verb, "apiKey{owner: "+k.owner+"}")
}

func ExampleFormatRedacted() {
	k := apiKey{owner: "acme", key: "shpat_0123456789"}
	fmt.Printf("%v\n%+v\n%#v\n%q\n", k, k, k, k)
	// Output:
	// apiKey{owner: acme}
	// apiKey{owner: acme}
	// apiKey{owner: acme}
	// "apiKey{owner: acme}"
}
