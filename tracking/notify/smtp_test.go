package notify_test

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/notify"
	"github.com/shopctrl/tracksync/tracking/notify/notifytest"
)

// newMailer returns a mailer for srv that retries without waiting.
func newMailer(t testing.TB, srv *notifytest.Server, opts ...notify.SMTPOption) *notify.SMTPMailer {
	t.Helper()
	base := []notify.SMTPOption{
		notify.WithAuth(srv.Username(), notify.Secret(srv.Password())),
		notify.WithTLSConfig(srv.ClientTLSConfig()),
		notify.WithRetry(3, 0, 0),
		notify.WithHELO("client.test"),
	}
	m, err := notify.NewSMTPMailer(srv.Host(), srv.Port(), append(base, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = m.Close() })
	return m
}

func testMessage(i int) *notify.Message {
	return &notify.Message{
		From: "Demo Shop <shop@demo.example>", To: fmt.Sprintf("customer%d@example.com", i), ToName: "Anna de Vries",
		Subject: "Je bestelling #1042 is onderweg", Text: "Volg je pakket: https://track.example/3S1", HTML: `<p><a href="https://track.example/3S1">Volg</a></p>`,
		MessageID: fmt.Sprintf("msg%d.tracksync@demo.example", i), Date: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC),
	}
}

func TestSMTPMailerSendsMultipartOverSTARTTLS(t *testing.T) {
	srv := notifytest.NewServer()
	defer srv.Close()
	m := newMailer(t, srv)
	msg := testMessage(1)
	msg.ReplyTo = "help@demo.example"
	msg.ListUnsubscribe = []string{"https://demo.example/unsubscribe", "mailto:unsubscribe@demo.example"}
	require.NoError(t, m.Send(t.Context(), msg))

	got := srv.Messages()
	require.Len(t, got, 1)
	r := got[0]
	require.Empty(t, r.ParseError)
	require.True(t, r.TLS, "STARTTLS is required")
	require.Equal(t, srv.Username(), r.User)
	require.Equal(t, "shop@demo.example", r.From)
	require.Equal(t, []string{"customer1@example.com"}, r.To)
	require.Equal(t, "multipart/alternative", r.ContentType)
	require.Equal(t, []string{"text/plain", "text/html"}, r.Parts, "text first, the richest part last")
	require.Equal(t, msg.Subject, r.Subject)
	require.Equal(t, msg.Text, strings.TrimSpace(r.Text))
	require.Equal(t, msg.HTML, strings.TrimSpace(r.HTML))
	require.Equal(t, "<msg1.tracksync@demo.example>", r.Header.Get("Message-Id"))
	date, err := r.Header.Date()
	require.NoError(t, err)
	require.True(t, date.Equal(msg.Date))
	require.Equal(t, "<https://demo.example/unsubscribe>, <mailto:unsubscribe@demo.example>", r.Header.Get("List-Unsubscribe"))
	to, err := mail.ParseAddress(r.Header.Get("To"))
	require.NoError(t, err)
	require.Equal(t, "Anna de Vries", to.Name)
	require.Equal(t, "<help@demo.example>", r.Header.Get("Reply-To"))
}

func TestSMTPMailerImplicitTLS(t *testing.T) {
	srv := notifytest.NewServer(notifytest.ImplicitTLS())
	defer srv.Close()
	m := newMailer(t, srv, notify.WithImplicitTLS())
	require.NoError(t, m.Send(t.Context(), testMessage(1)))
	require.True(t, srv.Messages()[0].TLS)
}

func TestSMTPMailerReusesOneConnection(t *testing.T) {
	srv := notifytest.NewServer()
	defer srv.Close()
	m := newMailer(t, srv)
	for i := range 100 {
		require.NoError(t, m.Send(t.Context(), testMessage(i)))
	}
	require.Len(t, srv.Messages(), 100)
	require.Equal(t, 1, srv.Connections(), "100 emails over one SMTP connection")
	require.Equal(t, 1, m.Dials())
	for _, r := range srv.Messages() {
		require.Equal(t, 1, r.Conn)
	}
}

