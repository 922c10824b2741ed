package shopifytest_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/shopify/shopifytest"
)

func TestHTTPErrors(t *testing.T) {
	tests := []struct {
		name       string
		mutate     func(c *client)
		method     string
		body       string
		wantStatus int
		wantBody   string
	}{
		{"unknown shop", func(c *client) { c.domain = "nope.myshopify.com" }, "POST", `{"query":"{ shop { id } }"}`,
			404, `{"errors":"Not Found"}`},
		{"missing token", func(c *client) { c.token = "" }, "POST", `{"query":"{ shop { id } }"}`,
			401, `{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}`},
		{"wrong token", func(c *client) { c.token = "shpat_wrong" }, "POST", `{"query":"{ shop { id } }"}`,
			401, `{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}`},
		{"GET", nil, "GET", ``, 400, `{"errors":{"query":"Required parameter missing or invalid"}}`},
		{"not JSON", nil, "POST", `{"query":`, 400, `{"errors":{"query":"Required parameter missing or invalid"}}`},
		{"no query", nil, "POST", `{"variables":{}}`, 400, `{"errors":{"query":"Required parameter missing or invalid"}}`},
		{"variables not an object", nil, "POST", `{"query":"{ shop { id } }","variables":[1]}`, 400, `{"errors":{"query":"Required parameter missing or invalid"}}`},
		{"body too large", nil, "POST", `{"query":"` + strings.Repeat(" ", 1<<20) + `{ shop { id } }"}`, 413, `{"errors":"Request body too large"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			if tt.mutate != nil {
				tt.mutate(f.c)
			}
			r, err := f.c.raw(tt.method, []byte(tt.body))
			require.NoError(t, err)
			require.Equal(t, tt.wantStatus, r.Status)
			require.JSONEq(t, tt.wantBody, string(r.Raw))
			require.Equal(t, "application/json; charset=utf-8", r.Header.Get("Content-Type"))
			reqs := f.srv.Requests()
			require.Equal(t, tt.wantStatus, reqs[len(reqs)-1].Status)
		})
	}
}

func TestWrongPath(t *testing.T) {
	f := newFixture(t)
	req, err := http.NewRequest("POST", f.srv.URL()+"/admin/api/2026-10/products.json", bytes.NewReader(nil))
	require.NoError(t, err)
	req.Host = testDomain
	resp, err := f.srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, 404, resp.StatusCode)
}

func TestHostIsCaseInsensitiveAndPortStripped(t *testing.T) {
	f := newFixture(t)
	f.c.domain = "ACME.myshopify.com:443"
	r := f.c.do(`{ shop { myshopifyDomain } }`, nil)
	require.Equal(t, testDomain, r.data("shop", "myshopifyDomain"))
}

func TestVersionFallForward(t *testing.T) {
	tests := []struct {
		name      string
		versions  []string
		requested string
		served    string
	}{
		{"supported", nil, "2026-04", "2026-04"},
		{"newest", nil, "2026-10", "2026-10"},
		{"oldest", nil, "2026-01", "2026-01"},
		{"retired falls forward to the oldest supported", nil, "2024-04", "2026-01"},
		{"retired 12 months after its release", nil, "2025-10", "2026-01"},
		{"unknown", nil, "unstable", "2026-01"},
		{"configured", []string{"2025-07", "2025-04"}, "2025-01", "2025-04"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts []shopifytest.Option
			if tt.versions != nil {
				opts = append(opts, shopifytest.WithVersions(tt.versions...))
			}
			f := newFixture(t, opts...)
			f.c.version = tt.requested
			r := f.c.do(`{ shop { id } }`, nil)
			require.Equal(t, 200, r.Status)
			require.Equal(t, tt.served, r.Header.Get("X-Shopify-API-Version"))
			reqs := f.srv.Requests()
			require.Equal(t, tt.served, reqs[len(reqs)-1].Version)
		})
	}
	// Error answers carry the header too.
	f := newFixture(t)
	f.c.token = "bad"
	f.c.version = "2023-01"
	r := f.c.do(`{ shop { id } }`, nil)
	require.Equal(t, 401, r.Status)
	require.Equal(t, "2026-01", r.Header.Get("X-Shopify-API-Version"))
}

func TestApplicationGraphQLBody(t *testing.T) {
	f := newFixture(t)
	req, err := http.NewRequest("POST", f.srv.URL()+"/admin/api/2026-10/graphql.json", strings.NewReader(`{ shop { name } }`))
	require.NoError(t, err)
	req.Host = testDomain
	req.Header.Set("Content-Type", "application/graphql")
	req.Header.Set("X-Shopify-Access-Token", testToken)
	resp, err := f.srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
}

func TestShopsAreSeparate(t *testing.T) {
	f := newFixture(t)
	other := f.srv.AddShop("other.myshopify.com", "tok2", shopifytest.ShopName("Other Shop"))
	otherLoc := other.AddLocation("Depot")
	c := newClient(t, f.srv)
	c.domain, c.token = "other.myshopify.com", "tok2"

	r := c.do(`query($id: ID!) { shop { name } order(id: $id) { id } location { id name } }`, map[string]any{"id": f.ref.ID})
	require.Equal(t, "Other Shop", r.data("shop", "name"))
	require.Nil(t, r.data("order"), "another shop's order is not visible")
	require.Equal(t, otherLoc, r.data("location", "id"))

	// The first shop's token does not open the second shop.
	c.token = testToken
	r = c.do(`{ shop { id } }`, nil)
	require.Equal(t, 401, r.Status)
}
