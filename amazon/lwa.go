package amazon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/shopctrl/tracksync/internal/httpx"
)

// DefaultLWAEndpoint is Login with Amazon's token endpoint.
// https://developer-docs.amazon.com/sp-api/docs/connecting-to-the-selling-partner-api
const DefaultLWAEndpoint = "https://api.amazon.com/auth/o2/token"

// refreshEarly is how long before its expiry an access token is replaced,
// so that no request goes out with a token that expires on the way.
const refreshEarly = 60 * time.Second

// Credentials are an SP-API application's LWA client and a seller's
// refresh token. They never appear in logs, errors or String output.
type Credentials struct {
	ClientID     string
	ClientSecret string
	RefreshToken string
}

// String shows the client id only.
func (c Credentials) String() string {
	return fmt.Sprintf("amazon.Credentials{ClientID: %s, ClientSecret: REDACTED, RefreshToken: REDACTED}", c.ClientID)
}

// GoString keeps secrets out of %#v.
func (c Credentials) GoString() string { return c.String() }

// Format keeps secrets out of every fmt verb (%v, %+v, %#v, %s, %q, %x,
// %d, ...): they all print String.
func (c Credentials) Format(f fmt.State, verb rune) { httpx.FormatRedacted(f, verb, c.String()) }

// MarshalJSON keeps secrets out of JSON (a JSON log handler marshals
// nested values): the secrets are written as REDACTED. Loading
// credentials from JSON (UnmarshalJSON) works as for any struct.
func (c Credentials) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{"ClientID": c.ClientID, "ClientSecret": "REDACTED", "RefreshToken": "REDACTED"})
}

// LogValue keeps secrets out of slog, whatever its handler.
func (c Credentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("client_id", c.ClientID), slog.String("client_secret", "REDACTED"), slog.String("refresh_token", "REDACTED"))
}

func (c Credentials) check() error {
	var missing []string
	if c.ClientID == "" {
		missing = append(missing, "ClientID")
	}
	if c.ClientSecret == "" {
		missing = append(missing, "ClientSecret")
	}
	if c.RefreshToken == "" {
		missing = append(missing, "RefreshToken")
	}
	if len(missing) > 0 {
		return fmt.Errorf("amazon: credentials lack %s", strings.Join(missing, ", "))
	}
	return nil
}

// ErrLWA is the sentinel of *LWAError.
var ErrLWA = errors.New("amazon: login with amazon")

// LWAError is a refused token request.
type LWAError struct {
	StatusCode  int
	Code        string // "invalid_grant", "invalid_client", ...
	Description string
}

// Error describes the problem for a person; it never holds a secret.
func (e *LWAError) Error() string {
	return fmt.Sprintf("amazon: login with amazon: HTTP %d %s: %s", e.StatusCode, e.Code, e.Description)
}

// Is makes errors.Is(err, ErrLWA) true.
func (e *LWAError) Is(target error) bool { return target == ErrLWA }

// Retryable implements the tracking.Classify contract: LWA overloaded or
// failing (429, 5xx) may answer later; a refused grant or client does not.
func (e *LWAError) Retryable() bool {
	return e.StatusCode == http.StatusTooManyRequests || e.StatusCode >= 500
}

// tokenSource caches one seller's access token and refreshes it once for
// all waiting goroutines (a single flight), about a minute before it
// expires.
type tokenSource struct {
	creds    Credentials
	endpoint string
	client   *Client // sends the token requests

	mu      sync.Mutex
	token   string
	expires time.Time
	flight  chan struct{} // closed when the refresh in flight ends
	err     error         // that refresh's error
}

// get returns a valid access token.
func (ts *tokenSource) get(ctx context.Context) (string, error) {
	for {
		ts.mu.Lock()
		if ts.token != "" && time.Now().Before(ts.expires.Add(-refreshEarly)) {
			tok := ts.token
			ts.mu.Unlock()
			return tok, nil
		}
		if ts.flight == nil {
			ts.flight = make(chan struct{})
			flight := ts.flight
			ts.mu.Unlock()
			// The refresh outlives a cancelled waiter: other goroutines
			// wait for the same answer.
			tok, exp, err := ts.fetch(context.WithoutCancel(ctx))
			ts.mu.Lock()
			ts.token, ts.expires, ts.err, ts.flight = tok, exp, err, nil
			ts.mu.Unlock()
			close(flight)
			if err != nil {
				return "", err
			}
			return tok, nil
		}
		flight := ts.flight
		ts.mu.Unlock()
		select {
		case <-flight:
			ts.mu.Lock()
			err := ts.err
			ts.mu.Unlock()
			if err != nil {
				return "", err
			}
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
}

// invalidate drops the cached token after Amazon refused it.
func (ts *tokenSource) invalidate(token string) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.token == token {
		ts.token = ""
	}
}

// fetch asks LWA for a new access token. The request follows no
// redirect, so that the client secret and refresh token never reach
// another host.
func (ts *tokenSource) fetch(ctx context.Context) (string, time.Time, error) {
	form := url.Values{
		"grant_type":    {"refresh_token"},
		"refresh_token": {ts.creds.RefreshToken},
		"client_id":     {ts.creds.ClientID},
		"client_secret": {ts.creds.ClientSecret},
	}
	start := time.Now()
	a, err := ts.client.exchange(ctx, exchange{op: opLWAToken, method: http.MethodPost, url: ts.endpoint, body: []byte(form.Encode()),
		contentType: "application/x-www-form-urlencoded;charset=UTF-8", safe: true, maxBody: 1 << 20})
	if err != nil {
		return "", time.Time{}, fmt.Errorf("amazon: token request: %w", err)
	}
	if err := redirected(opLWAToken, a); err != nil {
		return "", time.Time{}, err
	}
	if a.status != http.StatusOK {
		var e struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
		}
		_ = json.Unmarshal(a.body, &e)
		return "", time.Time{}, &LWAError{StatusCode: a.status, Code: httpx.Redact(e.Error), Description: httpx.Redact(e.Description)}
	}
	var t struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if err := json.Unmarshal(a.body, &t); err != nil || t.AccessToken == "" || t.ExpiresIn <= 0 {
		return "", time.Time{}, fmt.Errorf("amazon: token response without access_token and expires_in")
	}
	return t.AccessToken, start.Add(time.Duration(t.ExpiresIn) * time.Second), nil
}
