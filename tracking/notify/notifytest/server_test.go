package notifytest_test

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/shopctrl/tracksync/tracking/notify/notifytest"
)

// dial opens a client session with the standard library's client, which
// knows nothing of tracksync: the server speaks plain SMTP.
func dial(t *testing.T, srv *notifytest.Server) *smtp.Client {
	t.Helper()
	c, err := smtp.Dial(srv.Addr())
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	require.NoError(t, c.Hello("client.test"))
	return c
}

func login(t *testing.T, srv *notifytest.Server, c *smtp.Client) {
	t.Helper()
	require.NoError(t, c.StartTLS(srv.ClientTLSConfig()))
	require.NoError(t, c.Auth(smtp.PlainAuth("", srv.Username(), srv.Password(), srv.Host())))
}

// requireReply checks an SMTP reply: "code text", or for a dropped
// connection the error's text.
func requireReply(t *testing.T, err error, want string) {
	t.Helper()
	var te *textproto.Error
	if !errors.As(err, &te) {
		require.ErrorContains(t, err, want)
		return
	}
	got := fmt.Sprintf("%d %s", te.Code, te.Msg)
	require.True(t, strings.HasPrefix(got, want), "reply %q, want %q", got, want)
}

func send(c *smtp.Client, from, to, body string) error {
	if err := c.Mail(from); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write([]byte(body)); err != nil {
		return err
	}
	return w.Close()
}

const mime = "From: Shop <shop@example.com>\r\nTo: anna@example.com\r\nSubject: =?UTF-8?q?Je_bestelling_is_onderweg_=E2=9C=93?=\r\n" +
	"MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b1\r\n\r\n" +
	"--b1\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nVolg je pakket: https://track.example/3S=\r\n1\r\n" +
	"--b1\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\nPHA+SGFsbG88L3A+\r\n" +
	"--b1--\r\n"

func TestServerReceivesAndParses(t *testing.T) {
	srv := notifytest.NewServer()
	defer srv.Close()
	c := dial(t, srv)
	login(t, srv, c)
	require.NoError(t, send(c, "shop@example.com", "anna@example.com", mime))

	msgs := srv.Messages()
	require.Len(t, msgs, 1)
	m := msgs[0]
	require.Empty(t, m.ParseError)
	require.Equal(t, "shop@example.com", m.From)
	require.Equal(t, []string{"anna@example.com"}, m.To)
	require.Equal(t, 1, m.Conn)
	require.True(t, m.TLS)
	require.Equal(t, srv.Username(), m.User)
	require.Equal(t, "Je bestelling is onderweg ✓", m.Subject)
	require.Equal(t, "multipart/alternative", m.ContentType)
	require.Equal(t, []string{"text/plain", "text/html"}, m.Parts)
	require.Equal(t, "Volg je pakket: https://track.example/3S1", m.Text, "quoted-printable soft line breaks are undone")
	require.Equal(t, "<p>Hallo</p>", m.HTML)
	require.Contains(t, string(m.Raw), "Content-Transfer-Encoding: base64")
}

func TestServerRequiresTLSAndAuth(t *testing.T) {
	srv := notifytest.NewServer()
	defer srv.Close()

	c := dial(t, srv)
	ok, _ := c.Extension("STARTTLS")
	require.True(t, ok)
	ok, _ = c.Extension("AUTH")
	require.False(t, ok, "no AUTH before TLS")
	requireReply(t, c.Mail("shop@example.com"), "530 5.7.0 Authentication required")

	c = dial(t, srv)
	require.NoError(t, c.StartTLS(srv.ClientTLSConfig()))
	ok, mechs := c.Extension("AUTH")
	require.True(t, ok)
	require.Equal(t, "PLAIN", mechs)
	requireReply(t, c.Auth(smtp.PlainAuth("", srv.Username(), "wrong", srv.Host())), "535 5.7.8 Authentication failed")
	require.Empty(t, srv.Messages())
	require.Equal(t, 2, srv.Connections())
}

