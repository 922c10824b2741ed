package notify

import (
	"context"
	"errors"
	"sync"
	"time"
)

// errPoolClosed reports a send on a closed mailer.
var errPoolClosed = errors.New("notify: the mailer is closed")

// pool keeps at most max connections to a server and reuses idle ones, so
// that a batch of emails goes over one connection instead of one per
// email. An idle connection is closed after idleTimeout, before the server
// times it out. It is generic over the connection so that its bookkeeping
// is tested without a network.
type pool[C any] struct {
	dial        func(context.Context) (C, error)
	alive       func(C) bool
	quit        func(C) // says goodbye and closes; never blocks long
	idleTimeout time.Duration

	slots chan struct{} // one token per connection in use

	mu     sync.Mutex
	idle   []*idleConn[C]
	closed bool
}

type idleConn[C any] struct {
	conn  C
	timer *time.Timer
}

func newPool[C any](max int, idleTimeout time.Duration, dial func(context.Context) (C, error), alive func(C) bool, quit func(C)) *pool[C] {
	return &pool[C]{dial: dial, alive: alive, quit: quit, idleTimeout: idleTimeout, slots: make(chan struct{}, max)}
}

// get returns a connection for one use: an idle one (reused true) or a
// new one. The caller gives it back with put.
func (p *pool[C]) get(ctx context.Context) (conn C, reused bool, err error) {
	select {
	case p.slots <- struct{}{}:
	case <-ctx.Done():
		return conn, false, context.Cause(ctx)
	}
	if c, ok := p.takeIdle(); ok {
		return c, true, nil
	}
	p.mu.Lock()
	closed := p.closed
	p.mu.Unlock()
	if closed {
		<-p.slots
		return conn, false, errPoolClosed
	}
	conn, err = p.dial(ctx)
	if err != nil {
		<-p.slots
		return conn, false, err
	}
	return conn, false, nil
}

func (p *pool[C]) takeIdle() (C, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.idle) > 0 {
		ic := p.idle[len(p.idle)-1]
		p.idle = p.idle[:len(p.idle)-1]
		if ic.timer.Stop() { // else its timer is closing it
			return ic.conn, true
		}
	}
	var zero C
	return zero, false
}

// put gives a connection back: kept idle when keep is set and it is still
// alive, closed otherwise.
func (p *pool[C]) put(conn C, keep bool) {
	defer func() { <-p.slots }()
	p.mu.Lock()
	if !keep || p.closed || !p.alive(conn) {
		p.mu.Unlock()
		p.quit(conn)
		return
	}
	ic := &idleConn[C]{conn: conn}
	ic.timer = time.AfterFunc(p.idleTimeout, func() { p.expire(ic) })
	p.idle = append(p.idle, ic)
	p.mu.Unlock()
}

// expire closes a connection that stayed idle too long.
func (p *pool[C]) expire(ic *idleConn[C]) {
	p.mu.Lock()
	for i, c := range p.idle {
		if c == ic {
			p.idle = append(p.idle[:i], p.idle[i+1:]...)
			break
		}
	}
	p.mu.Unlock()
	p.quit(ic.conn)
}

// close closes the idle connections; connections in use are closed when
// they are put back. Later gets fail.
func (p *pool[C]) close() {
	p.mu.Lock()
	p.closed = true
	idle := p.idle
	p.idle = nil
	p.mu.Unlock()
	for _, ic := range idle {
		if ic.timer.Stop() {
			p.quit(ic.conn)
		}
	}
}
