package amazon_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/amazon"
	"github.com/shopctrl/tracksync/amazon/amazontest"
	"github.com/shopctrl/tracksync/tracking"
)

// Every type that holds a secret prints none, whatever the verb, and logs
// none, whatever the slog handler.
func TestSecretsNeverPrinted(t *testing.T) {
	srv := amazontest.NewServer()
	defer srv.Close()
	secret := amazon.Credentials{ClientID: "amzn1.application-oa2-client.id", ClientSecret: "amzn1.oa2-cs.v1.TOPSECRET", RefreshToken: "Atzr|TOPSECRET-REFRESH"}
	seller := amazon.Seller{Credentials: secret, Region: amazon.Europe}
	sellers, err := amazon.NewSellerClients(map[string]amazon.Seller{"A2SELLER": seller}, amazon.WithTestEndpoints(srv.URL(), srv.LWAEndpoint()))
	require.NoError(t, err)
	client, err := sellers.Client(t.Context(), "A2SELLER")
	require.NoError(t, err)
	values := map[string]any{
		"Credentials": secret, "*Credentials": &secret, "Seller": seller, "*Seller": &seller,
		"*SellerClients": sellers, "*Client": client,
		"map": map[string]amazon.Seller{"A2SELLER": seller}, "slice": []amazon.Credentials{secret},
	}
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T %v", "%10.3v", "%-v"}
	for name, v := range values {
		for _, verb := range verbs {
			out := fmt.Sprintf(verb, v)
			if verb == "%T %v" {
				out = fmt.Sprintf(verb, v, v)
			}
			require.NotContains(t, out, "TOPSECRET", "%s with %s: %s", name, verb, out)
			require.NotContains(t, out, fmt.Sprintf("%x", "TOPSECRET"), "%s with %s", name, verb)
		}
		for _, h := range []func(*bytes.Buffer) slog.Handler{
			func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
			func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		} {
			var buf bytes.Buffer
			slog.New(h(&buf)).Info("x", "v", v)
			require.NotContains(t, buf.String(), "TOPSECRET", "%s logged: %s", name, buf.String())
		}
	}
	require.Contains(t, fmt.Sprint(secret), "amzn1.application-oa2-client.id", "the client id is no secret")
}

// The Syncer's logger reaches the exporter's clients, and it shows the
// client's requests without a secret.
func TestSyncerLoggerReachesTheClients(t *testing.T) {
	e := newAEnv(t, nil)
	o := e.seed(t, "", 1)
	o.Shipments = []tracking.Shipment{ship("S1", "AMS", "ups", "", "1Z999AA10123456784", 1, it("L0", 1))}
	e.srv.InjectFault(amazontest.Fault{Operation: amazontest.OpConfirmShipment, Status: 400})
	var buf bytes.Buffer
	s, err := tracking.NewSyncer(tracking.WithExporters(e.exporter), tracking.WithLogger(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	require.NoError(t, err)
	_, err = s.Sync(t.Context(), o)
	require.NoError(t, err)
	require.Contains(t, buf.String(), "amazon request failed")
	require.NotContains(t, buf.String(), creds.ClientSecret)
	require.NotContains(t, buf.String(), creds.RefreshToken)
}
