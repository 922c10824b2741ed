package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/shopctrl/tracksync/internal/ctxtime"
	"github.com/shopctrl/tracksync/internal/httpx"
	"github.com/shopctrl/tracksync/tracking"
	mail "github.com/wneessen/go-mail"
	mailsmtp "github.com/wneessen/go-mail/smtp"
)

// SMTPMailer sends emails through an SMTP submission server with
// github.com/wneessen/go-mail: STARTTLS (required) or implicit TLS, AUTH,
// connections reused across emails, a timeout per email, retries with
// backoff on temporary failures. Create it with NewSMTPMailer and Close it
// when done. It is safe for concurrent use.
//
// Every attempt is reported to the context's tracking.Observer as a
// RequestEvent with Channel "smtp", Operation "send" and, as Status, the
// server's reply code (250 when it took the email, 0 when it did not
// answer).
type SMTPMailer struct {
	host   string
	port   int
	cfg    smtpConfig
	client *mail.Client // dial and auth settings; connections come from pool
	pool   *pool[*smtpConn]
	logger atomic.Pointer[slog.Logger]
	dials  atomic.Int64
}

// smtpConn is one open connection: go-mail's client over it, and the
// network connection itself, which a cancelled context closes.
type smtpConn struct {
	c      *mailsmtp.Client
	raw    net.Conn
	broken atomic.Bool // raw was closed under the client: never reuse
}

// close closes the network connection under the client.
func (c *smtpConn) close() {
	c.broken.Store(true)
	_ = c.raw.Close()
}

func (c *smtpConn) alive() bool { return !c.broken.Load() && c.c.HasConnection() }

