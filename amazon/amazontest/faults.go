package amazontest

import (
	"net/http"
	"time"
)

// Fault is a failure the Server injects into matching requests, to test
// how a client copes with what the network and Amazon do on a bad day.
// Faults are consumed in the order they were injected: a request takes the
// first one that matches it, and a fault that has fired Times times is
// gone.
//
// SP-API requests are matched after their access token was accepted (so
// the seller is known) and before the usage plan is charged; LWA requests
// after their body was read (the seller is the refresh token's); document
// uploads and downloads after the document was found.
type Fault struct {
	// Operation is one of the Op constants; "" is any.
	Operation string
	// Seller is a seller ID; "" is any.
	Seller string
	// Times is how many requests the fault fires for; 0 means once.
	Times int
	// Status, if not 0, answers the request with this HTTP status and
	// Body without executing it: nothing is charged or changed. 429
	// answers carry no Retry-After, as Amazon's carry none.
	Status int
	// Body is the answer's body; "" picks Amazon's for Status (an
	// ErrorList such as QuotaExceeded for 429, InternalFailure for 500).
	Body string
	// Delay holds the request this long (in real time, or the synctest
	// bubble's) before anything else happens, so a client that times out
	// sees no write.
	Delay time.Duration
	// DropAfterCommit processes the request as usual, writes included,
	// then closes the connection without answering: the ambiguous write,
	// where the client sees a transport error although Amazon applied it.
	DropAfterCommit bool
	// DropBeforeCommit closes the connection without processing the
	// request: a transport error after which a retry is safe.
	DropBeforeCommit bool
}

// InjectFault queues a fault; see Fault for how requests pick one.
func (s *Server) InjectFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.Add(f, f.Times)
}

// takeFault consumes the first queued fault that matches an operation and
// seller ("" when unknown). The caller holds mu.
func (s *Server) takeFault(op, seller string) (Fault, bool) {
	return s.faults.Take(func(f Fault) bool {
		return (f.Operation == "" || f.Operation == op) && (f.Seller == "" || f.Seller == seller)
	})
}

// applyFaultBefore takes the call's fault, if any, and acts on what comes
// before processing: the delay, an injected status, a drop before commit.
// It reports whether the call goes on; a DropAfterCommit fault is left in
// c.fault for finish.
func (s *Server) applyFaultBefore(c *call) bool {
	seller := ""
	if c.seller != nil {
		seller = c.seller.id
	}
	s.mu.Lock()
	f, ok := s.takeFault(c.route.op, seller)
	s.mu.Unlock()
	if !ok {
		return true
	}
	c.rec.Fault = true
	c.fault = f
	if f.Delay > 0 && !sleep(c.r.Context(), f.Delay) {
		c.rec.Status = 0
		s.record(c.rec)
		return false
	}
	switch {
	case f.Status != 0:
		body := []byte(f.Body)
		if f.Body == "" {
			body = defaultFaultBody(f.Status)
		}
		resp := response{status: f.Status, body: body, header: http.Header{}}
		if len(body) > 0 {
			resp.header.Set("Content-Type", "application/json")
		}
		s.write(c, resp)
		return false
	case f.DropBeforeCommit:
		s.drop(c)
		return false
	}
	return true
}
