package shopifytest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"

	"github.com/shopctrl/tracksync/internal/fake"
)

// DefaultVersions are the API versions a Server supports unless
// WithVersions says otherwise: the stable versions Shopify supports on
// 2026-11-30, each for at least 12 months from its quarterly release
// (https://shopify.dev/docs/api/usage/versioning). A request for any
// other, such as a retired 2025-10, is served by the oldest of them.
// The schema the fake validates against is cut from the 2025-10 dump; the
// fields it keeps are unchanged in these versions (see
// shopify.DefaultAPIVersion), but one answer is not: for an order with
// nothing left to fulfill and nothing shipped, 2026-10 says
// FULFILLMENT_NOT_REQUIRED where the fake, like 2025-10, says UNFULFILLED.
var DefaultVersions = []string{"2026-01", "2026-04", "2026-07", "2026-10"}

const (
	// maxBodyBytes bounds a request body; larger ones are refused with 413.
	maxBodyBytes = 1 << 20
	// maxTokens bounds a document's tokens, so that parsing stays cheap
	// whatever a client sends.
	maxTokens = 20000
)

// Server is a fake Shopify GraphQL Admin API on a loopback address. Create
// it with NewServer, seed it with AddShop, and Close it when done.
type Server struct {
	ts         *httptest.Server
	schema     *ast.Schema
	schemaErr  error
	versions   []string // sorted, oldest first
	clock      func() time.Time
	latency    time.Duration
	queryTime  time.Duration
	bucketSize float64
	bucketRate float64

	mu        sync.Mutex // guards everything below and all shops' data
	shops     map[string]*Shop
	seq       int64
	requests  []Request
	faults    fake.Faults[Fault]
	throttled int
}

// Option configures a Server in NewServer.
type Option func(*Server)

// WithBucket sets the cost bucket of shops added later without their own
// ShopBucket: size points, restoring restorePerSecond points per second.
// The default is Shopify's Standard plan, 2000 points restoring 100/s.
func WithBucket(size, restorePerSecond float64) Option {
	return func(s *Server) { s.bucketSize, s.bucketRate = size, restorePerSecond }
}

// WithVersions sets the supported API versions (YYYY-MM). A request for
// any other version is served by the oldest supported one, as Shopify
// serves a retired version (it "falls forward"), and every answer says in
// X-Shopify-API-Version which version served it.
func WithVersions(versions ...string) Option {
	return func(s *Server) {
		if len(versions) > 0 {
			s.versions = slices.Clone(versions)
		}
	}
}

// WithClock sets the clock the cost buckets refill by and requests are
// stamped with; tests pass a fake one to step time. Default time.Now.
func WithClock(now func() time.Time) Option {
	return func(s *Server) {
		if now != nil {
			s.clock = now
		}
	}
}

// WithLatency delays every answer by d (in real time, not the clock's).
func WithLatency(d time.Duration) Option {
	return func(s *Server) { s.latency = d }
}

// WithQueryTime makes every executed operation take d between the charge
// of its requested cost and the refund of what it did not use, as a query
// takes time to run on Shopify: requests arriving meanwhile see the bucket
// without the refund. The default is no time at all.
func WithQueryTime(d time.Duration) Option {
	return func(s *Server) { s.queryTime = d }
}

// NewServer starts a fake on a loopback address. Close it when done.
func NewServer(opts ...Option) *Server {
	s := newServer(opts)
	s.ts = httptest.NewServer(s.Handler())
	return s
}

// NewInProcess returns a fake without a listener: requests reach it only
// through Transport (or Handler). It is for tests inside a testing/synctest
// bubble, where goroutines blocked on a loopback connection would keep the
// bubble's clock from ever advancing. URL is "" and Close does nothing.
func NewInProcess(opts ...Option) *Server {
	return newServer(opts)
}

