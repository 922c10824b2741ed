package amazontest

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strconv"
)

// Test credentials are still credentials: a test that logs or prints a
// Credentials, Seller or Server (whose tokens and sellers are inside)
// shows no secret, whatever the fmt verb or slog handler.

// String shows the client id only.
func (c Credentials) String() string {
	return fmt.Sprintf("amazontest.Credentials{ClientID: %s, ClientSecret: REDACTED, RefreshToken: REDACTED}", c.ClientID)
}

// GoString keeps secrets out of %#v.
func (c Credentials) GoString() string { return c.String() }

// Format prints String for every verb.
func (c Credentials) Format(f fmt.State, verb rune) { printRedacted(f, verb, c.String()) }

// LogValue keeps secrets out of slog.
func (c Credentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("client_id", c.ClientID), slog.String("client_secret", "REDACTED"), slog.String("refresh_token", "REDACTED"))
}

// MarshalJSON writes the secrets as REDACTED.
func (c Credentials) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{"ClientID": c.ClientID, "ClientSecret": "REDACTED", "RefreshToken": "REDACTED"})
}

// String names the seller.
func (sl *Seller) String() string { return "amazontest.Seller{" + sl.id + "}" }

// Format prints String for every verb.
func (sl *Seller) Format(f fmt.State, verb rune) { printRedacted(f, verb, sl.String()) }

// LogValue keeps secrets out of slog.
func (sl *Seller) LogValue() slog.Value { return slog.StringValue(sl.String()) }

// String names the server's address.
func (s *Server) String() string { return "amazontest.Server{" + s.URL() + "}" }

// Format prints String for every verb.
func (s *Server) Format(f fmt.State, verb rune) { printRedacted(f, verb, s.String()) }

// LogValue keeps secrets out of slog.
func (s *Server) LogValue() slog.Value { return slog.StringValue(s.String()) }

func printRedacted(f fmt.State, verb rune, s string) {
	if verb == 'q' {
		s = strconv.Quote(s)
	}
	_, _ = io.WriteString(f, s)
}
