package carrier

import (
	"fmt"
	"math"
	"regexp"
	"regexp/syntax"
	"strings"
)

// format is one tracking-number format of one carrier: its shape (an RE2
// pattern over the normalized number), an optional check digit, and how much
// Detect should trust a shape-only match.
type format struct {
	// name says which format matched, in Match.Format and error reasons.
	name string
	// pattern is matched against the whole normalized number; it is anchored
	// when compiled.
	pattern string
	check   checkDigit
	// priority orders Detect candidates of equal verification; higher first.
	// Specific shapes (fixed prefixes, country suffixes) get more than bare
	// digit runs that many carriers share.
	priority int
	// noDetect keeps a format out of Detect while Validate still accepts it:
	// shapes such as "8 to 40 letters or digits" would name the carrier for
	// almost any input.
	noDetect bool
	// require expresses a rule RE2 cannot (it has no look-around), such as
	// "contains a digit"; nil means no extra rule.
	require func(string) bool

	// Filled by compile.
	re             *regexp.Regexp
	literal        string // literal prefix every match starts with
	minLen, maxLen int
}

// maxFormatLen bounds the length of any format so that Detect can index the
// formats by length; compile rejects unbounded patterns.
const maxFormatLen = 64

// compile anchors and compiles the pattern and derives the length bounds and
// literal prefix used to skip the regexp for numbers that cannot match.
func (f *format) compile() error {
	anchored := "^(?:" + f.pattern + ")$"
	re, err := regexp.Compile(anchored)
	if err != nil {
		return fmt.Errorf("format %s: %w", f.name, err)
	}
	parsed, err := syntax.Parse(f.pattern, syntax.Perl)
	if err != nil {
		return fmt.Errorf("format %s: %w", f.name, err)
	}
	lo, hi := lengthBounds(parsed)
	if hi > maxFormatLen {
		return fmt.Errorf("format %s: pattern may match more than %d characters", f.name, maxFormatLen)
	}
	if f.check.has() && lo < f.check.start+f.check.end+2 {
		return fmt.Errorf("format %s: shortest match has no room for the check digit", f.name)
	}
	f.re = re
	f.literal, _ = re.LiteralPrefix()
	f.minLen, f.maxLen = lo, hi
	return nil
}

// shapeMatches reports whether a normalized number has the format's shape,
// cheapest tests first; it does not look at the check digit.
func (f *format) shapeMatches(number string) bool {
	if len(number) < f.minLen || len(number) > f.maxLen || !strings.HasPrefix(number, f.literal) {
		return false
	}
	if !f.re.MatchString(number) {
		return false
	}
	return f.require == nil || f.require(number)
}

// lengthBounds returns the shortest and longest string a parsed pattern
// matches, counting runes (the catalogue's patterns are ASCII). Unbounded
// repetition yields math.MaxInt32, which compile rejects.
func lengthBounds(re *syntax.Regexp) (lo, hi int) {
	const inf = math.MaxInt32
	switch re.Op {
	case syntax.OpLiteral:
		return len(re.Rune), len(re.Rune)
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1, 1
	case syntax.OpCapture:
		return lengthBounds(re.Sub[0])
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			l, h := lengthBounds(sub)
			lo += l
			hi = min(hi+h, inf)
		}
		return lo, hi
	case syntax.OpAlternate:
		lo = inf
		for _, sub := range re.Sub {
			l, h := lengthBounds(sub)
			lo, hi = min(lo, l), max(hi, h)
		}
		return lo, hi
	case syntax.OpQuest:
		_, h := lengthBounds(re.Sub[0])
		return 0, h
	case syntax.OpStar:
		return 0, inf
	case syntax.OpPlus:
		l, _ := lengthBounds(re.Sub[0])
		return l, inf
	case syntax.OpRepeat:
		l, h := lengthBounds(re.Sub[0])
		lo = l * re.Min
		if re.Max < 0 || h == inf {
			return lo, inf
		}
		return lo, min(h*re.Max, inf)
	default: // empty match, anchors, word boundaries
		return 0, 0
	}
}

// Constructors keep the catalogue table short and make the algorithm of each
// format readable at a glance.

// mod10 weights the data from the left: weights[0] applies to the first data
// character.
func mod10(weights ...int) checkDigit {
	return checkDigit{algo: algoMod10, weights: weights}
}

// mod10R weights the data from the right (GS1 style): weights[0] applies to
// the character just before the check digit.
func mod10R(weights ...int) checkDigit {
	return checkDigit{algo: algoMod10, weights: weights, fromRight: true}
}

// mod11R is FedEx's mod 11 with weights cycling from the right.
func mod11R(weights ...int) checkDigit {
	return checkDigit{algo: algoMod11, weights: weights, fromRight: true}
}

// mod7Check is DHL Express's mod 7.
func mod7Check() checkDigit { return checkDigit{algo: algoMod7} }

// iso7064 is DPD's ISO/IEC 7064 MOD 37,36.
func iso7064() checkDigit { return checkDigit{algo: algoMod3736} }

// noCheck marks a format whose carrier publishes no check digit.
func noCheck() checkDigit { return checkDigit{} }

// slice sets where the checked body starts and how many characters follow the
// check character.
func (c checkDigit) slice(start, end int) checkDigit {
	c.start, c.end = start, end
	return c
}

// implied sets characters that are weighted before the data but not printed.
func (c checkDigit) implied(prefix string) checkDigit {
	c.prefix = prefix
	return c
}

// s10Format is the UPU S10 format (two service letters, eight serial digits,
// a check digit, the ISO 3166 code of the issuing operator's country).
// service narrows the first letter ("" for any): "C" selects parcels.
func s10Format(name, service, country string, priority int) format {
	first := "[A-Z]"
	if service != "" {
		first = regexp.QuoteMeta(service)
	}
	return format{
		name:     name,
		pattern:  first + "[A-Z][0-9]{9}" + regexp.QuoteMeta(country),
		check:    checkDigit{algo: algoS10}.slice(2, 2),
		priority: priority,
	}
}

// hasDigit and hasLetter implement the look-ahead rules of the reference
// patterns in code.
func hasDigit(s string) bool { return strings.ContainsAny(s, "0123456789") }

func hasLetter(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r >= 'A' && r <= 'Z' }) >= 0
}

// digitAfter reports whether a digit follows the first n characters, the
// reference's "(?=[^0-9]*[0-9])" after a two-letter prefix.
func digitAfter(n int) func(string) bool {
	return func(s string) bool { return len(s) > n && hasDigit(s[n:]) }
}
