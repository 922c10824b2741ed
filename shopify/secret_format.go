package shopify

import (
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"

	"github.com/shopctrl/tracksync/internal/httpx"
)

// Access tokens must not reach output through fmt or slog (issue 10,
// defect 5). Without these methods fmt prints a struct's fields, the
// unexported token included, for %v, %+v, %s and %q of a Client value (its
// String method has a pointer receiver, so a value does not have it) and
// for every verb of a ShopClients; slog's text handler prints a value with
// %+v. Each type that holds a token therefore implements fmt.Formatter,
// which fmt consults before String and GoString for every verb, and
// slog.LogValuer.

var (
	_ fmt.Formatter  = Client{}
	_ fmt.Formatter  = (*ShopClients)(nil)
	_ slog.LogValuer = (*Client)(nil)
	_ slog.LogValuer = (*ShopClients)(nil)
)

// Format implements fmt.Formatter: every verb prints the shop and API
// version, never the access token. It has a value receiver so that a
// Client value is covered as well as a *Client.
func (c Client) Format(f fmt.State, verb rune) {
	httpx.FormatRedacted(f, verb, c.describe())
}

// describe is String, safe on a zero Client (no shared settings).
func (c *Client) describe() string {
	if c.shared == nil {
		return fmt.Sprintf("shopify.Client{shop: %s}", c.shop)
	}
	return c.String()
}

// LogValue implements slog.LogValuer: the shop and API version as a group.
func (c *Client) LogValue() slog.Value {
	if c == nil {
		return slog.StringValue("<nil>")
	}
	attrs := []slog.Attr{slog.String("shop", c.shop)}
	if c.shared != nil {
		attrs = append(attrs, slog.String("api_version", c.version))
	}
	return slog.GroupValue(attrs...)
}

// String names the shops that have a token, never the tokens.
func (sc *ShopClients) String() string {
	if sc == nil {
		return "<nil>"
	}
	return "shopify.ShopClients{shops: [" + strings.Join(sc.shops(), " ") + "]}"
}

// Format implements fmt.Formatter: every verb prints String. (A
// ShopClients value cannot be formatted without copying its mutex, which
// go vet reports, so a pointer receiver covers every use.)
func (sc *ShopClients) Format(f fmt.State, verb rune) {
	httpx.FormatRedacted(f, verb, sc.String())
}

// LogValue implements slog.LogValuer: the shops, never their tokens.
func (sc *ShopClients) LogValue() slog.Value {
	if sc == nil {
		return slog.StringValue("<nil>")
	}
	return slog.GroupValue(slog.Any("domains", sc.shops()))
}

// shops returns the shop domains in order; the token map is not modified
// after NewShopClients, so no lock is needed.
func (sc *ShopClients) shops() []string {
	return slices.Sorted(maps.Keys(sc.tokens))
}