func newServer(opts []Option) *Server {
	s := &Server{
		versions:   slices.Clone(DefaultVersions),
		clock:      time.Now,
		bucketSize: DefaultBucketSize,
		bucketRate: DefaultRestoreRate,
		shops:      map[string]*Shop{},
		seq:        1000,
	}
	for _, o := range opts {
		o(s)
	}
	slices.Sort(s.versions)
	s.schema, s.schemaErr = adminSchema()
	return s
}

// URL is the server's base URL, like http://127.0.0.1:41234. Requests go
// to URL()+"/admin/api/2026-10/graphql.json" with the shop's domain as
// the Host header. It is "" for a NewInProcess server.
func (s *Server) URL() string {
	if s.ts == nil {
		return ""
	}
	return s.ts.URL
}

// Client returns an http.Client for the server: httptest's, or one over
// Transport for a NewInProcess server.
func (s *Server) Client() *http.Client {
	if s.ts == nil {
		return &http.Client{Transport: s.Transport()}
	}
	return s.ts.Client()
}

// Handler is the fake's HTTP handler, for serving it some other way.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

// Close shuts the server down, waiting for requests in flight.
func (s *Server) Close() {
	if s.ts != nil {
		s.ts.Close()
	}
}

// newID returns a new global ID of the given type. IDs are unique across
// the server's shops, as Shopify's are. The caller holds mu.
func (s *Server) newID(kind string) string {
	s.seq++
	return gid(kind, s.seq)
}

// servedVersion is the version that serves a request for v: v itself if
// supported, else the oldest supported version.
func (s *Server) servedVersion(v string) string {
	if slices.Contains(s.versions, v) {
		return v
	}
	return s.versions[0]
}

var graphqlPath = regexp.MustCompile(`^/admin/api/([^/]+)/graphql\.json$`)

// graphQLRequest is a request body: {"query", "variables", "operationName"}.
type graphQLRequest struct {
	Query         *string         `json:"query"`
	Variables     json.RawMessage `json:"variables"`
	OperationName *string         `json:"operationName"`
}

// graphQLResponse is a GraphQL answer in Shopify's member order.
type graphQLResponse struct {
	Errors     []*gqlError     `json:"errors,omitempty"`
	Data       json.RawMessage `json:"data,omitempty"`
	Extensions *extensions     `json:"extensions,omitempty"`
}

type extensions struct {
	Cost queryCost `json:"cost"`
}

// serveHTTP answers one request. It checks, in Shopify's order, the path,
// the shop (Host), the token, the method and body, then parses and
// validates the document, applies injected faults, charges the cost bucket
// and executes.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &Request{Time: s.now()}
	defer func() {
		// A bug must not take the test binary down with a handler panic:
		// answer it as Shopify answers its own failures. The fuzz test
		// treats this 500 as a failure, so it is only a safety net.
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			s.plain(w, rec, http.StatusInternalServerError, bodyServerError)
		}
	}()
	if s.latency > 0 && !sleep(r.Context(), s.latency) {
		return
	}
	m := graphqlPath.FindStringSubmatch(r.URL.Path)
	if m == nil {
		s.plain(w, rec, http.StatusNotFound, bodyNotFound)
		return
	}
	rec.Version = s.servedVersion(m[1])
	w.Header().Set("X-Shopify-API-Version", rec.Version)
	rec.Shop = hostDomain(r.Host)
	s.mu.Lock()
	shop := s.shops[rec.Shop]
	s.mu.Unlock()
	switch {
	case shop == nil:
		s.plain(w, rec, http.StatusNotFound, bodyNotFound)
		return
	case r.Header.Get("X-Shopify-Access-Token") != shop.token:
		s.plain(w, rec, http.StatusUnauthorized, bodyUnauthorized)
		return
	case r.Method != http.MethodPost:
		s.plain(w, rec, http.StatusBadRequest, bodyBadRequest)
		return
	case s.schemaErr != nil:
		s.plain(w, rec, http.StatusInternalServerError, bodyServerError)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		s.plain(w, rec, http.StatusBadRequest, bodyBadRequest)
		return
	}
	if len(body) > maxBodyBytes {
		s.plain(w, rec, http.StatusRequestEntityTooLarge, bodyTooLarge)
		return
	}
	query, vars, opName, ok := decodeRequest(body, r.Header.Get("Content-Type"))
	if !ok {
		s.plain(w, rec, http.StatusBadRequest, bodyBadRequest)
		return
	}
	rec.OperationName = opName
	s.serveGraphQL(w, r, rec, shop, query, vars, opName)
}

