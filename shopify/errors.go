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
)

// HTTPError is a non-200 answer of the Admin API.
type HTTPError struct {
	StatusCode int
	RequestID  string // X-Request-Id, for Shopify support
	Message    string // the "errors" text of the body, if any
}

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
	Cost       float64       // the request's requested cost
	Available  float64       // what the shop's bucket held at the last answer
	RetryAfter time.Duration // when the bucket will hold Cost
}

// Error describes the problem for a person; it never holds a secret.
func (e *ThrottledError) Error() string {
	return fmt.Sprintf("shopify: throttled: the request costs %.0f points, the bucket holds %.0f; retry in %s", e.Cost, e.Available, e.RetryAfter.Round(time.Millisecond))
}

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
