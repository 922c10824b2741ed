package amazontest

import (
	"bytes"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSecretsNeverPrinted(t *testing.T) {
	e := newEnv(t)
	e.login()
	c := Credentials{ClientID: testClientID, ClientSecret: testClientSecret, RefreshToken: testRefresh}
	for name, v := range map[string]any{"Credentials": c, "*Credentials": &c, "*Seller": e.seller, "*Server": e.srv} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
			out := fmt.Sprintf(verb, v)
			for _, secret := range []string{testClientSecret, testRefresh, e.token} {
				require.NotContains(t, out, secret, "%s with %s", name, verb)
			}
		}
		var buf bytes.Buffer
		slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "v", v, "list", []any{v})
		require.NotContains(t, buf.String(), testClientSecret, name)
		require.NotContains(t, buf.String(), testRefresh, name)
	}
}