// decodeRequest reads the body as JSON, or as the document itself for
// Content-Type application/graphql (which Shopify also accepts).
func decodeRequest(body []byte, contentType string) (query string, vars map[string]any, opName string, ok bool) {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(contentType)), "application/graphql") {
		return string(body), nil, "", len(strings.TrimSpace(string(body))) > 0
	}
	var req graphQLRequest
	if json.Unmarshal(body, &req) != nil || req.Query == nil || strings.TrimSpace(*req.Query) == "" {
		return "", nil, "", false
	}
	if v := strings.TrimSpace(string(req.Variables)); v != "" && v != "null" {
		if json.Unmarshal(req.Variables, &vars) != nil || vars == nil {
			return "", nil, "", false // variables must be an object
		}
	}
	if req.OperationName != nil {
		opName = *req.OperationName
	}
	return *req.Query, vars, opName, true
}

func (s *Server) serveGraphQL(w http.ResponseWriter, r *http.Request, rec *Request, shop *Shop, query string, rawVars map[string]any, opName string) {
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Name: "query", Input: query}, maxTokens)
	if err != nil {
		s.refused(w, rec, shop, parseError(err))
		return
	}
	if errs := validator.ValidateWithRules(s.schema, doc, nil); len(errs) > 0 {
		out := make([]*gqlError, len(errs))
		for i, e := range errs {
			out[i] = validationError(e)
		}
		s.refused(w, rec, shop, out...)
		return
	}
	op := doc.Operations.ForName(opName)
	if op == nil {
		msg := fmt.Sprintf("No operation named %q", opName)
		if opName == "" {
			msg = "An operation name is required"
		}
		s.refused(w, rec, shop, &gqlError{Message: msg})
		return
	}
	rec.OperationName = op.Name
	rec.OperationType = string(op.Operation)
	rec.Fields = rootFields(doc, op)

	s.mu.Lock()
	fault, faulted := s.takeFault(shop.domain, op.Name, rec.Fields)
	s.mu.Unlock()
	if faulted {
		rec.Fault = true
		if fault.Delay > 0 && !sleep(r.Context(), fault.Delay) {
			s.record(rec)
			return
		}
		switch {
		case fault.Status != 0:
			if fault.Status == http.StatusTooManyRequests {
				w.Header().Set("Retry-After", "1.0")
			}
			s.plain(w, rec, fault.Status, faultBody(fault))
			return
		case fault.DropBeforeCommit:
			s.drop(w, rec)
			return
		}
	}

	vars, err := validator.VariableValues(s.schema, op, rawVars)
	if err != nil {
		s.refused(w, rec, shop, variableError(op, rawVars, err))
		return
	}
	s.answer(w, rec, shop, &costCalc{schema: s.schema, doc: doc, vars: vars}, op, fault)
}

// answer costs, charges and runs a valid operation, and writes the answer
// (or drops it, when an injected fault says so).
func (s *Server) answer(w http.ResponseWriter, rec *Request, shop *Shop, calc *costCalc, op *ast.OperationDefinition, fault Fault) {
	requested := calc.requested(op)
	if calc.tooDeep {
		s.refused(w, rec, shop, &gqlError{Message: "Query is nested too deeply to be costed."})
		return
	}
	rec.RequestedCost = requested
	resp := s.charge(rec, shop, requested)
	if resp == nil {
		if s.queryTime > 0 {
			time.Sleep(s.queryTime)
		}
		resp = s.execute(rec, shop, calc, op, requested)
	}
	if fault.DropAfterCommit {
		s.drop(w, rec)
		return
	}
	s.writeJSON(w, rec, http.StatusOK, resp)
}