func TestSMTPMailerRetriesTemporaryFailures(t *testing.T) {
	tests := []struct {
		name  string
		fault notifytest.Fault
		conns int // connections used in all
	}{
		{"451 greylisted at RCPT", notifytest.Fault{Stage: notifytest.AtRcpt, Code: 451}, 1},
		{"451 at DATA", notifytest.Fault{Stage: notifytest.AtData, Code: 451}, 1},
		{"421 at MAIL closes the connection", notifytest.Fault{Stage: notifytest.AtMail, Code: 421}, 2},
		{"421 twice", notifytest.Fault{Stage: notifytest.AtRcpt, Code: 421, Times: 2}, 3},
		{"connection dropped at DATA", notifytest.Fault{Stage: notifytest.AtData, Drop: true}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := notifytest.NewServer()
			defer srv.Close()
			m := newMailer(t, srv)
			srv.InjectFault(tt.fault)
			require.NoError(t, m.Send(t.Context(), testMessage(1)))
			require.Len(t, srv.Messages(), 1)
			require.Equal(t, tt.conns, srv.Connections())
		})
	}
}

func TestSMTPMailerGivesUpOnTemporaryFailures(t *testing.T) {
	srv := notifytest.NewServer()
	defer srv.Close()
	m := newMailer(t, srv)
	srv.InjectFault(notifytest.Fault{Stage: notifytest.AtRcpt, Code: 451, Times: 3})
	err := m.Send(t.Context(), testMessage(1))
	var se *notify.SendError
	require.ErrorAs(t, err, &se)
	require.True(t, se.Temporary)
	require.True(t, se.Retryable())
	require.Equal(t, 451, se.Code)
	require.Equal(t, "4.7.1", se.EnhancedCode)
	require.Equal(t, 3, se.Attempts)
	require.Contains(t, err.Error(), "customer1@example.com")
	require.Contains(t, err.Error(), "temporary")
	require.Empty(t, srv.Messages())
}

func TestSMTPMailerPermanentFailureFailsThatEmailOnly(t *testing.T) {
	srv := notifytest.NewServer()
	defer srv.Close()
	m := newMailer(t, srv)
	srv.Reject("customer2@example.com")
	srv.InjectFault(notifytest.Fault{Stage: notifytest.AtData, To: "customer3@example.com", Code: 550, Message: "5.7.1 Message rejected as spam"})

	require.NoError(t, m.Send(t.Context(), testMessage(1)))
	for _, i := range []int{2, 3} {
		err := m.Send(t.Context(), testMessage(i))
		var se *notify.SendError
		require.ErrorAs(t, err, &se)
		require.False(t, se.Temporary)
		require.Equal(t, 550, se.Code)
		require.Equal(t, 1, se.Attempts, "a permanent failure is not retried")
		require.Contains(t, err.Error(), "permanent")
	}
	require.NoError(t, m.Send(t.Context(), testMessage(4)))
	require.Len(t, srv.Messages(), 2)
	require.Equal(t, 1, srv.Connections(), "a refusal does not cost the connection")
}

func TestSMTPMailerBadCredentialsArePermanentAndSecret(t *testing.T) {
	srv := notifytest.NewServer()
	defer srv.Close()
	const password = "hunter2-do-not-print"
	m, err := notify.NewSMTPMailer(srv.Host(), srv.Port(), notify.WithAuth(srv.Username(), password),
		notify.WithTLSConfig(srv.ClientTLSConfig()), notify.WithRetry(3, 0, 0))
	require.NoError(t, err)
	defer m.Close()
	err = m.Send(t.Context(), testMessage(1))
	var se *notify.SendError
	require.ErrorAs(t, err, &se)
	require.Equal(t, 535, se.Code)
	require.False(t, se.Temporary)
	for _, s := range []string{err.Error(), fmt.Sprintf("%v %+v %#v %s", m, m, m, m), fmt.Sprintf("%v %s %q %x %d %#v", notify.Secret(password), notify.Secret(password), notify.Secret(password), notify.Secret(password), notify.Secret(password), notify.Secret(password))} {
		require.NotContains(t, s, password)
	}
}

