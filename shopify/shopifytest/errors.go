package shopifytest

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// This file holds every error text the fake answers with, in one place so
// that tests (and the report) can see them side by side. Where a text is
// Shopify's verbatim it says so and where it was seen; the others are
// written in Shopify's style because no sample of the real one was found.

// Bodies of the non-GraphQL HTTP answers. Shopify answers these with a
// plain {"errors": "..."} object, not a GraphQL error list.
const (
	// bodyNotFound is Shopify's answer for an unknown shop or path.
	bodyNotFound = `{"errors":"Not Found"}`
	// bodyUnauthorized is Shopify's 401 for a missing or wrong token,
	// verbatim (seen in Shopify community threads about 401s on graphql.json).
	bodyUnauthorized = `{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}`
	// bodyBadRequest answers a request that is not a POST with a JSON
	// object holding a query: Shopify's wording for a missing query
	// parameter.
	bodyBadRequest = `{"errors":{"query":"Required parameter missing or invalid"}}`
	// bodyTooLarge answers a body over maxBodyBytes.
	bodyTooLarge = `{"errors":"Request body too large"}`
	// bodyTooManyRequests is the default body of an injected 429, the
	// text of Shopify's REST call limit.
	bodyTooManyRequests = `{"errors":"Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."}`
	// bodyServerError is the default body of any other injected status.
	bodyServerError = `{"errors":"Internal Server Error"}`
)

// Documentation links Shopify puts in error extensions.
const (
	docRateLimits   = "https://shopify.dev/api/usage/rate-limits"
	docAccessScopes = "https://shopify.dev/api/usage/access-scopes"
)

// Limits Shopify enforces, per the GraphQL Admin API rate limits page
// (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits) and
// the API limits page (https://shopify.dev/api/usage/limits).
const (
	maxQueryCost = 1000 // single query max cost
	maxPageSize  = 250  // first/last on any connection or sized list
)