// charge takes the requested cost from the shop's bucket before the
// operation runs, as Shopify does. It returns the answer of an operation
// refused for its cost (nothing charged), or nil when it may run.
func (s *Server) charge(rec *Request, shop *Shop, requested int) *graphQLResponse {
	s.mu.Lock()
	defer s.mu.Unlock()
	shop.bucket.refill(s.clock())
	cost := queryCost{Requested: requested, Throttle: shop.bucket.status()}
	switch {
	case requested > maxQueryCost:
		// Refused before the bucket is looked at: nothing is charged.
		return &graphQLResponse{Errors: []*gqlError{maxCostError(requested)}, Extensions: &extensions{Cost: cost}}
	case !shop.bucket.take(float64(requested)):
		s.throttled++
		rec.Throttled = true
		return &graphQLResponse{Errors: []*gqlError{throttledError()}, Extensions: &extensions{Cost: cost}}
	}
	return nil
}

// execute runs a charged operation and refunds the difference between its
// requested and actual cost, holding mu so that a mutation's changes are
// atomic for every other request. rec.Executed reports that it ran.
func (s *Server) execute(rec *Request, shop *Shop, calc *costCalc, op *ast.OperationDefinition, requested int) *graphQLResponse {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock()
	root := s.schema.Query
	if op.Operation == ast.Mutation {
		root = s.schema.Mutation
	}
	ex := &executor{doc: calc.doc, op: op, vars: calc.vars, srv: s, shop: shop, now: now}
	data := ex.run(root)

	actual := min(calc.actual(op, data), requested)
	shop.bucket.refill(now)
	shop.bucket.refund(float64(requested - actual))
	rec.ActualCost = actual
	rec.Executed = true
	cost := queryCost{Requested: requested, Actual: &actual, Throttle: shop.bucket.status()}

	resp := &graphQLResponse{Errors: ex.errs, Extensions: &extensions{Cost: cost}}
	raw, err := json.Marshal(data)
	if err != nil {
		raw = []byte("null")
		resp.Errors = append(resp.Errors, &gqlError{Message: "Internal error. Looks like something went wrong on our end.", Extensions: map[string]any{"code": "INTERNAL_SERVER_ERROR"}})
	}
	resp.Data = raw
	return resp
}

// refused answers a document that was not executed (syntax, validation,
// variables): HTTP 200 with the errors and an uncharged cost, its
// requestedQueryCost 0 since an invalid document has none.
func (s *Server) refused(w http.ResponseWriter, rec *Request, shop *Shop, errs ...*gqlError) {
	s.mu.Lock()
	shop.bucket.refill(s.clock())
	cost := queryCost{Throttle: shop.bucket.status()}
	s.mu.Unlock()
	s.writeJSON(w, rec, http.StatusOK, &graphQLResponse{Errors: errs, Extensions: &extensions{Cost: cost}})
}

func (s *Server) writeJSON(w http.ResponseWriter, rec *Request, status int, resp *graphQLResponse) {
	b, err := json.Marshal(resp)
	if err != nil {
		s.plain(w, rec, http.StatusInternalServerError, bodyServerError)
		return
	}
	s.plain(w, rec, status, string(b))
}

// plain writes a JSON body with a status and records the request.
func (s *Server) plain(w http.ResponseWriter, rec *Request, status int, body string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
	rec.Status = status
	s.record(rec)
}

// drop closes the connection without an answer. httptest's server speaks
// HTTP/1.1, whose connections can be hijacked; were one not, aborting the
// handler is net/http's own way to drop the answer.
func (s *Server) drop(w http.ResponseWriter, rec *Request) {
	rec.Status = 0
	s.record(rec)
	fake.Drop(w)
}

func (s *Server) record(rec *Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, *rec)
}

func (s *Server) now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.clock()
}

// hostDomain is the shop domain of a Host header: lower case, port
// stripped (the client dials the fake's loopback port but names the shop).
func hostDomain(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return strings.ToLower(strings.TrimSuffix(host, "."))
}

// sleep waits d unless the request is cancelled first; it reports whether
// the whole delay passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
