package shopify

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Sentinels for errors.Is; the typed errors below match them.
var (
	ErrUnauthorized = errors.New("shopify: unauthorized (invalid or revoked access token)")
	ErrForbidden    = errors.New("shopify: forbidden")
	ErrNotFound     = errors.New("shopify: not found")
	ErrServer       = errors.New("shopify: server error")
	ErrThrottled    = errors.New("shopify: throttled")
	ErrAccessDenied = errors.New("shopify: access denied (missing access scope)")
	ErrMaxCost      = errors.New("shopify: query cost exceeds the limit")
	ErrUserErrors   = errors.New("shopify: the mutation reported user errors")
	// ErrWaitTooLong matches a *WaitError: the client refused to wait
	// for the shop's bucket longer than WithMaxWait allows.
	ErrWaitTooLong = errors.New("shopify: waiting for the shop's rate limit would take too long")
	// ErrPageLimit matches a read that stopped paging after MaxPages pages
	// of one list.
	ErrPageLimit = errors.New("shopify: too many pages")
	// ErrOutcomeUnknown matches the result of a write whose answer does
	// not say what happened: neither the object it made (or its id) nor
	// userErrors. The write may have been applied; read back before
	// sending it again.
	ErrOutcomeUnknown = errors.New("shopify: the write's outcome is unknown")
)

// permanentError marks an error that trying again will not fix (for
// tracking.Classify, which takes unknown errors as retryable).
type permanentError struct{ error }

func (e permanentError) Unwrap() error { return e.error }

// Retryable is false.
func (e permanentError) Retryable() bool { return false }

func permanent(err error) error { return permanentError{err} }

// HTTPError is a non-200 answer of the Admin API.
type HTTPError struct {
	StatusCode int
	RequestID  string        // X-Request-Id, for Shopify support
	Message    string        // the "errors" text of the body, if any
	RetryIn    time.Duration // from a Retry-After header; 0 if there was none
}

// Retryable reports whether trying again later can help: a 429 or a
// server error yes, any other refusal (401, 403, 404, 4xx) no.
func (e *HTTPError) Retryable() bool {
	return e.StatusCode == http.StatusTooManyRequests || e.StatusCode == http.StatusRequestTimeout || e.StatusCode >= 500
}

// RetryAfter is the wait the server asked for (Retry-After), 0 if none.
func (e *HTTPError) RetryAfter() time.Duration { return e.RetryIn }

// Error describes the problem for a person; it never holds a secret.
func (e *HTTPError) Error() string {
	msg := fmt.Sprintf("shopify: HTTP %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.Message != "" {
		msg += ": " + e.Message
	}
	if e.RequestID != "" {
		msg += " (request " + e.RequestID + ")"
	}
	return msg
}

// Is matches the sentinel of the status class.
func (e *HTTPError) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrServer:
		return e.StatusCode >= 500
	case ErrThrottled:
		return e.StatusCode == http.StatusTooManyRequests
	}
	return false
}

// GraphQLError is one entry of a response's top-level "errors".
type GraphQLError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// Code is extensions.code ("THROTTLED", "ACCESS_DENIED", ...), or "".
func (e GraphQLError) Code() string {
	c, _ := e.Extensions["code"].(string)
	return c
}

// ErrorResponse reports top-level GraphQL errors: the operation did not run
// (or ran in part, when Partial).
type ErrorResponse struct {
	RequestID string
	Errors    []GraphQLError
	Partial   bool // the response also carried data
}

// Error describes the problem for a person; it never holds a secret.
func (e *ErrorResponse) Error() string {
	msgs := make([]string, len(e.Errors))
	for i, ge := range e.Errors {
		msgs[i] = ge.Message
		if c := ge.Code(); c != "" {
			msgs[i] += " [" + c + "]"
		}
	}
	msg := "shopify: " + strings.Join(msgs, "; ")
	if e.RequestID != "" {
		msg += " (request " + e.RequestID + ")"
	}
	return msg
}

// Retryable reports whether trying again later can help: THROTTLED and
// Shopify's internal errors yes; access, cost and validation errors no.
func (e *ErrorResponse) Retryable() bool {
	for _, ge := range e.Errors {
		switch ge.Code() {
		case "THROTTLED", "INTERNAL_SERVER_ERROR":
			return true
		}
	}
	return false
}

