package notifytest

import (
	"errors"
	"io"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// errNoTLS answers AUTH before STARTTLS; go-smtp does not offer AUTH
// without TLS, so this only guards a client that tries it anyway.
var errNoTLS = &smtp.SMTPError{Code: 538, EnhancedCode: smtp.EnhancedCode{5, 7, 11}, Message: "Encryption required for requested authentication mechanism"}

// errAuthRequired answers MAIL before AUTH, as RFC 4954 §6 words it.
var errAuthRequired = &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}

// session is one SMTP session: from EHLO (or STARTTLS, which starts a new
// one) to QUIT.
type session struct {
	srv    *Server
	conn   *conn
	tls    bool
	user   string
	from   string
	rcpts  []string
	broken bool // the connection was dropped by a fault
}

func (s *Server) newSession(c *smtp.Conn) (smtp.Session, error) {
	uc, ok := underlying(c.Conn())
	if !ok {
		return nil, errors.New("notifytest: connection of an unknown type")
	}
	_, isTLS := c.TLSConnectionState()
	return &session{srv: s, conn: uc, tls: isTLS}, nil
}

// AuthMechanisms implements smtp.AuthSession: PLAIN, over TLS only.
func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

// Auth implements smtp.AuthSession.
func (s *session) Auth(mech string) (sasl.Server, error) {
	if !s.tls {
		return nil, errNoTLS
	}
	if mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if (identity != "" && identity != username) || username != s.srv.username || password != s.srv.password {
			return smtp.ErrAuthFailed
		}
		s.user = username
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.user == "" {
		return errAuthRequired
	}
	if err := s.fault(AtMail); err != nil {
		return err
	}
	s.from, s.rcpts = from, nil
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if err := s.fault(AtRcpt, to); err != nil {
		return err
	}
	if s.srv.isRejected(to) {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "Mailbox unavailable: no such user"}
	}
	s.rcpts = append(s.rcpts, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err // go-smtp answers 552 for an oversized message
	}
	if err := s.fault(AtData, s.rcpts...); err != nil {
		return err
	}
	m := parse(raw)
	m.From, m.To = s.from, append([]string(nil), s.rcpts...)
	m.Conn, m.TLS, m.User = s.conn.no, s.tls, s.user
	s.srv.store(m)
	return nil
}

func (s *session) Reset() { s.from, s.rcpts = "", nil }

func (s *session) Logout() error { return nil }

// fault fires the first queued fault for the stage, if any: it returns the
// reply to send, or drops the connection.
func (s *session) fault(stage Stage, recipients ...string) error {
	if s.broken {
		return errDropped
	}
	f, ok := s.srv.takeFault(stage, recipients...)
	if !ok {
		return nil
	}
	if f.Delay > 0 {
		time.Sleep(f.Delay)
	}
	if f.Drop {
		s.broken = true
		_ = s.conn.Conn.Close()
		return errDropped
	}
	if f.Code == 421 {
		s.conn.closeAfterReply()
	}
	return f.reply()
}

// errDropped is returned after a fault closed the connection; nobody reads
// the reply.
var errDropped = &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 4, 2}, Message: "Connection dropped"}

func lower(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
