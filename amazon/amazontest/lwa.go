package amazontest

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"time"
)

// Login with Amazon: POST /auth/o2/token exchanges a seller's refresh
// token for an access token (grant_type=refresh_token, with the
// application's client_id and client_secret), as the SP-API developer
// guide's "Step 1. Request a Login with Amazon access token" describes.
// Error bodies are OAuth 2.0's {"error","error_description"} with LWA's
// own descriptions, as production answers them:
//
//	400 invalid_request          "The request is missing a required parameter : <name>"
//	                             (github.com/wingrunr21/omniauth-amazon/issues/7),
//	                             "Malformed request" for an unreadable body
//	                             (github.com/amzn/selling-partner-api-models/issues/1851)
//	400 unsupported_grant_type   "The authorization grant type is not supported by the authorization server"
//	                             (github.com/amzn/selling-partner-api-models/issues/796)
//	401 invalid_client           "Client authentication failed"
//	                             (github.com/amzn/selling-partner-api-models/issues/783)
//	400 invalid_grant            "The request has an invalid grant parameter : refresh_token"
//	                             (github.com/amzn/selling-partner-api-models/issues/921)
//
// The fake serves only the refresh_token grant: authorization_code and
// client_credentials (grantless operations) are answered as unsupported.

// accessToken is an issued LWA access token.
type accessToken struct {
	seller  *Seller
	expires time.Time
}

// tokenResponse is LWA's success body.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
}

// lwaError is LWA's error body.
type lwaError struct {
	ErrorDescription string `json:"error_description"`
	Error            string `json:"error"`
}

func lwaResponse(status int, v any) response {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error_description":"Internal error","error":"server_error"}`)
	}
	return response{status: status, body: b, header: http.Header{
		"Content-Type":  {"application/json;charset=UTF-8"},
		"Cache-Control": {"no-cache, no-store, must-revalidate"},
		"Pragma":        {"no-cache"},
	}}
}

func lwaFail(status int, code, description string) response {
	return lwaResponse(status, lwaError{ErrorDescription: description, Error: code})
}

// serveLWA answers the token endpoint.
func (s *Server) serveLWA(c *call) {
	if c.r.Method != http.MethodPost {
		s.write(c, lwaFail(http.StatusBadRequest, "invalid_request", "Malformed request"))
		return
	}
	body, err := io.ReadAll(io.LimitReader(c.r.Body, maxBodyBytes+1))
	if err != nil || len(body) > maxBodyBytes {
		s.write(c, lwaFail(http.StatusBadRequest, "invalid_request", "Malformed request"))
		return
	}
	params, ok := tokenParams(c.r.Header.Get("Content-Type"), body)
	if !ok {
		s.write(c, lwaFail(http.StatusBadRequest, "invalid_request", "Malformed request"))
		return
	}
	// LWA also takes the client credentials as HTTP Basic authentication
	// (Login with Amazon "Authorization Code Grant": a base-64 encoding of
	// client_id:client_secret).
	if id, secret, ok := c.r.BasicAuth(); ok {
		if params.Get("client_id") == "" {
			params.Set("client_id", id)
		}
		if params.Get("client_secret") == "" {
			params.Set("client_secret", secret)
		}
	}
	s.mu.Lock()
	c.seller = s.refresh[params.Get("refresh_token")]
	s.mu.Unlock()
	if c.seller != nil {
		c.rec.Seller = c.seller.id
	}
	if !s.applyFaultBefore(c) {
		return
	}
	s.finish(c, s.issueToken(c, params))
}

// issueToken checks a token request, in the order LWA reports problems,
// and issues an access token.
func (s *Server) issueToken(c *call, params url.Values) response {
	switch grant := params.Get("grant_type"); grant {
	case "":
		return lwaFail(http.StatusBadRequest, "invalid_request", "The request is missing a required parameter : grant_type")
	case "refresh_token":
	default:
		return lwaFail(http.StatusBadRequest, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server")
	}
	for _, name := range []string{"refresh_token", "client_id", "client_secret"} {
		if params.Get(name) == "" {
			return lwaFail(http.StatusBadRequest, "invalid_request", "The request is missing a required parameter : "+name)
		}
	}
	clientID, secret, refresh := params.Get("client_id"), params.Get("client_secret"), params.Get("refresh_token")

	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.knownClient(clientID, secret) {
		return lwaFail(http.StatusUnauthorized, "invalid_client", "Client authentication failed")
	}
	sl := s.refresh[refresh]
	if sl == nil || sl.creds.ClientID != clientID {
		// A refresh token is bound to the application the seller
		// authorized; another application's client gets invalid_grant.
		return lwaFail(http.StatusBadRequest, "invalid_grant", "The request has an invalid grant parameter : refresh_token")
	}
	s.expireTokens(c.now)
	tok := "Atza|" + base64.RawURLEncoding.EncodeToString(randomBytes(264))
	s.tokens[tok] = &accessToken{seller: sl, expires: c.now.Add(s.tokenTTL)}
	c.rec.Applied = true
	return lwaResponse(http.StatusOK, tokenResponse{
		AccessToken:  tok,
		RefreshToken: refresh, // LWA hands the same refresh token back
		TokenType:    "bearer",
		ExpiresIn:    int64(s.tokenTTL / time.Second),
	})
}

// knownClient reports whether some seller authorized the application with
// this client identifier and secret. The caller holds mu.
func (s *Server) knownClient(id, secret string) bool {
	for _, sl := range s.sellers {
		if sl.creds.ClientID == id && sl.creds.ClientSecret == secret {
			return true
		}
	}
	return false
}

// expireTokens forgets tokens long expired, so that a long test does not
// grow the map without bound; recently expired ones stay so that their
// use is reported as expired rather than invalid. The caller holds mu.
func (s *Server) expireTokens(now time.Time) {
	for tok, t := range s.tokens {
		if now.Sub(t.expires) > 24*time.Hour {
			delete(s.tokens, tok)
		}
	}
}

// tokenParams reads a token request: form-encoded, as Amazon documents,
// or JSON, which LWA also accepts
// (github.com/amzn/selling-partner-api-models/issues/841).
func tokenParams(contentType string, body []byte) (url.Values, bool) {
	mt, _, _ := mime.ParseMediaType(contentType)
	if mt == "application/json" {
		var m map[string]any
		if json.Unmarshal(body, &m) != nil {
			return nil, false
		}
		v := url.Values{}
		for k, val := range m {
			if str, ok := val.(string); ok {
				v.Set(k, str)
			}
		}
		return v, true
	}
	v, err := url.ParseQuery(string(body))
	return v, err == nil
}