// gqlError is one entry of a GraphQL response's "errors", in the member
// order Shopify writes: message, locations, path, extensions.
type gqlError struct {
	Message    string         `json:"message"`
	Locations  []errLocation  `json:"locations,omitempty"`
	Path       []any          `json:"path,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

type errLocation struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

func locationsOf(pos *ast.Position) []errLocation {
	if pos == nil {
		return nil
	}
	return []errLocation{{Line: pos.Line, Column: pos.Column}}
}

// throttledError is Shopify's answer when the bucket cannot cover the
// requested cost, verbatim (a real response is quoted in Shopify community
// threads and gists: message "Throttled", code THROTTLED, the rate-limits
// documentation link).
func throttledError() *gqlError {
	return &gqlError{Message: "Throttled", Extensions: map[string]any{
		"code":          "THROTTLED",
		"documentation": docRateLimits,
	}}
}

// maxCostError is Shopify's answer for a query whose requested cost is
// over the single-query limit, verbatim from a real response (same gist).
func maxCostError(cost int) *gqlError {
	return &gqlError{
		Message: fmt.Sprintf("Query cost is %d, which exceeds the single query max cost limit (%d).\n\n"+
			"See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\n"+
			"cost of a query is calculated.\n\n"+
			"To query larger amounts of data with fewer limits, bulk operations should be used instead.\n"+
			"See https://shopify.dev/api/usage/bulk-operations/queries for usage details.\n", cost, maxQueryCost),
		Extensions: map[string]any{
			"code":          "MAX_COST_EXCEEDED",
			"cost":          cost,
			"maxCost":       maxQueryCost,
			"documentation": docRateLimits,
		},
	}
}

// requiredWriteAccess is what fulfillment mutations require, per their
// reference pages ("Requires write_assigned_fulfillment_orders access
// scope, write_merchant_managed_fulfillment_orders access scope or
// write_third_party_fulfillment_orders access scope").
const requiredWriteAccess = "Any of `write_assigned_fulfillment_orders`, `write_merchant_managed_fulfillment_orders`, `write_third_party_fulfillment_orders` access scopes."

// accessDeniedError is Shopify's field error for a mutation the app has no
// scope for; the shape (message "Access denied for X field. Required
// access: …", code ACCESS_DENIED, documentation, requiredAccess, path) is
// that of a real response quoted on a Mechanic issue.
func accessDeniedError(field *ast.Field) *gqlError {
	return &gqlError{
		Message:   fmt.Sprintf("Access denied for %s field. Required access: %s", field.Name, requiredWriteAccess),
		Locations: locationsOf(field.Position),
		Path:      []any{responseKey(field)},
		Extensions: map[string]any{
			"code":           "ACCESS_DENIED",
			"documentation":  docAccessScopes,
			"requiredAccess": requiredWriteAccess,
		},
	}
}

// Pagination messages. "you must provide one of first or last" is Shopify's
// (GraphQL Ruby's) text; the 250 cap begins as Shopify's does ("first
// cannot exceed 250. To query larger amounts of data with fewer limits,
// bulk operations …", seen in a community thread) and ends as the
// MAX_COST_EXCEEDED text does.
func pageSizeMessage(arg string) string {
	return fmt.Sprintf("%s cannot exceed %d. To query larger amounts of data with fewer limits, bulk operations should be used instead.\n"+
		"See https://shopify.dev/api/usage/bulk-operations/queries for usage details.\n", arg, maxPageSize)
}

var (
	errNoPageSize = messagef("you must provide one of first or last")
	errBadCursor  = messagef("Invalid cursor")
)

// message is an error whose text goes to the client as a GraphQL error
// message verbatim, so it follows Shopify's wording (capitals, final
// periods) rather than Go's conventions for error strings.
type message string

func (m message) Error() string { return string(m) }

func messagef(format string, args ...any) error {
	return message(fmt.Sprintf(format, args...))
}

// userError messages of the mutations. "Invalid fulfillment order line item
// quantity requested." and "All fulfillment orders must be assigned to a
// single location. Multiple locations with IDs [...] were found" are
// Shopify's, quoted in community threads; "Fulfillment order N has an
// unfulfillable status= S." is the REST API's text for the same condition.
// The rest are written in Shopify's style.
const (
	msgFONotFound         = "Fulfillment order does not exist."
	msgFOLineNotFound     = "Fulfillment order line item does not exist."
	msgQuantity           = "Invalid fulfillment order line item quantity requested."
	msgNoFulfillmentOrder = "Line items by fulfillment order must contain at least one fulfillment order."
	msgDuplicateFO        = "Fulfillment order is specified more than once."
	msgSameOrder          = "All fulfillment orders must belong to the same order."
	msgFulfillmentMissing = "Fulfillment does not exist."
	msgLocationNotFound   = "Location does not exist."
	msgLocationInactive   = "Location is not active."
	msgSameLocation       = "Fulfillment order is already assigned to the new location."
)

func msgUnfulfillable(foID, status string) string {
	return fmt.Sprintf("Fulfillment order %s has an unfulfillable status= %s.", legacyID(foID), strings.ToLower(status))
}

func msgMultipleLocations(ids []string) string {
	return fmt.Sprintf("All fulfillment orders must be assigned to a single location. Multiple locations with IDs [%s] were found", strings.Join(ids, ", "))
}

func msgNotMovable(status string) string {
	return fmt.Sprintf("Fulfillment order with status %s cannot be moved.", strings.ToLower(status))
}

// validationCodes maps gqlparser's validation rules to the extensions.code
// Shopify (GraphQL Ruby underneath) reports for the same problem.
var validationCodes = map[string]string{
	"FieldsOnCorrectType":          "undefinedField",
	"FragmentsOnCompositeTypes":    "fragmentOnNonCompositeType",
	"KnownArgumentNames":           "argumentNotAccepted",
	"KnownDirectives":              "undefinedDirective",
	"KnownFragmentNames":           "undefinedFragment",
	"KnownRootType":                "missingRootType",
	"KnownTypeNames":               "undefinedType",
	"LoneAnonymousOperation":       "anonymousOperationNotAlone",
	"NoFragmentCycles":             "infiniteLoop",
	"NoUndefinedVariables":         "variableNotDefined",
	"NoUnusedFragments":            "useAndDefineFragment",
	"NoUnusedVariables":            "variableNotUsed",
	"OverlappingFieldsCanBeMerged": "fieldConflict",
	"PossibleFragmentSpreads":      "cannotSpreadFragment",
	"ProvidedRequiredArguments":    "missingRequiredArguments",
	"ScalarLeafs":                  "selectionMismatch",
	"SingleFieldSubscriptions":     "subscriptionNotSingleField",
	"UniqueArgumentNames":          "argumentNotUnique",
	"UniqueDirectivesPerLocation":  "directiveNotUnique",
	"UniqueFragmentNames":          "fragmentNotUnique",
	"UniqueInputFieldNames":        "inputFieldNotUnique",
	"UniqueOperationNames":         "operationNotUnique",
	"UniqueVariableNames":          "variableNotUnique",
	"ValuesOfCorrectType":          "argumentLiteralsIncompatible",
	"VariablesAreInputTypes":       "variableRequiresValidType",
	"VariablesInAllowedPosition":   "variableMismatch",
	"MaxIntrospectionDepth":        "maxIntrospectionDepth",
}

var (
	reUndefinedField  = regexp.MustCompile(`^Cannot query field "([^"]+)" on type "([^"]+)"\.`)
	reUnknownArgument = regexp.MustCompile(`^Unknown argument "([^"]+)" on field "[^".]+\.([^"]+)"\.`)
	reMissingArgument = regexp.MustCompile(`^Field "([^"]+)" argument "([^"]+)" of type "[^"]+" is required`)
)

