package amazon

import (
	"fmt"
	"io"
	"strconv"
)

// formatRedacted is the fmt.Formatter of the types that hold secrets: any
// verb and flag prints their String (quoted for %q), so that no field is
// ever printed by reflection, whatever the verb.
func formatRedacted(f fmt.State, verb rune, s string) {
	if verb == 'q' {
		s = strconv.Quote(s)
	}
	_, _ = io.WriteString(f, s)
}