func TestSMTPMailerRefusesServerWithoutTrustedCertificate(t *testing.T) {
	srv := notifytest.NewServer()
	defer srv.Close()
	m, err := notify.NewSMTPMailer(srv.Host(), srv.Port(), notify.WithAuth(srv.Username(), notify.Secret(srv.Password())), notify.WithRetry(3, 0, 0))
	require.NoError(t, err)
	defer m.Close()
	err = m.Send(t.Context(), testMessage(1))
	var se *notify.SendError
	require.ErrorAs(t, err, &se)
	require.False(t, se.Temporary, "an untrusted certificate is a setup problem: %v", err)
	require.Equal(t, 1, se.Attempts)
	require.Empty(t, srv.Messages())
}

func TestSMTPMailerTimeoutIsTemporary(t *testing.T) {
	srv := notifytest.NewServer()
	defer srv.Close()
	m := newMailer(t, srv, notify.WithSendTimeout(100*time.Millisecond), notify.WithRetry(1, 0, 0))
	require.NoError(t, m.Send(t.Context(), testMessage(1))) // connect first: the timeout bounds the send
	srv.InjectFault(notifytest.Fault{Stage: notifytest.AtData, Code: 451, Delay: time.Second})
	err := m.Send(t.Context(), testMessage(2))
	var se *notify.SendError
	require.ErrorAs(t, err, &se)
	require.True(t, se.Temporary, "%v", err)
}

func TestSMTPMailerStopsWhenTheContextEnds(t *testing.T) {
	srv := notifytest.NewServer()
	defer srv.Close()
	m := newMailer(t, srv)
	require.NoError(t, m.Send(t.Context(), testMessage(1)))
	srv.InjectFault(notifytest.Fault{Stage: notifytest.AtData, Code: 451, Delay: time.Second})
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	err := m.Send(ctx, testMessage(2))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	var se *notify.SendError
	require.ErrorAs(t, err, &se)
	require.True(t, se.Temporary)
	require.NoError(t, m.Send(t.Context(), testMessage(3)), "the mailer recovers with a new connection")
}

func TestNewSMTPMailerChecksSettings(t *testing.T) {
	_, err := notify.NewSMTPMailer("", 0, notify.WithRetry(0, time.Second, 0), notify.WithMaxConnections(0), notify.WithAuth("", "pw"))
	require.ErrorIs(t, err, notify.ErrConfig)
	for _, want := range []string{"smtp host", "smtp port", "attempts", "minWait", "max connections", "password without a username"} {
		require.Contains(t, err.Error(), want)
	}
	require.NotContains(t, err.Error(), "pw\"")
	require.True(t, errors.Is(err, notify.ErrConfig))
}

// observer records the request events of the mailer.
type observer struct {
	mu     sync.Mutex
	events []tracking.RequestEvent
}

func (o *observer) ShipmentDone(context.Context, tracking.ShipmentEvent) {}
func (o *observer) RequestDone(_ context.Context, e tracking.RequestEvent) {
	o.mu.Lock()
	o.events = append(o.events, e)
	o.mu.Unlock()
}

func TestSMTPMailerReportsAttemptsToTheObserver(t *testing.T) {
	srv := notifytest.NewServer()
	defer srv.Close()
	m := newMailer(t, srv)
	srv.InjectFault(notifytest.Fault{Stage: notifytest.AtRcpt, Code: 451})
	obs := &observer{}
	msg := testMessage(1)
	msg.Store = "demo-shop.myshopify.com"
	require.NoError(t, m.Send(tracking.ContextWithObserver(t.Context(), obs), msg))
	require.Len(t, obs.events, 2)
	require.Equal(t, []int{451, 250}, []int{obs.events[0].Status, obs.events[1].Status})
	require.Equal(t, []int{1, 2}, []int{obs.events[0].Attempt, obs.events[1].Attempt})
	for _, e := range obs.events {
		require.Equal(t, tracking.Channel("smtp"), e.Channel)
		require.Equal(t, "send", e.Operation)
		require.Equal(t, msg.Store, e.Store)
	}
	require.Error(t, obs.events[0].Err)
}
