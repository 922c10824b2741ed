package httpx

import (
	"strings"

	"github.com/shopctrl/tracksync"
)

// UserAgent returns "tracksync/<Version>". Shopify and Amazon both ask
// integrators to identify themselves; a versioned product token lets their
// support staff (and our own request logs) tell which release sent a request.
func UserAgent() string {
	return "tracksync/" + tracksync.Version
}

// userAgent appends the optional product suffix given to WithUserAgent.
// Control characters are dropped: net/http rejects header values containing
// CR/LF, and a misconfigured suffix must not turn every request into a
// non-retryable "invalid header" error.
func userAgent(product string) string {
	product = strings.TrimSpace(strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, product))
	if product == "" {
		return UserAgent()
	}
	return UserAgent() + " " + product
}
