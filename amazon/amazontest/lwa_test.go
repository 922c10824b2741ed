package amazontest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestLWATokenSuccess(t *testing.T) {
	e := newEnv(t)
	r := e.lwa(tokenForm(testRefresh))
	require.Equal(t, http.StatusOK, r.status)
	require.Contains(t, r.header.Get("Content-Type"), "application/json")
	require.NotEmpty(t, r.header.Get("x-amzn-RequestId"))
	require.Empty(t, r.header.Get("x-amzn-RateLimit-Limit"), "LWA has no usage plan")

	var tok map[string]any
	r.decode(t, &tok)
	require.Equal(t, "bearer", tok["token_type"])
	require.EqualValues(t, 3600, tok["expires_in"])
	require.Equal(t, testRefresh, tok["refresh_token"])
	access, _ := tok["access_token"].(string)
	require.True(t, strings.HasPrefix(access, "Atza|"), access)
	require.GreaterOrEqual(t, len(access), 350, "LWA access tokens are 350 characters or more")

	again := e.lwa(tokenForm(testRefresh))
	var tok2 tokenResponse
	again.decode(t, &tok2)
	require.NotEqual(t, access, tok2.AccessToken, "every exchange gives a new token")
	require.Equal(t, 2, e.srv.LWACalls())
}

func TestLWATokenErrors(t *testing.T) {
	other := "amzn1.application-oa2-client.other"
	tests := []struct {
		name      string
		form      url.Values
		status    int
		errorCode string
		desc      string
	}{
		{"missing grant_type", url.Values{"refresh_token": {testRefresh}, "client_id": {testClientID}, "client_secret": {testClientSecret}},
			400, "invalid_request", "The request is missing a required parameter : grant_type"},
		{"unsupported grant", url.Values{"grant_type": {"password"}, "refresh_token": {testRefresh}, "client_id": {testClientID}, "client_secret": {testClientSecret}},
			400, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server"},
		{"grantless is not served", url.Values{"grant_type": {"client_credentials"}, "scope": {"sellingpartnerapi::notifications"}, "client_id": {testClientID}, "client_secret": {testClientSecret}},
			400, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server"},
		{"missing refresh_token", url.Values{"grant_type": {"refresh_token"}, "client_id": {testClientID}, "client_secret": {testClientSecret}},
			400, "invalid_request", "The request is missing a required parameter : refresh_token"},
		{"missing client_secret", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {testRefresh}, "client_id": {testClientID}},
			400, "invalid_request", "The request is missing a required parameter : client_secret"},
		{"wrong secret", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {testRefresh}, "client_id": {testClientID}, "client_secret": {"nope"}},
			401, "invalid_client", "Client authentication failed"},
		{"unknown client", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {testRefresh}, "client_id": {"amzn1.application-oa2-client.nobody"}, "client_secret": {testClientSecret}},
			401, "invalid_client", "Client authentication failed"},
		{"unknown refresh token", tokenForm("Atzr|revoked"),
			400, "invalid_grant", "The request has an invalid grant parameter : refresh_token"},
		{"refresh token of another application", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"Atzr|seller-two"}, "client_id": {testClientID}, "client_secret": {testClientSecret}},
			400, "invalid_grant", "The request has an invalid grant parameter : refresh_token"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.srv.AddSeller("A2SELLERTWO", Credentials{ClientID: other, ClientSecret: "other-secret", RefreshToken: "Atzr|seller-two"})
			r := e.lwa(tc.form)
			require.Equal(t, tc.status, r.status, "body: %s", r.body)
			var le lwaError
			r.decode(t, &le)
			require.Equal(t, tc.errorCode, le.Error)
			require.Equal(t, tc.desc, le.ErrorDescription)
			require.NotEmpty(t, r.header.Get("x-amzn-RequestId"))
		})
	}
}

func TestLWAMalformedAndAlternativeRequests(t *testing.T) {
	e := newEnv(t)
	get := e.rawCall(http.MethodGet, "/auth/o2/token", nil)
	require.Equal(t, http.StatusBadRequest, get.status)
	require.Contains(t, string(get.body), "invalid_request")

	// JSON bodies are accepted as well as forms.
	req, err := http.NewRequest(http.MethodPost, e.srv.URL()+"/auth/o2/token", strings.NewReader(
		`{"grant_type":"refresh_token","refresh_token":"`+testRefresh+`","client_id":"`+testClientID+`","client_secret":"`+testClientSecret+`"}`))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	r := send(t, http.DefaultClient, req)
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)

	// Client credentials may come as HTTP Basic authentication.
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {testRefresh}}
	req, err = http.NewRequest(http.MethodPost, e.srv.URL()+"/auth/o2/token", strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(testClientID, testClientSecret)
	r = send(t, http.DefaultClient, req)
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)

	bad, err := http.NewRequest(http.MethodPost, e.srv.URL()+"/auth/o2/token", strings.NewReader(`{not json`))
	require.NoError(t, err)
	bad.Header.Set("Content-Type", "application/json")
	r = send(t, http.DefaultClient, bad)
	require.Equal(t, http.StatusBadRequest, r.status)
	require.Contains(t, string(r.body), "Malformed request")
}

func TestLWATokenExpiresByTheClock(t *testing.T) {
	e := newEnv(t, WithTokenTTL(10*time.Minute))
	e.addOrderA()
	r := e.lwa(tokenForm(testRefresh))
	var tok tokenResponse
	r.decode(t, &tok)
	require.EqualValues(t, 600, tok.ExpiresIn)
	e.token = tok.AccessToken

	path := "/orders/v0/orders/" + orderA
	require.Equal(t, http.StatusOK, e.call(http.MethodGet, path, nil).status)

	e.clock.Advance(10*time.Minute - time.Second)
	require.Equal(t, http.StatusOK, e.call(http.MethodGet, path, nil).status, "valid until expires_in has passed")

	e.clock.Advance(time.Second)
	expired := e.call(http.MethodGet, path, nil)
	require.Equal(t, http.StatusForbidden, expired.status, "SP-API answers expired tokens with 403, not 401")
	require.Equal(t, apiError{Code: "Unauthorized", Message: "Access to requested resource is denied.", Details: "The access token you provided has expired."}, expired.onlyError(t))

	// The refresh token still works: a new access token is served.
	e.login()
	require.Equal(t, http.StatusOK, e.call(http.MethodGet, path, nil).status)
}

func TestLWARefreshTokenMovesWithAddSeller(t *testing.T) {
	e := newEnv(t)
	e.srv.AddSeller(testSellerID, Credentials{ClientID: testClientID, ClientSecret: testClientSecret, RefreshToken: "Atzr|rotated"})
	require.Equal(t, http.StatusBadRequest, e.lwa(tokenForm(testRefresh)).status, "the old refresh token is gone")
	require.Equal(t, http.StatusOK, e.lwa(tokenForm("Atzr|rotated")).status)
}
