package carrier

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Normalize returns the canonical form of a tracking number: whitespace
// (including no-break spaces), dashes, dots and invisible format characters
// such as zero-width spaces removed, ASCII letters upper-cased. Numbers are
// pasted from labels, e-mails and spreadsheets ("1z 999 aa1 01 2345 6784",
// "JJD-0001.2345"), and carriers print them in groups; the separators carry no
// meaning. Other characters are kept so that garbage stays visibly garbage.
//
// A number that is already normal is returned as is, without allocating:
// Validate runs on every push.
func Normalize(number string) string {
	if isNormal(number) {
		return number
	}
	var b strings.Builder
	b.Grow(len(number))
	for i := 0; i < len(number); {
		if c := number[i]; c < utf8.RuneSelf { // ASCII fast path
			i++
			switch {
			case c == '.' || c == '-' || asciiSpace(c):
			case c >= 'a' && c <= 'z':
				b.WriteByte(c - ('a' - 'A'))
			default:
				b.WriteByte(c)
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(number[i:])
		i += size
		if unicode.IsSpace(r) || unicode.Is(unicode.Pd, r) || unicode.Is(unicode.Cf, r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// asciiSpace matches the ASCII characters unicode.IsSpace accepts.
func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// isNormal reports whether Normalize would return s unchanged. Anything
// outside ASCII takes the slow path, which decides rune by rune.
func isNormal(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf:
			return false
		case c >= 'a' && c <= 'z', c == '-', c == '.', asciiSpace(c):
			return false
		}
	}
	return true
}
