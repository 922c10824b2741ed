package notifytest

import (
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"io"
	"log"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/shopctrl/tracksync/internal/fake"
)

// maxMessageBytes bounds one message; the server answers 552 above it.
const maxMessageBytes = 10 << 20

// Server is an SMTP submission server on a loopback address. Create it with
// NewServer and Close it when done. All its methods are safe for concurrent
// use.
type Server struct {
	smtp     *smtp.Server
	addr     *net.TCPAddr
	cert     *x509.Certificate
	implicit bool
	username string
	password string

	mu       sync.Mutex // guards everything below
	conns    int
	messages []Message
	faults   fake.Faults[Fault]
	rejected map[string]bool
}

// Option configures a Server in NewServer.
type Option func(*Server)

// ImplicitTLS makes the server speak TLS from the first byte (RFC 8314,
// port 465 style) instead of offering STARTTLS.
func ImplicitTLS() Option { return func(s *Server) { s.implicit = true } }

// Credentials sets the username and password AUTH accepts. Default:
// "notifytest" and a random password (Password).
func Credentials(username, password string) Option {
	return func(s *Server) { s.username, s.password = username, password }
}

// NewServer starts a server on 127.0.0.1 with a new certificate. Like
// httptest.NewServer it panics when it cannot listen on loopback, which
// only a broken test machine causes.
func NewServer(opts ...Option) *Server {
	s, err := start(opts)
	if err != nil {
		panic(fmt.Sprintf("notifytest: %v", err))
	}
	return s
}

func start(opts []Option) (*Server, error) {
	var pw [12]byte
	_, _ = rand.Read(pw[:])
	s := &Server{username: "notifytest", password: hex.EncodeToString(pw[:]), rejected: map[string]bool{}}
	for _, opt := range opts {
		opt(s)
	}
	cert, leaf, err := newCertificate()
	if err != nil {
		return nil, fmt.Errorf("generating the certificate: %w", err)
	}
	s.cert = leaf
	tlsConfig := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s.addr = l.Addr().(*net.TCPAddr)
	var ln net.Listener = &listener{Listener: l, srv: s}
	if s.implicit {
		ln = tls.NewListener(ln, tlsConfig)
	}

	s.smtp = smtp.NewServer(smtp.BackendFunc(s.newSession))
	s.smtp.Domain = serverName
	s.smtp.TLSConfig = tlsConfig
	s.smtp.MaxMessageBytes = maxMessageBytes
	s.smtp.MaxRecipients = 100
	s.smtp.ReadTimeout = time.Minute
	s.smtp.WriteTimeout = time.Minute
	s.smtp.ErrorLog = log.New(io.Discard, "", 0)
	go func() { _ = s.smtp.Serve(ln) }()
	return s, nil
}

// Close stops the server and closes every connection.
func (s *Server) Close() { _ = s.smtp.Close() }

// Host is the address the server listens on, "127.0.0.1".
func (s *Server) Host() string { return s.addr.IP.String() }

// Port is the TCP port the server listens on.
func (s *Server) Port() int { return s.addr.Port }

// Addr is "host:port".
func (s *Server) Addr() string { return net.JoinHostPort(s.Host(), strconv.Itoa(s.Port())) }

// Username is the AUTH username the server accepts.
func (s *Server) Username() string { return s.username }

// Password is the AUTH password the server accepts.
func (s *Server) Password() string { return s.password }

// Certificate is the server's self-signed certificate.
func (s *Server) Certificate() *x509.Certificate { return s.cert }

// ClientTLSConfig returns a client TLS configuration that trusts the
// server's certificate and nothing else.
func (s *Server) ClientTLSConfig() *tls.Config {
	pool := x509.NewCertPool()
	pool.AddCert(s.cert)
	return &tls.Config{RootCAs: pool, ServerName: s.Host(), MinVersion: tls.VersionTLS12}
}

// Connections is how many connections the server has accepted.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

// Messages returns the messages received so far, in order of receipt.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Reset forgets the received messages, the queued faults and the rejected
// addresses; the connection count stays.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages = nil
	s.faults = fake.Faults[Fault]{}
	s.rejected = map[string]bool{}
}

func (s *Server) countConn() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conns++
	return s.conns
}

func (s *Server) store(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages = append(s.messages, m)
}

func (s *Server) isRejected(address string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rejected[lower(address)]
}
