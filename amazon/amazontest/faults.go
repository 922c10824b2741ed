package amazontest

import (
	"net/http"
	"slices"
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

// injected is a Fault with its remaining count.
type injected struct {
	Fault
	left int
}

// InjectFault queues a fault; see Fault for how requests pick one.
func (s *Server) InjectFault(f Fault) {
	n := f.Times
	if n <= 0 {
		n = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &injected{Fault: f, left: n})
}

// takeFault consumes the first queued fault that matches an operation and
// seller ("" when unknown). The caller holds mu.
func (s *Server) takeFault(op, seller string) (Fault, bool) {
	for i, f := range s.faults {
		if f.Operation != "" && f.Operation != op {
			continue
		}
		if f.Seller != "" && f.Seller != seller {
			continue
		}
		f.left--
		if f.left <= 0 {
			s.faults = slices.Delete(s.faults, i, i+1)
		}
		return f.Fault, true
	}
	return Fault{}, false
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
