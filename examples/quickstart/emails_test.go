package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestQuickstartEmails(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out))
	runs := strings.Split(out.String(), "\n== run ")
	require.Len(t, runs, 4)

	require.Contains(t, runs[1], "Emails to customers: 6 sent (the mail server has seen 1 SMTP connection(s) in all)")
	require.Equal(t, 3, strings.Count(runs[1], "Subject: Je bestelling #1042 is onderweg"), "one email per Shopify package, in Dutch")
	require.Equal(t, 3, strings.Count(runs[1], "Subject: Ihre Bestellung 028-1234567-1234567 ist unterwegs"), "one per Amazon package, in German")
	require.Contains(t, runs[1], "| Volg je pakket: https://jouw.postnl.nl/track-and-trace/3SDEVC1234567-NL-1017CE", "PostNL's full page for the destination")
	require.Contains(t, runs[1], "| Volg je pakket: https://jouw.postnl.nl/track-and-trace/3SDEVC7654321-NL", "the evening service's mapped link, as on Shopify")
	require.Contains(t, runs[1], "| Versanddienstleister: Fietskoerier Amsterdam")
	require.Contains(t, runs[1], "| - 2 × Water filter, 3-pack")
	require.NotContains(t, runs[1], "To: \n", "the invalid order gets no email")

	for _, r := range runs[2:] {
		require.Contains(t, r, "Emails to customers: 0 sent (the mail server has seen 1 SMTP connection(s) in all)", "nothing twice, even when the channel ledger is lost")
	}
}
