package amazontest

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/shopctrl/tracksync/internal/fake"
)

const (
	// maxBodyBytes bounds a JSON request body; larger ones are refused
	// with 413, which the models list for these operations.
	maxBodyBytes = 1 << 20
	// maxDocumentBytes bounds an uploaded feed document. S3 takes far
	// more; the bound only keeps a fuzzing or runaway client from filling
	// memory.
	maxDocumentBytes = 10 << 20
)

// Server is a fake Amazon Selling Partner API and Login with Amazon token
// endpoint on one loopback address. Create it with NewServer, seed it with
// AddSeller and Seller.AddOrder, and Close it when done. All its methods
// are safe for concurrent use.
type Server struct {
	ts      *httptest.Server
	handler http.Handler

	// Set by options before the server starts; read-only afterwards.
	clock          func() time.Time
	tokenTTL       time.Duration
	plans          map[string]UsagePlan
	feedInQueue    time.Duration
	feedInProgress time.Duration
	gzipReports    bool
	signingKey     []byte      // signs the presigned document URLs
	failRate       float64     // WithServerErrors
	failRand       *mrand.Rand // guarded by mu

	mu        sync.Mutex // guards everything below and all sellers' data
	sellers   map[string]*Seller
	refresh   map[string]*Seller // refresh token → seller
	tokens    map[string]*accessToken
	docs      map[string]*document
	feeds     []*feed // in creation order
	pending   []*feed // feeds not yet in a final state
	seq       int64
	requests  []Request
	faults    fake.Faults[Fault]
	throttled int
}

// Option configures a Server in NewServer.
type Option func(*Server)

// WithClock sets the clock that token expiry, usage-plan refill, feed
// progress, presigned-URL expiry and request stamps follow; tests pass a
// fake one to step time. It must be safe for concurrent use. Default
// time.Now.
func WithClock(now func() time.Time) Option {
	return func(s *Server) {
		if now != nil {
			s.clock = now
		}
	}
}

// WithTokenTTL sets how long an LWA access token is valid (its
// expires_in). Default one hour, as Login with Amazon's tokens.
func WithTokenTTL(d time.Duration) Option {
	return func(s *Server) {
		if d > 0 {
			s.tokenTTL = d
		}
	}
}

// WithUsagePlan sets the usage plan of an operation (one of the Op
// constants) for every seller: rate requests per second refill a bucket
// of burst requests. A rate or burst of 0 or less removes the limit. The
// defaults are the models' (see DefaultUsagePlans).
func WithUsagePlan(operation string, rate float64, burst int) Option {
	return func(s *Server) {
		s.plans[operation] = UsagePlan{Rate: rate, Burst: burst}
	}
}

// WithFeedTiming sets how long a feed stays IN_QUEUE and then IN_PROGRESS
// before it ends DONE (or FATAL), measured on the server's clock. Default
// one second each; Amazon takes minutes.
func WithFeedTiming(inQueue, inProgress time.Duration) Option {
	return func(s *Server) {
		s.feedInQueue, s.feedInProgress = max(inQueue, 0), max(inProgress, 0)
	}
}

// WithGzipReports makes processing reports GZIP-compressed, announced by
// compressionAlgorithm "GZIP" in getFeedDocument, as Amazon may do.
// Default false.
func WithGzipReports(on bool) Option {
	return func(s *Server) { s.gzipReports = on }
}

