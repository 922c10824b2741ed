package amazon_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/amazon"
)

// A server that echoes what it was sent into its error codes does not get
// the token or the client secret into the client's errors.
func TestEchoedSecretsInErrorCodesAreRedacted(t *testing.T) {
	const (
		access = "Atza|IwEBIECHOEDACCESSTOKEN"
		secret = "amzn1.oa2-cs.v1.0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	)
	tests := []struct {
		name      string
		lwaBody   string
		lwaStatus int
		leak      string
	}{
		{"SP-API error code", `{"access_token":"` + access + `","token_type":"bearer","expires_in":3600}`, http.StatusOK, access},
		{"LWA error code", `{"error":"` + secret + `","error_description":"bad client"}`, http.StatusUnauthorized, secret},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				if r.URL.Path == "/auth/o2/token" {
					w.WriteHeader(tt.lwaStatus)
					_, _ = w.Write([]byte(tt.lwaBody))
					return
				}
				w.WriteHeader(http.StatusBadRequest)
				_, _ = w.Write([]byte(`{"errors":[{"code":"` + r.Header.Get("x-amz-access-token") + `","message":"echo"}]}`))
			}))
			defer srv.Close()
			creds := amazon.Credentials{ClientID: "amzn1.application-oa2-client.x", ClientSecret: secret, RefreshToken: "Atzr|IwEBREFRESH"}
			c, err := amazon.NewClient(creds, amazon.Europe, amazon.WithTestEndpoints(srv.URL, srv.URL+"/auth/o2/token"), amazon.WithRetryMax(0))
			require.NoError(t, err)
			_, _, err = c.GetOrder(t.Context(), "028-1234567-1234567")
			require.Error(t, err)
			require.NotContains(t, err.Error(), tt.leak)
		})
	}
}