// NewSMTPMailer returns a mailer for the server at host:port. It does not
// connect yet: the first Send does.
func NewSMTPMailer(host string, port int, opts ...SMTPOption) (*SMTPMailer, error) {
	cfg := defaultSMTPConfig()
	for _, opt := range opts {
		opt(&cfg)
	}
	if err := cfg.check(host, port); err != nil {
		return nil, err
	}
	m := &SMTPMailer{host: host, port: port, cfg: cfg}
	logger := cfg.logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	m.logger.Store(logger)

	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.tlsConfig != nil {
		tlsConfig = cfg.tlsConfig.Clone()
	}
	if tlsConfig.ServerName == "" {
		tlsConfig.ServerName = host
	}
	m.cfg.tlsConfig = tlsConfig
	mopts := []mail.Option{
		mail.WithPort(port), mail.WithTimeout(cfg.timeout), mail.WithTLSConfig(tlsConfig),
		mail.WithDialContextFunc(m.dialNet),
	}
	if cfg.implicitTLS {
		mopts = append(mopts, mail.WithSSL())
	} else {
		mopts = append(mopts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	if cfg.username != "" {
		mopts = append(mopts, mail.WithUsername(cfg.username), mail.WithPassword(cfg.password.reveal()),
			mail.WithOpportunisticSMTPAuth(mail.SMTPAuthSCRAMSHA256, mail.SMTPAuthSCRAMSHA1, mail.SMTPAuthPlain, mail.SMTPAuthLogin))
	}
	if cfg.helo != "" {
		mopts = append(mopts, mail.WithHELO(cfg.helo))
	}
	client, err := mail.NewClient(host, mopts...)
	if err != nil {
		return nil, &ConfigError{Setting: "smtp", Problem: "go-mail refused the settings", Err: err}
	}
	m.client = client
	m.pool = newPool(cfg.maxConns, cfg.idleTimeout, m.dial, (*smtpConn).alive, quit)
	return m, nil
}

func (c *smtpConfig) check(host string, port int) error {
	var errs []error
	bad := func(setting, problem string) {
		errs = append(errs, &ConfigError{Setting: setting, Problem: problem})
	}
	if host == "" {
		bad("smtp host", "is empty")
	}
	if port < 1 || port > 65535 {
		bad("smtp port", strconv.Itoa(port)+" is not a TCP port")
	}
	if c.timeout <= 0 {
		bad("smtp send timeout", "must be positive")
	}
	if c.attempts < 1 {
		bad("smtp retry", "attempts must be at least 1")
	}
	if c.minWait < 0 || c.maxWait < c.minWait {
		bad("smtp retry", "want 0 <= minWait <= maxWait")
	}
	if c.maxConns < 1 {
		bad("smtp max connections", "must be at least 1")
	}
	if c.idleTimeout <= 0 {
		bad("smtp idle timeout", "must be positive")
	}
	if c.password != "" && c.username == "" {
		bad("smtp auth", "a password without a username")
	}
	return errors.Join(errs...)
}

// String describes the mailer without its password.
func (m *SMTPMailer) String() string {
	mode := "starttls"
	if m.cfg.implicitTLS {
		mode = "tls"
	}
	user := ""
	if m.cfg.username != "" {
		user = m.cfg.username + "@"
	}
	return fmt.Sprintf("smtp+%s://%s%s", mode, user, net.JoinHostPort(m.host, strconv.Itoa(m.port)))
}

// GoString is String, so that %#v, which prints unexported fields without
// their methods, cannot print the password.
func (m *SMTPMailer) GoString() string { return m.String() }

// DefaultLogger adopts l unless WithSMTPLogger gave one
// (tracking.LoggerDefaulter).
func (m *SMTPMailer) DefaultLogger(l *slog.Logger) {
	if m.cfg.logger == nil && l != nil {
		m.logger.Store(l)
	}
}

// Dials is how many connections the mailer has opened.
func (m *SMTPMailer) Dials() int { return int(m.dials.Load()) }

// Close closes the idle connections with QUIT. Sends in progress finish;
// later sends fail.
func (m *SMTPMailer) Close() error {
	m.pool.close()
	return nil
}

// observedChannel names the mailer in the events it reports.
const observedChannel tracking.Channel = "smtp"

// connKey carries, through go-mail's dial, where to record the network
// connection it opens.
type connKey struct{}

// dialNet opens the TCP (or, with implicit TLS, TLS) connection for
// go-mail and records it for dial.
func (m *SMTPMailer) dialNet(ctx context.Context, network, addr string) (net.Conn, error) {
	d := &net.Dialer{}
	var conn net.Conn
	var err error
	if m.cfg.implicitTLS {
		conn, err = (&tls.Dialer{NetDialer: d, Config: m.cfg.tlsConfig}).DialContext(ctx, network, addr)
	} else {
		conn, err = d.DialContext(ctx, network, addr)
	}
	if slot, ok := ctx.Value(connKey{}).(*net.Conn); ok && err == nil {
		*slot = conn
	}
	return conn, err
}

// dial opens a connection: greeting, STARTTLS, AUTH.
func (m *SMTPMailer) dial(ctx context.Context) (*smtpConn, error) {
	var raw net.Conn
	c, err := m.client.DialToSMTPClientWithContext(context.WithValue(ctx, connKey{}, &raw))
	if err != nil {
		if raw != nil {
			_ = raw.Close()
		}
		return nil, err
	}
	m.dials.Add(1)
	m.logger.Load().DebugContext(ctx, "smtp connection open", "server", m.String())
	return &smtpConn{c: c, raw: raw}, nil
}

// quit says goodbye with QUIT and closes the connection.
func quit(c *smtpConn) {
	if c.alive() {
		_ = c.raw.SetDeadline(time.Now().Add(2 * time.Second)) // QUIT must not hang on a dead server
		_ = c.c.Quit()
	}
	c.close()
}

// Send sends one email, retrying temporary failures with backoff. It
// returns nil once the server accepted the email, else a *SendError.
func (m *SMTPMailer) Send(ctx context.Context, msg *Message) error {
	gm, err := buildMsg(msg)
	if err != nil {
		return &SendError{To: msg.To, Attempts: 0, Err: err}
	}
	var last *SendError
	for attempt := 1; attempt <= m.cfg.attempts; attempt++ {
		if attempt > 1 {
			wait := httpx.Backoff(m.cfg.minWait, m.cfg.maxWait, attempt-2, nil)
			m.logger.Load().WarnContext(ctx, "smtp send failed; retrying", "to", msg.To, "message_id", msg.MessageID, "attempt", attempt-1, "wait", wait, "error", last.Err)
			if err := ctxtime.Sleep(ctx, wait); err != nil {
				last.Err = errors.Join(last.Err, err)
				return last
			}
		}
		start := time.Now()
		err := m.attempt(ctx, gm)
		ev := tracking.RequestEvent{Channel: observedChannel, Store: msg.Store, Operation: "send", Status: 250, Attempt: attempt, Duration: time.Since(start)}
		if err == nil {
			tracking.ObserverFrom(ctx).RequestDone(ctx, ev)
			m.logger.Load().DebugContext(ctx, "smtp sent", "to", msg.To, "message_id", msg.MessageID, "attempt", attempt)
			return nil
		}
		last = classifySend(err)
		last.To, last.Attempts = msg.To, attempt
		ev.Status, ev.Err = last.Code, last
		tracking.ObserverFrom(ctx).RequestDone(ctx, ev)
		if !last.Temporary || ctx.Err() != nil {
			return last
		}
	}
	return last
}

// attempt sends gm once over a pooled connection. A reused connection the
// server dropped while it was idle fails its check before anything is
// sent; it is replaced at once.
func (m *SMTPMailer) attempt(ctx context.Context, gm *mail.Msg) error {
	for {
		conn, reused, err := m.pool.get(ctx)
		if err != nil {
			return err
		}
		err = m.sendOn(ctx, conn, gm)
		var se *mail.SendError
		stale := reused && errors.As(err, &se) && se.Reason == mail.ErrConnCheck
		m.pool.put(conn, err == nil || keepAfter(err))
		if !stale {
			return err
		}
	}
}

// sendOn sends gm over conn; a context that ends closes the connection,
// which aborts the exchange at once.
func (m *SMTPMailer) sendOn(ctx context.Context, conn *smtpConn, gm *mail.Msg) error {
	stop := context.AfterFunc(ctx, conn.close)
	err := m.client.SendWithSMTPClient(conn.c, gm)
	if !stop() && !gm.IsDelivered() {
		return context.Cause(ctx)
	}
	if err != nil && gm.IsDelivered() {
		// The server accepted the message; only the RSET after it failed.
		conn.close()
		return nil
	}
	return err
}
