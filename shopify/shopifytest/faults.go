package shopifytest

import (
	"slices"
	"time"
)

// Fault is a failure the Server injects into matching requests, to test
// how a client copes with what the network and Shopify do on a bad day.
// Faults are consumed in the order they were injected: a request takes the
// first one that matches it, and a fault that has fired Times times is
// gone.
//
// A fault is matched after the request passed the shop, token and body
// checks and its GraphQL document was validated, so it knows the
// operation.
type Fault struct {
	// Shop is the myshopify.com domain the fault applies to; "" is any.
	Shop string
	// Operation is an operation name (as in "mutation CreateFulfillment")
	// or a top-level field name (as in "fulfillmentCreate"); "" is any.
	Operation string
	// Times is how many requests the fault fires for; 0 means once.
	Times int
	// Status, if not 0, answers the request with this HTTP status and
	// Body without executing it (nothing is charged or changed). 429
	// answers carry Retry-After: 1.0 as Shopify's do.
	Status int
	// Body is the answer's body; "" picks a Shopify-like one for Status.
	Body string
	// Delay holds the request this long before anything else happens
	// (before execution, so a client timing out does not see a write).
	Delay time.Duration
	// DropAfterCommit processes the request as usual, mutations included,
	// and then closes the connection without answering: the ambiguous
	// write, where the client sees a network error although Shopify applied
	// it. (A request the bucket throttles is dropped too, unapplied;
	// Request.Executed tells the two apart.)
	DropAfterCommit bool
	// DropBeforeCommit closes the connection without executing the
	// request: a network error after which a retry is safe.
	DropBeforeCommit bool
}

// InjectFault queues a fault; see Fault for how requests pick one.
func (s *Server) InjectFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.Add(f, f.Times)
}

// takeFault consumes the first queued fault that matches a request to shop
// running operation (its name) with the given top-level fields. The caller
// holds s.mu.
func (s *Server) takeFault(shop, operation string, fields []string) (Fault, bool) {
	return s.faults.Take(func(f Fault) bool {
		return (f.Shop == "" || f.Shop == shop) &&
			(f.Operation == "" || f.Operation == operation || slices.Contains(fields, f.Operation))
	})
}

// faultBody is the body an injected status answers with when the Fault
// names none.
func faultBody(f Fault) string {
	switch {
	case f.Body != "":
		return f.Body
	case f.Status == 429:
		return bodyTooManyRequests
	case f.Status == 404:
		return bodyNotFound
	case f.Status == 401:
		return bodyUnauthorized
	}
	return bodyServerError
}
