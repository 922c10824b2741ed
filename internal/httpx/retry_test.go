package httpx

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

var (
	allMethods   = []string{"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "POST", "PATCH"}
	matrixStatus = []int{200, 400, 401, 404, 409, 429, 500, 501, 502, 503, 504}
)

// expectStatus is the policy table from the package documentation, written
// out independently of the implementation.
func expectStatus(status int, safe bool) (bool, string) {
	switch status {
	case 429:
		return true, reasonRateLimited
	case 500, 502, 503, 504:
		if safe {
			return true, reasonServerSafe
		}
		return false, reasonServerUnsafe
	}
	return false, reasonFinalStatus
}

func isSafeMethod(m string) bool {
	switch m {
	case "GET", "HEAD", "OPTIONS", "PUT", "DELETE":
		return true
	}
	return false
}

func newReq(t testing.TB, ctx context.Context, method string) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, "https://shop.example/admin/api/graphql.json", nil)
	require.NoError(t, err)
	return req
}

func TestClassifyStatusMatrix(t *testing.T) {
	for _, method := range allMethods {
		for _, marked := range []bool{false, true} {
			for _, status := range matrixStatus {
				name := fmt.Sprintf("%s/%d/marked=%v", method, status, marked)
				t.Run(name, func(t *testing.T) {
					ctx := context.Background()
					if marked {
						ctx = Idempotent(ctx)
					}
					req := newReq(t, ctx, method)
					resp := &http.Response{StatusCode: status, Request: req, Body: http.NoBody}

					retry, reason := Classify(req.Context(), resp, nil)

					wantRetry, wantReason := expectStatus(status, isSafeMethod(method) || marked)
					require.Equal(t, wantRetry, retry)
					require.Equal(t, wantReason, reason)
				})
			}
		}
	}
}

// The mark is read from the request's own context too, not only from the
// ctx argument, so Classify works for callers other than retryablehttp.
func TestClassifyReadsMarkFromRequestContext(t *testing.T) {
	req := newReq(t, Idempotent(context.Background()), http.MethodPost)
	resp := &http.Response{StatusCode: 503, Request: req, Body: http.NoBody}
	retry, reason := Classify(context.Background(), resp, nil)
	require.True(t, retry)
	require.Equal(t, reasonServerSafe, reason)
}

