package amazon_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/amazon"
	"github.com/shopctrl/tracksync/internal/httpx/httpxtest"
)

// requireRefused checks that the client refused the redirect with a
// final *amazon.RedirectError and that nothing reached the thief.
func requireRefused(t *testing.T, err error, thief *httpxtest.Recorder, secrets ...string) {
	t.Helper()
	var re *amazon.RedirectError
	require.ErrorAs(t, err, &re)
	require.False(t, re.Retryable())
	require.Empty(t, thief.Requests(), "a credential reached another host")
	for _, s := range secrets {
		require.NotContains(t, err.Error(), s)
	}
}

// Issue 10, defect 1: a 307/308 from Login with Amazon would re-post the
// form with the client secret and refresh token to whatever host the
// Location names. The client refuses, once, and the secrets stay home.
func TestRedirectLWANeverRepostsSecrets(t *testing.T) {
	for _, status := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect, http.StatusFound} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			thief := httpxtest.NewRecorder(t, lwa)
			token := httpxtest.NewRecorder(t, httpxtest.RedirectTo(status, thief.URL+"/auth/o2/token"))
			api := httpxtest.NewRecorder(t, nil)
			c, err := amazon.NewClient(hostileCreds, amazon.Europe, amazon.WithBaseURL(api.URL), amazon.WithLWAEndpoint(token.URL+"/auth/o2/token"))
			require.NoError(t, err)

			_, _, err = c.GetOrder(context.Background(), "028-1234567-1234567")
			requireRefused(t, err, thief, hostileCreds.ClientSecret, hostileCreds.RefreshToken)
			require.Len(t, token.Requests(), 1, "a refused redirect is not retried")
			require.Empty(t, api.Requests(), "no SP-API call without a token")
		})
	}
}

// A 302 from SP-API would send x-amz-access-token to another host.
func TestRedirectSPAPINeverSendsTheAccessToken(t *testing.T) {
	for _, status := range []int{http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			thief := httpxtest.NewRecorder(t, nil)
			token := httpxtest.NewRecorder(t, lwa)
			api := httpxtest.NewRecorder(t, httpxtest.RedirectTo(status, thief.URL+"/orders/2026-01-01/orders/028-1234567-1234567"))
			c, err := amazon.NewClient(hostileCreds, amazon.Europe, amazon.WithBaseURL(api.URL), amazon.WithLWAEndpoint(token.URL))
			require.NoError(t, err)

			_, _, err = c.GetOrder(context.Background(), "028-1234567-1234567")
			requireRefused(t, err, thief, hostileAccessToken)
			require.Len(t, api.Requests(), 1, "a refused redirect is not retried")
		})
	}
}

// A presigned upload URL is itself the credential; a redirect of the PUT
// must not re-send the feed to another host.
func TestRedirectFeedUploadStaysOnItsHost(t *testing.T) {
	thief := httpxtest.NewRecorder(t, nil)
	bucket := httpxtest.NewRecorder(t, httpxtest.RedirectTo(http.StatusTemporaryRedirect, thief.URL+"/upload"))
	token := httpxtest.NewRecorder(t, lwa)
	c, err := amazon.NewClient(hostileCreds, amazon.Europe, amazon.WithBaseURL(bucket.URL), amazon.WithLWAEndpoint(token.URL))
	require.NoError(t, err)

	doc := &amazon.FeedDocument{FeedDocumentID: "amzn1.tortuga.4.eu.doc", URL: bucket.URL + "/doc?X-Amz-Signature=presignedsecret"}
	err = c.UploadFeedDocument(context.Background(), doc, amazon.FeedContentType, []byte("<AmazonEnvelope/>"))
	requireRefused(t, err, thief, "presignedsecret")
	require.Len(t, bucket.Requests(), 1)
	require.Empty(t, token.Requests(), "an upload never needs an access token")
}
