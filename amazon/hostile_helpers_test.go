package amazon_test

import (
	"net/http"

	"github.com/shopctrl/tracksync/amazon"
)

// Credentials and tokens of the hostile-server tests (redirects, fuzz
// targets), each distinctive so a test can look for it in errors and in
// what another host received.
var hostileCreds = amazon.Credentials{
	ClientID:     "amzn1.application-oa2-client.hostile",
	ClientSecret: "amzn1.oa2-cs.v1.hostile-client-secret-0000",
	RefreshToken: "Atzr|IwEBIhostile-refresh-token-0000",
}

const hostileAccessToken = "Atza|IwEBIhostile-access-token-0000"

// hostileTokenBody is Login with Amazon's answer to a refresh.
var hostileTokenBody = []byte(`{"access_token":"` + hostileAccessToken + `","token_type":"bearer","expires_in":3600,"refresh_token":"` + hostileCreds.RefreshToken + `"}`)

// lwa answers every token request with hostileAccessToken.
func lwa(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(hostileTokenBody)
}
