package shopify

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/shopctrl/tracksync/internal/httpx"
)

// ErrShopDomain is the sentinel of every rejected shop domain.
var ErrShopDomain = errors.New("shopify: invalid shop domain")

// myshopifySuffix is the only host tracksync sends Admin API requests to:
// whatever a caller passes, a request can never reach a host it did not
// mean (no server-side request forgery through a crafted shop name).
const myshopifySuffix = ".myshopify.com"

// NormalizeShop turns the ways people write a shop into its
// "name.myshopify.com" domain. It accepts "name", "name.myshopify.com",
// "https://name.myshopify.com/" and "admin.shopify.com/store/name" (with or
// without https://), in any case; anything else — other hosts, IP
// addresses, ports, paths, user info, queries — is an error.
func NormalizeShop(shop string) (string, error) {
	s := strings.TrimSpace(shop)
	bad := func(why string) (string, error) {
		return "", fmt.Errorf("%w %q: %s; want \"name\", \"name.myshopify.com\" or \"admin.shopify.com/store/name\"", ErrShopDomain, shop, why)
	}
	if s == "" {
		return bad("empty")
	}
	if strings.Contains(s, "://") || strings.HasPrefix(strings.ToLower(s), "admin.shopify.com/") {
		raw := s
		if !strings.Contains(raw, "://") {
			raw = "https://" + raw
		}
		u, err := url.Parse(raw)
		if err != nil {
			return bad("not a URL")
		}
		if u.Scheme != "https" && u.Scheme != "http" {
			return bad("scheme " + u.Scheme)
		}
		if u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Port() != "" {
			return bad("user info, port, query or fragment")
		}
		host := strings.ToLower(u.Hostname())
		path := strings.TrimSuffix(u.EscapedPath(), "/")
		switch {
		case host == "admin.shopify.com":
			name, ok := strings.CutPrefix(path, "/store/")
			if !ok || strings.Contains(name, "/") {
				return bad("admin.shopify.com URL without /store/<name>")
			}
			s = name
		case path != "":
			return bad("a path")
		default:
			s = host
		}
	}
	s = strings.ToLower(s)
	name := strings.TrimSuffix(s, myshopifySuffix)
	if net.ParseIP(name) != nil {
		return bad("an IP address")
	}
	if !validShopName(name) {
		return bad("not a shop name")
	}
	return name + myshopifySuffix, nil
}

// validShopName checks the store handle: lower-case letters, digits and
// inner hyphens, as Shopify's own subdomains are (a DNS label, 1–63).
func validShopName(n string) bool {
	if n == "" || len(n) > 63 || n[0] == '-' || n[len(n)-1] == '-' {
		return false
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

// checkBaseURL accepts the test base URL: http or https on a loopback
// address only, so that the option cannot redirect production traffic.
func checkBaseURL(raw string) (*url.URL, error) {
	u, err := httpx.LoopbackURL(raw)
	if err != nil {
		return nil, fmt.Errorf("shopify: base URL %q is not a loopback address (%w); it is for tests against shopifytest only", raw, err)
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.User != nil {
		return nil, fmt.Errorf("shopify: base URL %q must have no path, query or user info", raw)
	}
	return u, nil
}