// WithServerErrors makes a fraction (0 to 1) of the SP-API requests that
// pass their usage plan fail with 500 InternalFailure or 503
// ServiceUnavailable (alternately) without being executed, as a bad day
// of Amazon's does: the request was charged to the usage plan (the
// gateway charges before the service behind it fails). Which requests
// fail is drawn from a generator seeded with seed, so a test is
// repeatable. Default 0.
func WithServerErrors(fraction float64, seed uint64) Option {
	return func(s *Server) {
		s.failRate = min(max(fraction, 0), 1)
		s.failRand = mrand.New(mrand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	}
}

// NewServer starts a fake on a loopback address. Close it when done.
func NewServer(opts ...Option) *Server {
	s := &Server{
		clock:          time.Now,
		tokenTTL:       time.Hour,
		plans:          DefaultUsagePlans(),
		feedInQueue:    time.Second,
		feedInProgress: time.Second,
		signingKey:     randomBytes(32),
		sellers:        map[string]*Seller{},
		refresh:        map[string]*Seller{},
		tokens:         map[string]*accessToken{},
		docs:           map[string]*document{},
		seq:            50_000_000_000,
	}
	for _, o := range opts {
		o(s)
	}
	s.handler = http.HandlerFunc(s.serveHTTP)
	s.ts = httptest.NewServer(s.handler)
	return s
}

// URL is the server's base URL, like http://127.0.0.1:41234. It serves
// both hosts of the real service: point the client's SP-API endpoint
// (https://sellingpartnerapi-na.amazon.com) and its LWA endpoint
// (https://api.amazon.com/auth/o2/token → URL()+"/auth/o2/token") here.
func (s *Server) URL() string { return s.ts.URL }

// Client returns an http.Client for the server (httptest's).
func (s *Server) Client() *http.Client { return s.ts.Client() }

// Handler is the fake as an http.Handler, for driving it in memory
// without sockets, e.g. inside a testing/synctest bubble where the fake's
// clock is the bubble's time.Now. Presigned document URLs then name the
// request's Host.
func (s *Server) Handler() http.Handler { return s.handler }

// LWAEndpoint is the server's Login with Amazon token endpoint,
// URL()+"/auth/o2/token": with URL(), what a client's test endpoints are
// (amazon.WithTestEndpoints(srv.URL(), srv.LWAEndpoint())).
func (s *Server) LWAEndpoint() string { return s.ts.URL + "/auth/o2/token" }

// Close shuts the loopback server down, waiting for requests in flight.
func (s *Server) Close() { s.ts.Close() }

// call is one request on its way through the pipeline.
type call struct {
	w      http.ResponseWriter
	r      *http.Request
	rec    *Request
	now    time.Time
	route  route
	seller *Seller
	body   []byte
	fault  Fault
}

// response is what a handler answers; the pipeline writes it (or drops it).
type response struct {
	status int
	body   []byte
	header http.Header
}

func jsonResponse(status int, body []byte) response {
	return response{status: status, body: body, header: http.Header{"Content-Type": {"application/json"}}}
}

func errorResponse(status int, errs ...apiError) response {
	return jsonResponse(status, errorBody(errs...))
}

// serveHTTP answers one request: it finds the operation, then hands it to
// the pipeline of its kind (LWA, S3-like document storage, or SP-API).
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	c := &call{w: w, r: r, now: s.clock()}
	c.rec = &Request{Time: c.now, Method: r.Method, Path: r.URL.Path, RequestID: newRequestID()}
	w.Header().Set("x-amzn-RequestId", c.rec.RequestID)
	defer func() {
		// No input may take the test binary down: a bug answers 500 like
		// Amazon's own failures. The fuzz tests treat a 500 as a failure,
		// so this is a safety net only.
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			s.write(c, errorResponse(http.StatusInternalServerError, newError(CodeInternalFailure, msgInternal, "")))
		}
	}()
	c.route = matchRoute(r.Method, r.URL.Path)
	c.rec.Operation = c.route.op
	switch c.route.kind {
	case kindLWA:
		s.serveLWA(c)
	case kindDocument:
		s.serveDocument(c)
	case kindSPAPI:
		s.serveSPAPI(c)
	default:
		// SP-API answers unknown resources with an error list; the fake
		// does the same for any path or method it does not serve.
		s.write(c, errorResponse(http.StatusNotFound, newError(CodeNotFound, msgNotFound, "No operation serves "+r.Method+" "+r.URL.Path+".")))
	}
}

// serveSPAPI runs an SP-API operation: access token and user-agent,
// injected faults, the usage plan, the operation itself.
func (s *Server) serveSPAPI(c *call) {
	seller, refusal := s.authenticate(c)
	if refusal != nil {
		s.write(c, *refusal)
		return
	}
	c.seller = seller
	c.rec.Seller = seller.id
	if c.r.Header.Get("User-Agent") == "" {
		// Amazon asks every caller to send a User-Agent naming the
		// application ("Include a User-Agent header in all requests",
		// SP-API developer guide) but production tolerates its absence
		// (github.com/jrl84/amazon-sp-api/issues/92: "it works fine
		// without a User-Agent"). The fake is
		// stricter on purpose, so that a client that forgets it is caught.
		s.write(c, errorResponse(http.StatusBadRequest, invalidInput(msgBadRequest, "The user-agent header is required; send one that names your application and version.")))
		return
	}
	// The body is read before a fault's delay: net/http notices a client
	// that gives up (and cancels the request's context) only once the
	// body is consumed.
	if !s.readBody(c, maxBodyBytes) {
		return
	}
	if !s.applyFaultBefore(c) {
		return
	}
	if refusal := s.charge(c); refusal != nil {
		s.write(c, *refusal)
		return
	}
	if resp, failed := s.serverError(c); failed {
		s.write(c, resp)
		return
	}
	s.settleFeeds(c.now)
	resp := c.route.handler(s, c)
	s.finish(c, resp)
}

