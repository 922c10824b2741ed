package shopify_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/shopify"
)

const (
	fmtTokenA = "shpat_formatsecret0000000000000000aaaa"
	fmtTokenB = "shpat_formatsecret0000000000000000bbbb"
)

// secretHolders returns every shopify value that holds an access token, in
// every shape a caller may print it: pointer, value, inside a slice, a map
// and an exported struct field, each with a fragment that must show.
func secretHolders(t *testing.T) map[string]struct {
	v    any
	show string
} {
	t.Helper()
	sc, err := shopify.NewShopClients(map[string]string{"alpha": fmtTokenA, "beta.myshopify.com": fmtTokenB})
	require.NoError(t, err)
	a, err := sc.Client(context.Background(), "alpha")
	require.NoError(t, err)
	b, err := sc.Client(context.Background(), "beta") // made with ForShop, shares a's settings
	require.NoError(t, err)
	c, err := shopify.NewClient("gamma", fmtTokenA)
	require.NoError(t, err)
	return map[string]struct {
		v    any
		show string
	}{
		"*Client":             {c, "gamma.myshopify.com"},
		"Client":              {*c, "gamma.myshopify.com"},
		"ForShop *Client":     {b, "beta.myshopify.com"},
		"ForShop Client":      {*b, "beta.myshopify.com"},
		"zero Client":         {shopify.Client{}, "shopify.Client"},
		"nil *Client":         {(*shopify.Client)(nil), "nil"},
		"*ShopClients":        {sc, "alpha.myshopify.com"},
		"nil *ShopClients":    {(*shopify.ShopClients)(nil), "nil"},
		"[]Client":            {[]shopify.Client{*a, *b}, "alpha.myshopify.com"},
		"map of Client":       {map[string]shopify.Client{"a": *a}, "alpha.myshopify.com"},
		"struct field Client": {struct{ Client shopify.Client }{*a}, "alpha.myshopify.com"},
		"struct field *Shops": {struct{ Shops *shopify.ShopClients }{sc}, ""},
	}
}

// Issue 10, defect 5: no fmt verb prints an access token.
func TestSecretsNeverFormatted(t *testing.T) {
	for name, h := range secretHolders(t) {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T %[1]v", "%20v"} {
			t.Run(name+"/"+verb, func(t *testing.T) {
				out := fmt.Sprintf(verb, h.v)
				requireNoToken(t, out)
				if verb == "%v" || verb == "%#v" || verb == "%s" {
					require.Contains(t, out, h.show, "the output still says what the value is")
				}
			})
		}
	}
}

// Issue 10, defect 5: slog's text handler prints values with %+v, its JSON
// handler marshals them; neither prints a token, and LogValue gives the
// shops as attributes.
func TestSecretsNeverLogged(t *testing.T) {
	for name, h := range secretHolders(t) {
		for handler, mk := range map[string]func(*bytes.Buffer) slog.Handler{
			"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
			"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		} {
			t.Run(name+"/"+handler, func(t *testing.T) {
				var buf bytes.Buffer
				slog.New(mk(&buf)).Info("client", "value", h.v)
				requireNoToken(t, buf.String())
			})
		}
	}

	sc, err := shopify.NewShopClients(map[string]string{"alpha": fmtTokenA, "beta": fmtTokenB})
	require.NoError(t, err)
	c, err := sc.Client(context.Background(), "alpha")
	require.NoError(t, err)
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "client", c, "shops", sc)
	require.Contains(t, buf.String(), "client.shop=alpha.myshopify.com client.api_version="+shopify.DefaultAPIVersion)
	require.Contains(t, buf.String(), "shops.domains=\"[alpha.myshopify.com beta.myshopify.com]\"")
}

func TestSecretFormatDescriptions(t *testing.T) {
	c, err := shopify.NewClient("gamma", fmtTokenA)
	require.NoError(t, err)
	sc, err := shopify.NewShopClients(map[string]string{"beta": fmtTokenB, "alpha": fmtTokenA})
	require.NoError(t, err)
	for _, tc := range []struct {
		got, want string
	}{
		{fmt.Sprintf("%v", *c), "shopify.Client{shop: gamma.myshopify.com, version: " + shopify.DefaultAPIVersion + "}"},
		{fmt.Sprintf("%q", c), `"shopify.Client{shop: gamma.myshopify.com, version: ` + shopify.DefaultAPIVersion + `}"`},
		{fmt.Sprint(shopify.Client{}), "shopify.Client{shop: }"},
		{fmt.Sprintf("%+v", sc), "shopify.ShopClients{shops: [alpha.myshopify.com beta.myshopify.com]}"},
		{fmt.Sprint(sc), "shopify.ShopClients{shops: [alpha.myshopify.com beta.myshopify.com]}"},
		{fmt.Sprintf("%v", (*shopify.ShopClients)(nil)), "<nil>"},
	} {
		require.Equal(t, tc.want, tc.got)
	}
}

func requireNoToken(t *testing.T, out string) {
	t.Helper()
	for _, tok := range []string{fmtTokenA, fmtTokenB, "formatsecret", fmt.Sprintf("%x", fmtTokenA)[:24]} {
		require.NotContains(t, out, tok)
	}
}
