package shopify

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNormalizeShop(t *testing.T) {
	good := map[string]string{
		"demo":                                   "demo.myshopify.com",
		"Demo-Shop":                              "demo-shop.myshopify.com",
		"demo.myshopify.com":                     "demo.myshopify.com",
		" DEMO.MYSHOPIFY.COM ":                   "demo.myshopify.com",
		"https://demo.myshopify.com/":            "demo.myshopify.com",
		"https://demo.myshopify.com":             "demo.myshopify.com",
		"http://demo.myshopify.com":              "demo.myshopify.com",
		"admin.shopify.com/store/demo":           "demo.myshopify.com",
		"https://admin.shopify.com/store/demo/":  "demo.myshopify.com",
		"https://ADMIN.shopify.com/store/shop-2": "shop-2.myshopify.com",
	}
	for in, want := range good {
		got, err := NormalizeShop(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	bad := []string{
		"", " ", "evil.com", "demo.myshopify.com.evil.com", "https://evil.com/demo.myshopify.com",
		"demo.myshopify.com:8443", "https://demo.myshopify.com:443/", "https://demo.myshopify.com/admin",
		"https://user:pw@demo.myshopify.com", "https://demo.myshopify.com/?x=1", "127.0.0.1", "http://127.0.0.1/",
		"[::1]", "169.254.169.254", "demo_shop", "-demo", "demo-", "de mo", "demo.other.myshopify.com",
		"admin.shopify.com/store/", "admin.shopify.com/store/demo/orders", "admin.shopify.com/demo", "ftp://demo.myshopify.com",
		"https://demo.myshopify.com#x", "demo%2eevil.com", "xn--demo.myshopify.com.evil",
	}
	for _, in := range bad {
		got, err := NormalizeShop(in)
		require.ErrorIs(t, err, ErrShopDomain, "%q gave %q", in, got)
	}
}

func TestCheckBaseURL(t *testing.T) {
	for _, ok := range []string{"http://127.0.0.1:8080", "http://localhost:1", "https://[::1]:443", "http://127.0.0.2:9/"} {
		_, err := checkBaseURL(ok)
		require.NoError(t, err, ok)
	}
	for _, bad := range []string{"http://10.0.0.1", "https://demo.myshopify.com", "http://127.0.0.1:8080/admin", "ftp://127.0.0.1", "127.0.0.1:80", "http://user@127.0.0.1"} {
		_, err := checkBaseURL(bad)
		require.Error(t, err, bad)
	}
}

func TestGID(t *testing.T) {
	for in, want := range map[string]string{"12": "gid://shopify/Order/12", "gid://shopify/Order/0012": "gid://shopify/Order/12", " 7 ": "gid://shopify/Order/7"} {
		got, err := GID("Order", in)
		require.NoError(t, err)
		require.Equal(t, want, got)
	}
	for _, bad := range []string{"", "0", "-1", "+1", "gid://shopify/LineItem/1", "abc", "1.5"} {
		_, err := GID("Order", bad)
		require.Error(t, err, bad)
	}
}

func FuzzNormalizeShop(f *testing.F) {
	f.Add("https://admin.shopify.com/store/demo")
	f.Add("demo.myshopify.com")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := NormalizeShop(s)
		if err != nil {
			return
		}
		// Whatever is accepted is one label under myshopify.com: no request
		// can go anywhere else.
		name, ok := cutSuffix(got, myshopifySuffix)
		require.True(t, ok, got)
		require.True(t, validShopName(name), got)
	})
}

func cutSuffix(s, suffix string) (string, bool) {
	if len(s) < len(suffix) || s[len(s)-len(suffix):] != suffix {
		return "", false
	}
	return s[:len(s)-len(suffix)], true
}
