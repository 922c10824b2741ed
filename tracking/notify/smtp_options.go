package notify

import (
	"crypto/tls"
	"log/slog"
	"time"
)

// SMTPOption configures an SMTPMailer.
type SMTPOption func(*smtpConfig)

type smtpConfig struct {
	implicitTLS bool
	username    string
	password    Secret
	tlsConfig   *tls.Config
	timeout     time.Duration
	attempts    int
	minWait     time.Duration
	maxWait     time.Duration
	maxConns    int
	idleTimeout time.Duration
	helo        string
	logger      *slog.Logger
}

func defaultSMTPConfig() smtpConfig {
	return smtpConfig{
		timeout:     30 * time.Second,
		attempts:    3,
		minWait:     time.Second,
		maxWait:     30 * time.Second,
		maxConns:    1,
		idleTimeout: 30 * time.Second,
	}
}

// WithImplicitTLS speaks TLS from the first byte (RFC 8314, usually port
// 465). Without it the mailer requires STARTTLS (RFC 3207, usually port
// 587) and refuses a server that does not offer it: a mailer never sends
// credentials or customer data in clear text.
func WithImplicitTLS() SMTPOption { return func(c *smtpConfig) { c.implicitTLS = true } }

// WithAuth logs in with AUTH (RFC 4954), choosing SCRAM-SHA-256,
// SCRAM-SHA-1, PLAIN or LOGIN, the first the server offers. The password
// never appears in logs, errors or formatted output.
func WithAuth(username string, password Secret) SMTPOption {
	return func(c *smtpConfig) { c.username, c.password = username, password }
}

// WithTLSConfig sets the TLS configuration (trusted roots, client
// certificates). ServerName defaults to the host, MinVersion to TLS 1.2.
func WithTLSConfig(cfg *tls.Config) SMTPOption { return func(c *smtpConfig) { c.tlsConfig = cfg } }

// WithSendTimeout bounds one email's exchange with the server, from the
// connection check to the server's acceptance, and the dial (default 30
// seconds). A server that stalls longer fails that attempt as temporary.
func WithSendTimeout(d time.Duration) SMTPOption { return func(c *smtpConfig) { c.timeout = d } }

// WithRetry sets how often an email is tried on temporary failures (4xx
// replies, dropped connections) and the backoff between tries, which grows
// from minWait to maxWait with jitter (default 3 tries, 1 s to 30 s).
// Permanent failures are never retried.
func WithRetry(attempts int, minWait, maxWait time.Duration) SMTPOption {
	return func(c *smtpConfig) { c.attempts, c.minWait, c.maxWait = attempts, minWait, maxWait }
}

// WithMaxConnections caps the connections open to the server at the same
// time (default 1: mail providers limit concurrent connections, and one
// connection carries hundreds of emails a second).
func WithMaxConnections(n int) SMTPOption { return func(c *smtpConfig) { c.maxConns = n } }

// WithIdleTimeout closes a connection unused this long (default 30
// seconds), well before servers drop idle clients (RFC 5321 §4.5.3.2: at
// least 5 minutes).
func WithIdleTimeout(d time.Duration) SMTPOption { return func(c *smtpConfig) { c.idleTimeout = d } }

// WithHELO sets the name the mailer greets the server with (default: the
// host name of this machine).
func WithHELO(name string) SMTPOption { return func(c *smtpConfig) { c.helo = name } }

// WithSMTPLogger sets the mailer's logger (default: the Syncer's, through
// the Notifier, else discard).
func WithSMTPLogger(l *slog.Logger) SMTPOption { return func(c *smtpConfig) { c.logger = l } }
