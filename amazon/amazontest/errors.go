package amazontest

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// Error codes the fake puts in the "code" member of SP-API error bodies.
// The shape {"errors":[{"code","message","details"}]} is the models'
// ErrorList/Error (ordersV0.json definitions ErrorList and Error, also
// ConfirmShipmentErrorResponse; orders_2026-01-01.json and
// feeds_2021-06-30.json definitions ErrorList and Error).
const (
	// CodeInvalidInput marks a request Amazon could not accept as sent
	// (HTTP 400). Seen in production answers of confirmShipment
	// (github.com/jlevers/selling-partner-api/issues/489 and /528,
	// github.com/amzn/selling-partner-api-models/issues/5094) and in the
	// models' sandbox answers of getOrder ("InvalidInput", "Invalid Input").
	// The Feeds model's sandbox answers use "400" as the code; the fake
	// answers InvalidInput everywhere so that clients see one code.
	CodeInvalidInput = "InvalidInput"
	// CodeNotFound marks a resource that does not exist for the caller
	// (HTTP 404). The models document the status ("The specified resource
	// does not exist.") but no code; the code is the fake's choice.
	CodeNotFound = "NotFound"
	// CodeUnauthorized marks a refused access token (HTTP 403), as seen in
	// production (github.com/amzn/selling-partner-api-models/issues/826,
	// /2333).
	CodeUnauthorized = "Unauthorized"
	// CodeQuotaExceeded marks a request refused by the usage plan (HTTP
	// 429), as seen in production
	// (github.com/amzn/selling-partner-api-models/issues/418).
	CodeQuotaExceeded = "QuotaExceeded"
	// CodeInternalFailure marks an injected 500, worded as production's
	// (github.com/amzn/selling-partner-api-models/issues/666).
	CodeInternalFailure = "InternalFailure"
)

// Messages of the SP-API gateway, verbatim from production answers.
const (
	// msgAccessDenied is the message of every 403 for a bad access token.
	msgAccessDenied = "Access to requested resource is denied."
	// detailsTokenMissing, detailsTokenExpired and detailsTokenInvalid are
	// the details that tell the three 403 cases apart; clients key on them
	// to decide whether to refresh the token. Sources: Amazon's developer
	// guide example (x-amzn-ErrorType: AccessDeniedException, "Access token
	// is missing in the request header."), and production answers quoted in
	// github.com/amzn/selling-partner-api-models/issues/2333 ("revoked,
	// malformed or invalid") and in SP-API clients that refresh on "The
	// access token you provided has expired.".
	detailsTokenMissing = "Access token is missing in the request header."
	detailsTokenExpired = "The access token you provided has expired."
	detailsTokenInvalid = "The access token you provided is revoked, malformed or invalid."

	// msgQuotaExceeded is the 429 message
	// (github.com/amzn/selling-partner-api-models/issues/418).
	msgQuotaExceeded = "You exceeded your quota for the requested resource."

	// msgNotFound words the models' 404 description ("The specified
	// resource does not exist.", ordersV0.json confirmShipment 404).
	msgNotFound = "The specified resource does not exist."

	// msgInvalidInput is the sandbox's wording of a 400 (ordersV0.json
	// getOrder 400 x-amzn-api-sandbox: "Invalid Input").
	msgInvalidInput = "Invalid Input"

	// msgBadRequest words the models' 400 description ("Request has
	// missing or invalid parameters and cannot be parsed.").
	msgBadRequest = "Request has missing or invalid parameters and cannot be parsed."

	// msgInternal is production's 500 message
	// (github.com/amzn/selling-partner-api-models/issues/666).
	msgInternal = "We encountered an internal error. Please try again."
)

// apiError is one member of an ErrorList. Details is always written, as
// production does (often as ""), so that clients decoding it into a
// non-pointer string see the same thing against the fake.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Details string `json:"details"`
}

// errorList is the ErrorList body.
type errorList struct {
	Errors []apiError `json:"errors"`
}

// newError is a shorthand for one error.
func newError(code, message, details string) apiError {
	return apiError{Code: code, Message: message, Details: details}
}

// invalidInput is a 400 InvalidInput error with a formatted details text.
func invalidInput(message, detailsFormat string, args ...any) apiError {
	return apiError{Code: CodeInvalidInput, Message: message, Details: fmt.Sprintf(detailsFormat, args...)}
}

// errorBody renders an ErrorList; it cannot fail for these plain strings.
func errorBody(errs ...apiError) []byte {
	b, err := json.Marshal(errorList{Errors: errs})
	if err != nil {
		return []byte(`{"errors":[{"code":"InternalFailure","message":"We encountered an internal error. Please try again.","details":""}]}`)
	}
	return b
}

// defaultFaultBody is what an injected status answers when the Fault names
// no body: the SP-API's own body for that status.
func defaultFaultBody(status int) []byte {
	switch {
	case status == http.StatusTooManyRequests:
		return errorBody(newError(CodeQuotaExceeded, msgQuotaExceeded, ""))
	case status == http.StatusNotFound:
		return errorBody(newError(CodeNotFound, msgNotFound, ""))
	case status == http.StatusForbidden:
		return errorBody(newError(CodeUnauthorized, msgAccessDenied, ""))
	case status == http.StatusBadRequest:
		return errorBody(newError(CodeInvalidInput, msgInvalidInput, ""))
	case status == http.StatusServiceUnavailable:
		// The models document 503 as "Temporary overloading or maintenance
		// of the server."; the code is the fake's choice.
		return errorBody(newError("ServiceUnavailable", "Temporary overloading or maintenance of the server.", ""))
	case status >= 500:
		return errorBody(newError(CodeInternalFailure, msgInternal, ""))
	case status >= 200 && status < 300:
		return nil
	}
	return errorBody(newError(CodeInvalidInput, msgInvalidInput, ""))
}
