package notify

import "strings"

// fallbackLocale ends every locale chain: the built-in templates always
// have it.
const fallbackLocale = "en"

// normalizeLocale lower-cases a BCP 47 tag and turns "_" into "-", so that
// "nl_BE" and "nl-be" are "nl-be". A tag with other characters, or of more
// than 35 (RFC 5646's practical limit), is "".
func normalizeLocale(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if len(tag) > 35 {
		return ""
	}
	b := []byte(tag)
	for i, c := range b {
		switch {
		case c == '_':
			b[i] = '-'
		case c == '-' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'):
		default:
			return ""
		}
	}
	return strings.Trim(string(b), "-")
}

// localeChain is the order in which locales are tried for a customer, by
// RFC 4647 §3.4 lookup: the customer's tag ("nl-be"), then with its last
// subtag removed until only the language is left ("nl"), the same for the
// store's default, then English.
func localeChain(customer, storeDefault string) []string {
	chain := make([]string, 0, 5)
	add := func(tag string) {
		for tag = normalizeLocale(tag); tag != ""; {
			chain = appendNew(chain, tag)
			i := strings.LastIndexByte(tag, '-')
			if i < 0 {
				break
			}
			tag = tag[:i]
		}
	}
	add(customer)
	add(storeDefault)
	return appendNew(chain, fallbackLocale)
}

func appendNew(list []string, s string) []string {
	for _, have := range list {
		if have == s {
			return list
		}
	}
	return append(list, s)
}

// pickLocale returns the first locale of the chain that has is true for.
func pickLocale(chain []string, has func(string) bool) string {
	for _, l := range chain {
		if has(l) {
			return l
		}
	}
	return fallbackLocale
}
