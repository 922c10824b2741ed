package shopify_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/internal/httpx"
	"github.com/shopctrl/tracksync/internal/httpx/httpxtest"
	"github.com/shopctrl/tracksync/shopify"
)

// A shop that answers with a redirect to another host (issue 10, defect 1)
// must not get the client to send its access token there: not for a
// query, not for a mutation, whatever the redirect status. The client
// reports a final *httpx.RedirectError instead.
func TestRedirectNeverCarriesTheAccessTokenToAnotherHost(t *testing.T) {
	const token = "shpat_00000000000000000000000000redirect"
	for _, tc := range []struct {
		name   string
		status int
		query  string
	}{
		{"302 query", http.StatusFound, `{ shop { name } }`},
		{"301 query", http.StatusMovedPermanently, `{ shop { name } }`},
		{"307 mutation", http.StatusTemporaryRedirect, `mutation { tagsAdd(id: "gid://shopify/Order/1", tags: ["x"]) { userErrors { message } } }`},
		{"308 mutation", http.StatusPermanentRedirect, `mutation { tagsAdd(id: "gid://shopify/Order/1", tags: ["x"]) { userErrors { message } } }`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			thief := httpxtest.NewRecorder(t, func(w http.ResponseWriter, _ *http.Request) {
				_, _ = io.WriteString(w, `{"data":{"shop":{"name":"stolen"}}}`)
			})
			shop := httpxtest.NewRecorder(t, httpxtest.RedirectTo(tc.status, thief.URL+"/admin/api/2025-10/graphql.json"))

			c, err := shopify.NewClient("victim.myshopify.com", token, shopify.WithBaseURL(shop.URL))
			require.NoError(t, err)
			_, err = c.Do(context.Background(), tc.query, nil, nil)

			var re *httpx.RedirectError
			require.ErrorAs(t, err, &re)
			require.ErrorIs(t, err, httpx.ErrRedirect)
			require.Empty(t, thief.Requests(), "the access token reached another host")
			require.NotContains(t, err.Error(), token)
			require.Len(t, shop.Requests(), 1, "a refused redirect is not retried")
		})
	}
}

// A redirect back to the same server (another path) is followed but loses
// the token, so it cannot be replayed by whatever answers there.
func TestRedirectSameHostDropsTheAccessToken(t *testing.T) {
	const token = "shpat_00000000000000000000000000samehost"
	shop := httpxtest.NewRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "graphql.json") {
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
			return
		}
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"errors":"[API] Invalid API key or access token"}`)
	})

	c, err := shopify.NewClient("victim.myshopify.com", token, shopify.WithBaseURL(shop.URL))
	require.NoError(t, err)
	_, err = c.Do(context.Background(), `{ shop { name } }`, nil, nil)
	require.ErrorIs(t, err, shopify.ErrUnauthorized)
	got := shop.Requests()
	require.Len(t, got, 2)
	require.Equal(t, token, got[0].Header.Get("X-Shopify-Access-Token"))
	require.Equal(t, "/elsewhere", got[1].Path)
	require.Empty(t, got[1].Header.Values("X-Shopify-Access-Token"))
}