func TestServerCertificateIsTrustedOnlyThroughClientTLSConfig(t *testing.T) {
	srv := notifytest.NewServer(notifytest.ImplicitTLS())
	defer srv.Close()
	_, err := tls.Dial("tcp", srv.Addr(), &tls.Config{MinVersion: tls.VersionTLS12, ServerName: srv.Host()})
	require.Error(t, err, "a self-signed certificate")
	conn, err := tls.Dial("tcp", srv.Addr(), srv.ClientTLSConfig())
	require.NoError(t, err)
	c, err := smtp.NewClient(conn, srv.Host())
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.Auth(smtp.PlainAuth("", srv.Username(), srv.Password(), srv.Host())))
	require.NoError(t, send(c, "shop@example.com", "anna@example.com", mime))
	require.True(t, srv.Messages()[0].TLS)
	require.Equal(t, "localhost", srv.Certificate().Subject.CommonName)
}

func TestCredentialsOption(t *testing.T) {
	srv := notifytest.NewServer(notifytest.Credentials("shop", "s3cret"))
	defer srv.Close()
	require.Equal(t, "shop", srv.Username())
	require.Equal(t, "s3cret", srv.Password())
	c := dial(t, srv)
	login(t, srv, c)
}

func TestFaults(t *testing.T) {
	tests := []struct {
		name    string
		fault   notifytest.Fault
		wantErr string
		closed  bool // the server closed the connection
	}{
		{"451 at RCPT", notifytest.Fault{Stage: notifytest.AtRcpt, Code: 451}, "451 4.7.1 Greylisted", false},
		{"550 at DATA with a message", notifytest.Fault{Stage: notifytest.AtData, Code: 550, Message: "5.7.1 Spam"}, "550 5.7.1 Spam", false},
		{"421 at MAIL closes", notifytest.Fault{Stage: notifytest.AtMail, Code: 421}, "421 4.3.2 Service shutting down", true},
		{"drop at DATA", notifytest.Fault{Stage: notifytest.AtData, Drop: true}, "EOF", true},
		{"only for another recipient", notifytest.Fault{Stage: notifytest.AtRcpt, To: "max@example.com", Code: 550}, "", false},
		{"for this recipient", notifytest.Fault{Stage: notifytest.AtRcpt, To: "ANNA@example.com", Code: 550}, "550 5.1.1 Mailbox unavailable", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := notifytest.NewServer()
			defer srv.Close()
			srv.InjectFault(tt.fault)
			c := dial(t, srv)
			login(t, srv, c)
			err := send(c, "shop@example.com", "anna@example.com", mime)
			if tt.wantErr == "" {
				require.NoError(t, err)
				require.Len(t, srv.Messages(), 1)
				return
			}
			requireReply(t, err, tt.wantErr)
			require.Empty(t, srv.Messages())
			err = c.Noop()
			if tt.closed {
				require.Error(t, err, "the connection is gone")
			} else {
				require.NoError(t, err)
				_ = c.Reset()
				require.NoError(t, send(c, "shop@example.com", "anna@example.com", mime), "a fault fires once by default")
			}
		})
	}
}

func TestRejectAndReset(t *testing.T) {
	srv := notifytest.NewServer()
	defer srv.Close()
	srv.Reject("Nobody@Example.com")
	c := dial(t, srv)
	login(t, srv, c)
	for range 2 {
		requireReply(t, send(c, "shop@example.com", "nobody@example.com", mime), "550 5.1.1 Mailbox unavailable: no such user")
		require.NoError(t, c.Reset())
	}
	require.NoError(t, send(c, "shop@example.com", "anna@example.com", mime))
	srv.Reset()
	require.Empty(t, srv.Messages())
	require.NoError(t, send(c, "shop@example.com", "nobody@example.com", mime))
	require.Equal(t, 1, srv.Connections())
}

func TestParseErrorsAreReportedNotFatal(t *testing.T) {
	srv := notifytest.NewServer()
	defer srv.Close()
	c := dial(t, srv)
	login(t, srv, c)
	body := "Subject: x\r\nContent-Type: multipart/alternative\r\n\r\nno boundary\r\n"
	require.NoError(t, send(c, "shop@example.com", "anna@example.com", body))
	m := srv.Messages()[0]
	require.NotEmpty(t, m.ParseError)
	require.Equal(t, "x", m.Subject)
	require.True(t, strings.HasPrefix(string(m.Raw), "Subject: x"))
}

func TestServerAddress(t *testing.T) {
	srv := notifytest.NewServer()
	defer srv.Close()
	require.Equal(t, "127.0.0.1", srv.Host())
	host, _, err := net.SplitHostPort(srv.Addr())
	require.NoError(t, err)
	require.Equal(t, srv.Host(), host)
	require.NotZero(t, srv.Port())
}