// validationError turns a gqlparser validation error into Shopify's form:
// the messages Shopify words differently for the commonest mistakes are
// reworded ("Field 'x' doesn't exist on type 'Order'"), every error gets a
// code.
func validationError(e *gqlerror.Error) *gqlError {
	out := &gqlError{Message: e.Message, Extensions: map[string]any{}}
	for _, l := range e.Locations {
		out.Locations = append(out.Locations, errLocation{Line: l.Line, Column: l.Column})
	}
	code := validationCodes[e.Rule]
	if code == "" {
		code = "validationError"
	}
	out.Extensions["code"] = code
	switch {
	case reUndefinedField.MatchString(e.Message):
		m := reUndefinedField.FindStringSubmatch(e.Message)
		out.Message = fmt.Sprintf("Field '%s' doesn't exist on type '%s'", m[1], m[2])
		out.Extensions["typeName"] = m[2]
		out.Extensions["fieldName"] = m[1]
	case reUnknownArgument.MatchString(e.Message):
		m := reUnknownArgument.FindStringSubmatch(e.Message)
		out.Message = fmt.Sprintf("Field '%s' doesn't accept argument '%s'", m[2], m[1])
		out.Extensions["name"] = m[2]
		out.Extensions["typeName"] = "Field"
		out.Extensions["argumentName"] = m[1]
	case reMissingArgument.MatchString(e.Message):
		m := reMissingArgument.FindStringSubmatch(e.Message)
		out.Message = fmt.Sprintf("Field '%s' is missing required arguments: %s", m[1], m[2])
		out.Extensions["className"] = "Field"
		out.Extensions["name"] = m[1]
		out.Extensions["arguments"] = m[2]
	}
	return out
}

// parseError reports a syntax error. Shopify's parse errors carry a
// message and locations but no code.
func parseError(err error) *gqlError {
	var ge *gqlerror.Error
	if errors.As(err, &ge) {
		out := &gqlError{Message: ge.Message}
		for _, l := range ge.Locations {
			out.Locations = append(out.Locations, errLocation{Line: l.Line, Column: l.Column})
		}
		return out
	}
	return &gqlError{Message: err.Error()}
}

// variableError reports a variable value that does not fit its declared
// type, the way GraphQL Ruby does: "Variable $x of type T was provided
// invalid value", code INVALID_VARIABLE, and the problem with its path.
func variableError(op *ast.OperationDefinition, vars map[string]any, err error) *gqlError {
	var ge *gqlerror.Error
	if !errors.As(err, &ge) {
		return &gqlError{Message: err.Error(), Extensions: map[string]any{"code": "INVALID_VARIABLE"}}
	}
	// gqlparser's path is variable.<name>.<field or index>…
	var name string
	var inner []any
	for i, p := range ge.Path {
		var el any
		switch v := p.(type) {
		case ast.PathName:
			el = string(v)
		case ast.PathIndex:
			el = int(v)
		}
		switch i {
		case 0:
		case 1:
			name, _ = el.(string)
		default:
			inner = append(inner, el)
		}
	}
	typ := ""
	var pos *ast.Position
	if def := op.VariableDefinitions.ForName(name); def != nil {
		typ = def.Type.String()
		pos = def.Position
	}
	explanation := ge.Message
	if explanation == "" {
		explanation = err.Error()
	}
	if inner == nil {
		inner = []any{}
	}
	return &gqlError{
		Message:   fmt.Sprintf("Variable $%s of type %s was provided invalid value", name, typ),
		Locations: locationsOf(pos),
		Extensions: map[string]any{
			"code":     "INVALID_VARIABLE",
			"value":    vars[name],
			"problems": []any{map[string]any{"path": inner, "explanation": explanation}},
		},
	}
}
