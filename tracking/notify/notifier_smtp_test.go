package notify_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/notify"
	"github.com/shopctrl/tracksync/tracking/notify/notifytest"
	"github.com/shopctrl/tracksync/tracking/trackingtest"
)

func TestEmailsReachTheSMTPServerAsMIME(t *testing.T) {
	srv := notifytest.NewServer()
	defer srv.Close()
	store := demoStore()
	store.ReplyTo = "help@demo.example"
	store.ListUnsubscribe = []string{"https://demo.example/unsubscribe"}
	n := newNotifier(t, newMailer(t, srv), notify.WithStore(shop, store),
		notify.WithItemNames(func(_ tracking.Order, l tracking.Line) string { return `Mok <script>alert("x")</script> & co` }),
		notify.WithOrderReference(func(tracking.Order) string { return "#1042" }))
	o := demoOrder()
	o.Customer.Name = "Zoë <van> Dijk"
	ledger := tracking.NewMemoryLedger()
	got := syncOnce(t, ledger, trackingtest.NewExporter("shopify"), n, o)
	require.Equal(t, tracking.Pushed, got["SC-1042/SHP-1"].State)

	msgs := srv.Messages()
	require.Len(t, msgs, 2)
	m := msgs[0]
	require.Empty(t, m.ParseError)
	require.Equal(t, "multipart/alternative", m.ContentType)
	require.Equal(t, []string{"text/plain", "text/html"}, m.Parts)
	require.Equal(t, "Je bestelling #1042 is onderweg", m.Subject)
	require.Equal(t, `"Demo Shop" <shop@demo.example>`, m.Header.Get("From"))
	require.Equal(t, "<help@demo.example>", m.Header.Get("Reply-To"))
	require.Equal(t, "<https://demo.example/unsubscribe>", m.Header.Get("List-Unsubscribe"))
	require.Equal(t, "<"+got["SC-1042/SHP-1"].RemoteID+">", m.Header.Get("Message-Id"))
	require.True(t, strings.HasSuffix(got["SC-1042/SHP-1"].RemoteID, ".tracksync@demo.example"))
	date, err := m.Header.Date()
	require.NoError(t, err)
	require.True(t, date.Equal(shipped.Add(2*time.Hour)))
	to, err := m.Header.AddressList("To")
	require.NoError(t, err)
	require.Equal(t, "Zoë <van> Dijk", to[0].Name)
	require.Equal(t, "anna@example.com", to[0].Address)

	const link = "https://jouw.postnl.nl/track-and-trace/3SDEVC1234567"
	require.Contains(t, m.Text, "Volg je pakket: "+link, "the link in the text part")
	require.Contains(t, m.HTML, `<a href="`+link+`"`, "and in the HTML part")
	require.Contains(t, m.Text, `Mok <script>alert("x")</script> & co`)
	require.NotContains(t, m.HTML, "<script>")
	require.Contains(t, m.HTML, "Mok &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co")
	require.Contains(t, m.HTML, "<p>Beste Zoë &lt;van&gt; Dijk,</p>")

	syncOnce(t, ledger, trackingtest.NewExporter("shopify"), n, o)
	require.Len(t, srv.Messages(), 2, "a rerun sends nothing")
	require.Equal(t, 1, srv.Connections())
}

func TestSMTPFailuresThroughTheNotifier(t *testing.T) {
	srv := notifytest.NewServer()
	defer srv.Close()
	n := newNotifier(t, newMailer(t, srv))
	ledger := tracking.NewMemoryLedger()
	channel := trackingtest.NewExporter("shopify")
	o := demoOrder()

	srv.InjectFault(notifytest.Fault{Stage: notifytest.AtRcpt, Code: 421})
	srv.InjectFault(notifytest.Fault{Stage: notifytest.AtData, Code: 451})
	got := syncOnce(t, ledger, channel, n, o)
	require.Equal(t, tracking.Pushed, got["SC-1042/SHP-1"].State, "421 and 451 are retried")
	require.Equal(t, tracking.Pushed, got["SC-1042/SHP-2"].State)

	o2 := demoOrder()
	o2.ID, o2.Customer.Email = "SC-1043", "nobody@example.com"
	srv.Reject("nobody@example.com")
	got = syncOnce(t, ledger, channel, n, o2)
	r := got["SC-1043/SHP-1"]
	require.Equal(t, tracking.Failed, r.State)
	require.False(t, r.Retryable)
	require.Contains(t, r.Reason, `sending to "nobody@example.com" failed`)
	require.Contains(t, r.Reason, "550 \"5.1.1 Mailbox unavailable: no such user\"")
	require.Contains(t, r.Err.Error(), `order "SC-1043"`)
	require.Len(t, srv.Messages(), 2)
}

func TestHundredEmailsOverOneConnection(t *testing.T) {
	srv := notifytest.NewServer()
	defer srv.Close()
	mailer := newMailer(t, srv)
	n := newNotifier(t, mailer, notify.WithDefaultStore(demoStore()))
	orders := make([]tracking.Order, 50)
	for i := range orders {
		orders[i] = demoOrder()
		orders[i].ID = fmt.Sprintf("SC-%d", 5000+i)
	}
	s, err := tracking.NewSyncer(tracking.WithExporters(trackingtest.NewExporter("shopify"), n), tracking.WithConcurrency(8))
	require.NoError(t, err)
	results, err := s.Sync(t.Context(), orders...)
	require.NoError(t, err)
	for _, r := range results {
		require.Equal(t, 4, r.Counts()[tracking.Pushed])
	}
	require.Len(t, srv.Messages(), 100)
	require.Equal(t, 1, srv.Connections(), "eight workers share the one connection")
}
