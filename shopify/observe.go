package shopify

import (
	"context"
	"net/http"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/shopctrl/tracksync/tracking"
)

// attemptLog reports one operation's HTTP attempts to the context's
// tracking.Observer: each transport-level retry as it is decided, the last
// attempt of every send with what its answer said (THROTTLED included).
// One goroutine uses it at a time: the one running the operation.
type attemptLog struct {
	observer  tracking.Observer
	shop      string
	operation string
	cost      float64
	n         int           // attempts begun
	start     time.Time     // of the current attempt
	wait      time.Duration // spent in the pacer before the current send
}

type attemptKey struct{}

func newAttemptLog(ctx context.Context, shop string, op operation) *attemptLog {
	name := "graphql:query"
	if op.write {
		name = "graphql:mutation"
	}
	return &attemptLog{observer: tracking.ObserverFrom(ctx), shop: shop, operation: name, cost: op.cost}
}

func attemptFrom(ctx context.Context) *attemptLog {
	a, _ := ctx.Value(attemptKey{}).(*attemptLog)
	return a
}

func (a *attemptLog) begin() {
	a.n++
	a.start = time.Now()
}

func (a *attemptLog) done(ctx context.Context, status int, throttled bool, err error) {
	if a.n == 0 { // never reached the transport
		a.begin()
	}
	a.observer.RequestDone(ctx, tracking.RequestEvent{
		Channel: Channel, Store: a.shop, Operation: a.operation, Status: status, Attempt: a.n,
		Duration: time.Since(a.start), Wait: a.wait, Cost: a.cost,
		Throttled: throttled || status == http.StatusTooManyRequests, Err: err,
	})
	a.wait = 0
}

// observeAttempts hooks rc so that the transport-level retries it makes
// reach the operation's attemptLog.
func observeAttempts(rc *retryablehttp.Client) {
	rc.RequestLogHook = func(_ retryablehttp.Logger, req *http.Request, _ int) {
		if a := attemptFrom(req.Context()); a != nil {
			a.begin()
		}
	}
	check := rc.CheckRetry
	rc.CheckRetry = func(ctx context.Context, resp *http.Response, err error) (bool, error) {
		retry, cerr := check(ctx, resp, err)
		// retryablehttp retries attempt i (0-based) while i < RetryMax: an
		// attempt it retries is reported here, the last one by do.
		if a := attemptFrom(ctx); a != nil && retry && a.n <= rc.RetryMax {
			status := 0
			if resp != nil {
				status = resp.StatusCode
			}
			a.done(ctx, status, false, err)
		}
		return retry, cerr
	}
}
