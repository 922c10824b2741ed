package amazon

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Sentinels for errors.Is; *ErrorResponse matches them by status.
var (
	ErrInvalidInput  = errors.New("amazon: invalid input")
	ErrUnauthorized  = errors.New("amazon: unauthorized")
	ErrNotFound      = errors.New("amazon: not found")
	ErrQuotaExceeded = errors.New("amazon: quota exceeded")
	ErrServer        = errors.New("amazon: server error")
	// ErrWaitTooLong is the sentinel of *WaitError.
	ErrWaitTooLong = errors.New("amazon: rate-limit wait too long")
)

// WaitError reports a usage plan whose tokens come too slowly for the
// client to wait: a rate Amazon reported in x-amzn-RateLimit-Limit so low
// (say 0.0001/s) that one token takes hours. The request is not sent;
// trying again later can help.
type WaitError struct {
	Operation string
	Wait      time.Duration // what the bucket would have made the request wait
	Max       time.Duration // the longest time per token the client accepts
}

// Error describes the problem for a person.
func (e *WaitError) Error() string {
	return fmt.Sprintf("amazon: %s would wait %s for a token of its usage plan (at most %s): Amazon reports an implausibly low rate; try again later",
		e.Operation, e.Wait.Round(time.Second), e.Max)
}

// Is makes errors.Is(err, ErrWaitTooLong) true.
func (e *WaitError) Is(target error) bool { return target == ErrWaitTooLong }

// Retryable reports true: the bucket refills.
func (e *WaitError) Retryable() bool { return true }

// RetryAfter is the wait the bucket asked for.
func (e *WaitError) RetryAfter() time.Duration { return e.Wait }

// Error is one entry of an SP-API error list (ordersV0.json, Error).
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Details string `json:"details,omitempty"`
}

// ErrorResponse is a non-2xx SP-API answer with Amazon's codes and
// messages and the request id Amazon support asks for. It never holds a
// token.
type ErrorResponse struct {
	Operation  string
	StatusCode int
	RequestID  string // x-amzn-RequestId
	Errors     []Error

	retryAfter time.Duration // a 429's time to refill one token of the plan
}

// Retryable implements the tracking.Classify contract: 429 and 5xx are
// worth another try later; a 4xx refusal comes back the same way.
func (e *ErrorResponse) Retryable() bool {
	return e.StatusCode == http.StatusTooManyRequests || e.StatusCode >= 500
}

// RetryAfter is, for a 429, how long the operation's usage plan takes to
// refill one token (Amazon sends no Retry-After); 0 otherwise.
func (e *ErrorResponse) RetryAfter() time.Duration { return e.retryAfter }

// Error describes the problem for a person; it never holds a secret.
func (e *ErrorResponse) Error() string {
	parts := make([]string, 0, len(e.Errors))
	for _, x := range e.Errors {
		p := x.Code + ": " + x.Message
		if x.Details != "" {
			p += " (" + x.Details + ")"
		}
		parts = append(parts, p)
	}
	msg := fmt.Sprintf("amazon: %s: HTTP %d %s", e.Operation, e.StatusCode, http.StatusText(e.StatusCode))
	if len(parts) > 0 {
		msg += ": " + strings.Join(parts, "; ")
	}
	if e.RequestID != "" {
		msg += " (request " + e.RequestID + ")"
	}
	return msg
}

// Is matches the sentinel of the status class.
func (e *ErrorResponse) Is(target error) bool {
	switch target {
	case ErrInvalidInput:
		return e.StatusCode == http.StatusBadRequest
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrQuotaExceeded:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500
	}
	return false
}

// HasCode reports whether Amazon gave the error code (case-insensitive).
func (e *ErrorResponse) HasCode(code string) bool {
	for _, x := range e.Errors {
		if strings.EqualFold(x.Code, code) {
			return true
		}
	}
	return false
}

// Text is all codes, messages and details in one lower-case string, for
// recognizing answers whose code is generic ("InvalidInput") and whose
// message says what happened.
func (e *ErrorResponse) text() string {
	var b strings.Builder
	for _, x := range e.Errors {
		b.WriteString(strings.ToLower(x.Code + " " + x.Message + " " + x.Details + " "))
	}
	return b.String()
}

// permanent is a sentinel error whose cause no retry removes: a request
// the client refuses to send, a configuration that cannot work.
type permanent struct{ msg string }

func (e *permanent) Error() string { return e.msg }

// Retryable implements the tracking.Classify contract.
func (e *permanent) Retryable() bool { return false }