// serverError draws whether a charged request fails (WithServerErrors).
func (s *Server) serverError(c *call) (response, bool) {
	if s.failRate == 0 {
		return response{}, false
	}
	s.mu.Lock()
	fail := s.failRand.Float64() < s.failRate
	odd := s.failRand.IntN(2) == 1
	s.mu.Unlock()
	if !fail {
		return response{}, false
	}
	c.rec.Fault = true
	status := http.StatusInternalServerError
	if odd {
		status = http.StatusServiceUnavailable
	}
	return response{status: status, body: defaultFaultBody(status), header: http.Header{"Content-Type": {"application/json"}}}, true
}

// readBody reads the request body up to limit bytes, answering 413 past
// it. It reports whether the call may go on.
func (s *Server) readBody(c *call, limit int64) bool {
	if c.r.Body == nil {
		return true
	}
	b, err := io.ReadAll(io.LimitReader(c.r.Body, limit+1))
	if err != nil {
		s.write(c, errorResponse(http.StatusBadRequest, invalidInput(msgBadRequest, "The request body could not be read.")))
		return false
	}
	if int64(len(b)) > limit {
		if c.route.kind == kindDocument {
			s.write(c, s3Fail(c, http.StatusBadRequest, s3Error{Code: "EntityTooLarge", Message: "Your proposed upload exceeds the maximum allowed size"}))
			return false
		}
		// The models list 413 "The request size exceeded the maximum
		// accepted size." for these operations.
		s.write(c, errorResponse(http.StatusRequestEntityTooLarge, newError("RequestEntityTooLarge", "The request size exceeded the maximum accepted size.", "")))
		return false
	}
	c.body = b
	return true
}

// finish writes a handler's answer, or drops the connection when an
// injected fault asks for an ambiguous write.
func (s *Server) finish(c *call, resp response) {
	if c.fault.DropAfterCommit {
		s.drop(c)
		return
	}
	s.write(c, resp)
}

// write sends an answer and records the request. SP-API answers with
// status 2xx, 400 and 404 carry x-amzn-RateLimit-Limit, as the models'
// response headers say; 401, 403, 429 and 5xx do not.
func (s *Server) write(c *call, resp response) {
	h := c.w.Header()
	for k, v := range resp.header {
		h[k] = v
	}
	if c.route.kind == kindSPAPI && rateHeaderStatus(resp.status) {
		if p, ok := s.plans[c.route.op]; ok && p.limited() {
			h.Set("x-amzn-RateLimit-Limit", formatRate(p.Rate))
		}
	}
	if resp.status == http.StatusForbidden && c.route.kind == kindSPAPI {
		// The gateway names the error type of its refusals
		// (x-amzn-ErrorType, "Parse SP-API responses" in Amazon's docs).
		h.Set("x-amzn-ErrorType", "AccessDeniedException")
	}
	c.w.WriteHeader(resp.status)
	if len(resp.body) > 0 && c.r.Method != http.MethodHead {
		_, _ = c.w.Write(resp.body)
	}
	c.rec.Status = resp.status
	s.record(c.rec)
}

func rateHeaderStatus(status int) bool {
	return status/100 == 2 || status == http.StatusBadRequest || status == http.StatusNotFound
}

// drop closes the connection without an answer. httptest's server speaks
// HTTP/1.1, whose connections can be hijacked; where one cannot be (an
// in-memory ResponseRecorder), aborting the handler is net/http's own way
// to drop the answer.
func (s *Server) drop(c *call) {
	c.rec.Status = 0
	s.record(c.rec)
	fake.Drop(c.w)
}

func (s *Server) record(rec *Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, *rec)
}

// nextID returns a new number, unique in the server. The caller holds mu.
func (s *Server) nextID() int64 {
	s.seq++
	return s.seq
}

// sign is the signature of a presigned document URL: an HMAC over what
// the URL grants, so that any change to it (or a forged URL) fails.
func (s *Server) sign(parts ...string) string {
	m := hmac.New(sha256.New, s.signingKey)
	_, _ = io.WriteString(m, strings.Join(parts, "\n"))
	return hex.EncodeToString(m.Sum(nil))
}

