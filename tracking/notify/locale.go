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

// localeChain is the order in which locales are tried for a customer:
// the customer's tag ("nl-be"), its language ("nl"), the store's default
// tag and language, then English.
func localeChain(customer, storeDefault string) []string {
	chain := make([]string, 0, 5)
	add := func(tag string) {
		for tag = normalizeLocale(tag); tag != ""; {
			chain = appendNew(chain, tag)
			lang, _, ok := strings.Cut(tag, "-")
			if !ok {
				break
			}
			tag = lang
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
