package notify

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// cleanText makes a value from outside (a customer name, an item name, a
// tracking number) safe to place in an email: control characters, line and
// paragraph separators and bidirectional overrides (which can make text
// read differently than it is) become spaces, and runs of spaces shrink to
// one. HTML escaping is left to html/template.
func cleanText(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unsafeRune(r) || unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// cleanHeader is cleanText for a header value such as the subject, capped
// at 200 runes so that it fits a header line comfortably.
func cleanHeader(s string) string {
	s = cleanText(s)
	if len(s) <= 200 {
		return s
	}
	n := 0
	for i := range s {
		if n == 200 {
			return strings.TrimSpace(s[:i])
		}
		n++
	}
	return s
}

// isClean reports whether s needs no cleaning: the common case, kept free
// of allocations.
func isClean(s string) bool {
	if !utf8.ValidString(s) {
		return false // cleanText turns invalid bytes into U+FFFD
	}
	prevSpace := true // a leading space needs trimming
	for _, r := range s {
		if unsafeRune(r) {
			return false
		}
		sp := unicode.IsSpace(r)
		if sp && (prevSpace || r != ' ') {
			return false
		}
		prevSpace = sp
	}
	return !prevSpace || s == ""
}

func unsafeRune(r rune) bool {
	switch {
	case r == unicode.ReplacementChar:
		return false
	case unicode.IsControl(r), r == '\u2028', r == '\u2029':
		return true
	case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069', r == '\u200e', r == '\u200f', r == '\u061c':
		return true
	}
	return false
}