// newRequestID is a random UUID, the form of x-amzn-RequestId.
func newRequestID() string {
	b := randomBytes(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return b
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

// Operation names, as Requests, Count, usage plans and faults name them:
// the SP-API operationIds of the models, with the two getOrder operations
// told apart, plus the three calls that are not SP-API operations.
const (
	// OpLWAToken is POST /auth/o2/token on Login with Amazon.
	OpLWAToken = "lwaToken"
	// OpConfirmShipment is Orders v0 confirmShipment.
	OpConfirmShipment = "confirmShipment"
	// OpGetOrderV0 is Orders v0 getOrder.
	OpGetOrderV0 = "getOrderV0"
	// OpGetOrderItems is Orders v0 getOrderItems.
	OpGetOrderItems = "getOrderItems"
	// OpGetOrder is Orders 2026-01-01 getOrder.
	OpGetOrder = "getOrder"
	// OpCreateFeedDocument is Feeds 2021-06-30 createFeedDocument.
	OpCreateFeedDocument = "createFeedDocument"
	// OpCreateFeed is Feeds 2021-06-30 createFeed.
	OpCreateFeed = "createFeed"
	// OpGetFeeds is Feeds 2021-06-30 getFeeds.
	OpGetFeeds = "getFeeds"
	// OpGetFeed is Feeds 2021-06-30 getFeed.
	OpGetFeed = "getFeed"
	// OpCancelFeed is Feeds 2021-06-30 cancelFeed.
	OpCancelFeed = "cancelFeed"
	// OpGetFeedDocument is Feeds 2021-06-30 getFeedDocument.
	OpGetFeedDocument = "getFeedDocument"
	// OpUploadFeedDocument is the PUT of a feed document to its presigned
	// URL (S3 on Amazon's side).
	OpUploadFeedDocument = "uploadFeedDocument"
	// OpDownloadFeedDocument is the GET of a document from its presigned
	// URL.
	OpDownloadFeedDocument = "downloadFeedDocument"
)

type routeKind int

const (
	kindNone routeKind = iota
	kindLWA
	kindDocument
	kindSPAPI
)

// route is what a method and path name: the kind of endpoint, the
// operation, the path's identifier and the operation's handler.
type route struct {
	kind    routeKind
	op      string
	id      string
	handler func(*Server, *call) response
}

// documentPathPrefix is where presigned document URLs point.
const documentPathPrefix = "/documents/"

// matchRoute maps a request to an operation, by the models' paths.
func matchRoute(method, path string) route {
	switch {
	case path == "/auth/o2/token":
		return route{kind: kindLWA, op: OpLWAToken}
	case strings.HasPrefix(path, documentPathPrefix):
		id := strings.TrimPrefix(path, documentPathPrefix)
		if id == "" || strings.Contains(id, "/") {
			return route{}
		}
		op := ""
		switch method {
		case http.MethodPut:
			op = OpUploadFeedDocument
		case http.MethodGet, http.MethodHead:
			op = OpDownloadFeedDocument
		}
		return route{kind: kindDocument, op: op, id: id}
	}
	seg := strings.Split(strings.TrimPrefix(path, "/"), "/")
	for _, p := range seg {
		if p == "" {
			return route{}
		}
	}
	sp := func(op string, id string, h func(*Server, *call) response) route {
		return route{kind: kindSPAPI, op: op, id: id, handler: h}
	}
	switch {
	case len(seg) >= 4 && seg[0] == "orders" && seg[1] == "v0" && seg[2] == "orders":
		switch {
		case len(seg) == 4 && method == http.MethodGet:
			return sp(OpGetOrderV0, seg[3], (*Server).getOrderV0)
		case len(seg) == 5 && seg[4] == "orderItems" && method == http.MethodGet:
			return sp(OpGetOrderItems, seg[3], (*Server).getOrderItems)
		case len(seg) == 5 && seg[4] == "shipmentConfirmation" && method == http.MethodPost:
			return sp(OpConfirmShipment, seg[3], (*Server).confirmShipment)
		}
	case len(seg) == 4 && seg[0] == "orders" && seg[1] == "2026-01-01" && seg[2] == "orders" && method == http.MethodGet:
		return sp(OpGetOrder, seg[3], (*Server).getOrder2026)
	case len(seg) >= 3 && seg[0] == "feeds" && seg[1] == "2021-06-30":
		switch {
		case len(seg) == 3 && seg[2] == "documents" && method == http.MethodPost:
			return sp(OpCreateFeedDocument, "", (*Server).createFeedDocument)
		case len(seg) == 4 && seg[2] == "documents" && method == http.MethodGet:
			return sp(OpGetFeedDocument, seg[3], (*Server).getFeedDocument)
		case len(seg) == 3 && seg[2] == "feeds" && method == http.MethodGet:
			return sp(OpGetFeeds, "", (*Server).getFeeds)
		case len(seg) == 3 && seg[2] == "feeds" && method == http.MethodPost:
			return sp(OpCreateFeed, "", (*Server).createFeed)
		case len(seg) == 4 && seg[2] == "feeds" && method == http.MethodGet:
			return sp(OpGetFeed, seg[3], (*Server).getFeed)
		case len(seg) == 4 && seg[2] == "feeds" && method == http.MethodDelete:
			return sp(OpCancelFeed, seg[3], (*Server).cancelFeed)
		}
	}
	return route{}
}
