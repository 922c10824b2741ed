package notifytest

import (
	"crypto/tls"
	"net"
	"sync"
)

// listener numbers the connections it accepts and wraps each in a conn, so
// that a session can find its connection to close it.
type listener struct {
	net.Listener
	srv *Server
}

func (l *listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &conn{Conn: c, no: l.srv.countConn()}, nil
}

// conn is one accepted connection. closeAfterWrite makes the next write,
// the reply to the current command, the last one: how a server ends a
// session with 421.
type conn struct {
	net.Conn
	no int // 1-based, in order of acceptance

	mu              sync.Mutex
	closeAfterWrite bool
}

func (c *conn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.mu.Lock()
	closing := c.closeAfterWrite
	c.mu.Unlock()
	if closing {
		_ = c.Conn.Close()
	}
	return n, err
}

func (c *conn) closeAfterReply() {
	c.mu.Lock()
	c.closeAfterWrite = true
	c.mu.Unlock()
}

// underlying returns the conn below a TLS layer that STARTTLS or implicit
// TLS put over it.
func underlying(nc net.Conn) (*conn, bool) {
	if t, ok := nc.(*tls.Conn); ok {
		nc = t.NetConn()
	}
	c, ok := nc.(*conn)
	return c, ok
}