// Is matches ErrThrottled, ErrAccessDenied and ErrMaxCost by the errors'
// codes.
func (e *ErrorResponse) Is(target error) bool {
	want := map[error]string{ErrThrottled: "THROTTLED", ErrAccessDenied: "ACCESS_DENIED", ErrMaxCost: "MAX_COST_EXCEEDED"}[target]
	if want == "" {
		return false
	}
	for _, ge := range e.Errors {
		if ge.Code() == want {
			return true
		}
	}
	return false
}

// ThrottledError reports that Shopify kept refusing a request for its cost
// after the client's retries.
type ThrottledError struct {
	Cost      float64       // the request's requested cost
	Available float64       // what the shop's bucket held at the last answer
	RetryIn   time.Duration // when the bucket will hold Cost
}

// Error describes the problem for a person; it never holds a secret.
func (e *ThrottledError) Error() string {
	return fmt.Sprintf("shopify: throttled: the request costs %.0f points, the bucket holds %.0f; retry in %s", e.Cost, e.Available, e.RetryIn.Round(time.Millisecond))
}

// Retryable is true: the bucket refills.
func (e *ThrottledError) Retryable() bool { return true }

// RetryAfter is when the bucket will hold the request's cost.
func (e *ThrottledError) RetryAfter() time.Duration { return e.RetryIn }

// Is makes errors.Is(err, ErrThrottled) true.
func (e *ThrottledError) Is(target error) bool { return target == ErrThrottled }

// UserError is one entry of a mutation payload's userErrors.
type UserError struct {
	Field   []string `json:"field"`
	Message string   `json:"message"`
}

// UserErrors reports the userErrors of one mutation: Shopify refused it
// for its input, nothing was written.
type UserErrors struct {
	Mutation string
	Errors   []UserError
}

// Error describes the problem for a person; it never holds a secret.
func (e *UserErrors) Error() string {
	msgs := make([]string, len(e.Errors))
	for i, u := range e.Errors {
		msgs[i] = u.Message
		if len(u.Field) > 0 {
			msgs[i] = strings.Join(u.Field, ".") + ": " + u.Message
		}
	}
	return fmt.Sprintf("shopify: %s: %s", e.Mutation, strings.Join(msgs, "; "))
}

// Is makes errors.Is(err, ErrUserErrors) true.
func (e *UserErrors) Is(target error) bool { return target == ErrUserErrors }

// Retryable is false: Shopify refused the input, and the same input is
// refused again until someone changes the order or the mapping.
func (e *UserErrors) Retryable() bool { return false }

// WaitError reports a request the client did not send because it would
// have had to wait longer than WithMaxWait for the shop's bucket: the
// requests queued ahead of it need too many points, or the shop reported
// a restore rate so low (an implausible one) that the points would take
// hours. It is retryable: the next run finds the bucket refilled, or an
// answer with a sane rate.
type WaitError struct {
	Shop        string
	Cost        float64       // the request's requested cost
	Wait        time.Duration // how long it would have waited
	Limit       time.Duration // the most the client waits (WithMaxWait)
	RestoreRate float64       // points per second, as the shop last reported
	Ahead       int           // requests queued before it
}

// Error describes the problem for a person; it never holds a secret.
func (e *WaitError) Error() string {
	if e.Ahead == 0 {
		return fmt.Sprintf("shopify: %s: a request of %.0f points would wait %s for the rate limit, more than the %s limit: the shop reported a restore rate of %g points/s, which is implausible; the next run tries again",
			e.Shop, e.Cost, roundWait(e.Wait), e.Limit, e.RestoreRate)
	}
	return fmt.Sprintf("shopify: %s: a request of %.0f points would wait %s behind %d others for the rate limit (%g points/s), more than the %s limit; the next run tries again",
		e.Shop, e.Cost, roundWait(e.Wait), e.Ahead, e.RestoreRate, e.Limit)
}

func roundWait(d time.Duration) time.Duration { return d.Round(time.Second) }

// Is makes errors.Is(err, ErrWaitTooLong) and errors.Is(err, ErrThrottled)
// true.
func (e *WaitError) Is(target error) bool { return target == ErrWaitTooLong || target == ErrThrottled }

// Retryable is true.
func (e *WaitError) Retryable() bool { return true }

// RetryAfter is the computed wait, at most the limit.
func (e *WaitError) RetryAfter() time.Duration { return min(e.Wait, e.Limit) }