var (
	errRefused = &net.OpError{Op: "dial", Net: "tcp",
		Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	errDNS   = &net.DNSError{Err: "no such host", Name: "shop.example", IsNotFound: true}
	errProxy = &net.OpError{Op: "proxyconnect", Net: "tcp", Err: errRefused}
	errReset = &net.OpError{Op: "read", Net: "tcp",
		Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	errCert = &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}
)

// transportErr wraps err the way NewClient's transport and net/http do.
func transportErr(req *http.Request, err error) error {
	op := req.Method[:1] + strings.ToLower(req.Method[1:])
	return &url.Error{Op: op, URL: req.URL.String(), Err: &attemptError{req: req, err: err}}
}

func TestClassifyTransportErrors(t *testing.T) {
	type want struct {
		retry  bool
		reason string
	}
	cases := []struct {
		name   string
		err    error
		get    want // GET: idempotent
		post   want // POST: not idempotent
		marked want // POST with Idempotent(ctx)
	}{
		{
			name:   "dial refused",
			err:    errRefused,
			get:    want{true, reasonNotSent},
			post:   want{true, reasonNotSent},
			marked: want{true, reasonNotSent},
		},
		{
			name:   "dns failure",
			err:    errDNS,
			get:    want{true, reasonNotSent},
			post:   want{true, reasonNotSent},
			marked: want{true, reasonNotSent},
		},
		{
			name:   "proxy tunnel failed",
			err:    errProxy,
			get:    want{true, reasonNotSent},
			post:   want{true, reasonNotSent},
			marked: want{true, reasonNotSent},
		},
		{
			name:   "connection reset after write",
			err:    errReset,
			get:    want{true, reasonTransportSafe},
			post:   want{false, reasonTransportUnsafe},
			marked: want{true, reasonTransportSafe},
		},
		{
			name:   "unexpected EOF",
			err:    io.ErrUnexpectedEOF,
			get:    want{true, reasonTransportSafe},
			post:   want{false, reasonTransportUnsafe},
			marked: want{true, reasonTransportSafe},
		},
		{
			name:   "tls certificate",
			err:    errCert,
			get:    want{false, reasonCertificate},
			post:   want{false, reasonCertificate},
			marked: want{false, reasonCertificate},
		},
		{
			name:   "tls hostname",
			err:    x509.HostnameError{Certificate: &x509.Certificate{}, Host: "shop.example"},
			get:    want{false, reasonCertificate},
			post:   want{false, reasonCertificate},
			marked: want{false, reasonCertificate},
		},
		{
			name:   "certificate not trusted (macOS message)",
			err:    errors.New("x509: “shop.example” certificate is not trusted"),
			get:    want{false, reasonCertificate},
			post:   want{false, reasonCertificate},
			marked: want{false, reasonCertificate},
		},
		{
			name:   "plain HTTP on TLS port",
			err:    http.ErrSchemeMismatch,
			get:    want{false, reasonNotTLS},
			post:   want{false, reasonNotTLS},
			marked: want{false, reasonNotTLS},
		},
		{
			name:   "unsupported protocol scheme",
			err:    errors.New(`unsupported protocol scheme "ftp"`),
			get:    want{false, reasonScheme},
			post:   want{false, reasonScheme},
			marked: want{false, reasonScheme},
		},
		{
			name:   "too many redirects",
			err:    errors.New("stopped after 10 redirects"),
			get:    want{false, reasonRedirects},
			post:   want{false, reasonRedirects},
			marked: want{false, reasonRedirects},
		},
		{
			name:   "cross-host redirect refused",
			err:    &RedirectError{StatusCode: 302, From: "https://a.example:443", To: "https://b.example/x"},
			get:    want{false, reasonRedirectRefused},
			post:   want{false, reasonRedirectRefused},
			marked: want{false, reasonRedirectRefused},
		},
		{
			name:   "invalid header",
			err:    errors.New(`net/http: invalid header field value for "X-Note"`),
			get:    want{false, reasonInvalidHeader},
			post:   want{false, reasonInvalidHeader},
			marked: want{false, reasonInvalidHeader},
		},
	}
	for _, tc := range cases {
		for _, v := range []struct {
			variant string
			method  string
			marked  bool
			want    want
		}{
			{"GET", http.MethodGet, false, tc.get},
			{"POST", http.MethodPost, false, tc.post},
			{"POST marked idempotent", http.MethodPost, true, tc.marked},
		} {
			t.Run(tc.name+"/"+v.variant, func(t *testing.T) {
				ctx := context.Background()
				if v.marked {
					ctx = Idempotent(ctx)
				}
				req := newReq(t, ctx, v.method)
				retry, reason := Classify(ctx, nil, transportErr(req, tc.err))
				require.Equal(t, v.want.retry, retry)
				require.Equal(t, v.want.reason, reason)
			})
		}
	}
}

// http.Client rewrites a Client.Timeout error into a fresh error built from
// the message, dropping attemptError; the method then comes from
// (*url.Error).Op.
func TestClassifyMethodFromURLErrorOp(t *testing.T) {
	flattened := errors.New("context deadline exceeded (Client.Timeout exceeded while awaiting headers)")
	for _, tc := range []struct {
		op     string
		marked bool
		retry  bool
		reason string
	}{
		{"Get", false, true, reasonTransportSafe},
		{"Delete", false, true, reasonTransportSafe},
		{"Post", false, false, reasonTransportUnsafe},
		{"Post", true, true, reasonTransportSafe},
		{"", false, false, reasonTransportUnsafe}, // unknown: be careful
	} {
		t.Run(fmt.Sprintf("%q/marked=%v", tc.op, tc.marked), func(t *testing.T) {
			ctx := context.Background()
			if tc.marked {
				ctx = Idempotent(ctx)
			}
			var err error = flattened
			if tc.op != "" {
				err = &url.Error{Op: tc.op, URL: "https://shop.example/", Err: flattened}
			}
			retry, reason := Classify(ctx, nil, err)
			require.Equal(t, tc.retry, retry)
			require.Equal(t, tc.reason, reason)
		})
	}
}

func TestClassifyContextDone(t *testing.T) {
	for _, tc := range []struct {
		name string
		ctx  func() context.Context
		want error
	}{
		{"canceled", func() context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx
		}, context.Canceled},
		{"deadline", func() context.Context {
			ctx, cancel := context.WithTimeout(context.Background(), -1)
			t.Cleanup(cancel)
			return ctx
		}, context.DeadlineExceeded},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := tc.ctx()
			req := newReq(t, ctx, http.MethodGet)

			// Whatever happened, a done context stops the retries:
			// a 503, a dial error, the context error itself.
			for _, outcome := range []struct {
				resp *http.Response
				err  error
			}{
				{&http.Response{StatusCode: 503, Request: req, Body: http.NoBody}, nil},
				{nil, transportErr(req, errRefused)},
				{nil, transportErr(req, tc.want)},
			} {
				retry, reason := Classify(ctx, outcome.resp, outcome.err)
				require.False(t, retry)
				require.Equal(t, reasonContextDone, reason)
			}

			// CheckRetry hands back the context's error and closes the body
			// of a response the caller will not see.
			body := &closeRecorder{Reader: strings.NewReader("late")}
			resp := &http.Response{StatusCode: 200, Request: req, Body: body}
			retry, err := CheckRetry(nil)(ctx, resp, nil)
			require.False(t, retry)
			require.ErrorIs(t, err, tc.want)
			require.True(t, body.closed)
		})
	}
}

type closeRecorder struct {
	io.Reader
	closed bool
}

func (c *closeRecorder) Close() error { c.closed = true; return nil }

func TestCheckRetryLeavesFinalBodyOpen(t *testing.T) {
	req := newReq(t, context.Background(), http.MethodPost)
	body := &closeRecorder{Reader: strings.NewReader(`{"errors":"oops"}`)}
	resp := &http.Response{StatusCode: 503, Request: req, Body: body}
	retry, err := CheckRetry(nil)(req.Context(), resp, nil)
	require.NoError(t, err)
	require.False(t, retry)
	require.False(t, body.closed, "the caller reads the final body")
}

func TestClassifyNothing(t *testing.T) {
	retry, reason := Classify(context.Background(), nil, nil)
	require.False(t, retry)
	require.Equal(t, reasonNoResponse, reason)
}

// With http.Client.Timeout set, net/http sends each attempt under a derived
// context and cancels it as soon as the attempt ends. Only the caller's ctx
// decides whether to stop.
func TestClassifyIgnoresAttemptContext(t *testing.T) {
	attemptCtx, cancel := context.WithCancel(context.Background())
	cancel()
	req := newReq(t, attemptCtx, http.MethodGet)
	retry, reason := Classify(context.Background(), nil, transportErr(req, errReset))
	require.True(t, retry)
	require.Equal(t, reasonTransportSafe, reason)
}
