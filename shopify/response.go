package shopify

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"time"
)

// Response is what the client knows of one answer besides its data, in
// the manner of go-github: the rate state travels with every response.
type Response struct {
	StatusCode int
	Header     http.Header
	RequestID  string // X-Request-Id
	APIVersion string // X-Shopify-API-Version: the version Shopify served
	Cost       *Cost  // extensions.cost; nil when the answer had none
}

func newResponse(hr *http.Response) *Response {
	return &Response{
		StatusCode: hr.StatusCode,
		Header:     hr.Header,
		RequestID:  hr.Header.Get("X-Request-Id"),
		APIVersion: hr.Header.Get("X-Shopify-API-Version"),
	}
}

// Cost is a response's extensions.cost. Shopify sends the figures as
// numbers that may carry decimals, so they are floats.
type Cost struct {
	RequestedQueryCost float64        `json:"requestedQueryCost"`
	ActualQueryCost    *float64       `json:"actualQueryCost"` // nil when the query did not run (THROTTLED)
	ThrottleStatus     ThrottleStatus `json:"throttleStatus"`
}

// ThrottleStatus is the state of the shop's cost bucket after a request.
type ThrottleStatus struct {
	MaximumAvailable   float64 `json:"maximumAvailable"`
	CurrentlyAvailable float64 `json:"currentlyAvailable"`
	RestoreRate        float64 `json:"restoreRate"` // points per second
}

// graphqlResponse is the body of a 200 answer.
type graphqlResponse struct {
	Data       json.RawMessage `json:"data"`
	Errors     []GraphQLError  `json:"errors"`
	Extensions struct {
		Cost *Cost `json:"cost"`
	} `json:"extensions"`
}

// throttled reports an answer whose only problem is THROTTLED: the query
// did not run and may be sent again.
func (g *graphqlResponse) throttled() bool {
	for _, e := range g.Errors {
		if e.Code() == "THROTTLED" {
			return true
		}
	}
	return false
}

// throttleWait is how long until the bucket holds cost, from this answer
// alone (used when pacing is off).
func (g *graphqlResponse) throttleWait(cost float64) time.Duration {
	c := g.Extensions.Cost
	if c == nil || c.ThrottleStatus.RestoreRate <= 0 {
		return time.Second
	}
	missing := cost - c.ThrottleStatus.CurrentlyAvailable
	if missing <= 0 {
		return 0
	}
	return time.Duration(math.Ceil(missing / c.ThrottleStatus.RestoreRate * float64(time.Second)))
}

// decode reports top-level errors and unmarshals data into out.
func (g *graphqlResponse) decode(resp *Response, out any) error {
	if len(g.Errors) > 0 {
		return &ErrorResponse{RequestID: resp.RequestID, Errors: g.Errors, Partial: len(g.Data) > 0 && string(g.Data) != "null"}
	}
	if out == nil || len(g.Data) == 0 {
		return nil
	}
	if err := json.Unmarshal(g.Data, out); err != nil {
		return fmt.Errorf("shopify: decode data: %w", err)
	}
	return nil
}

// errorsText extracts the "errors" of an HTTP error body, which Shopify
// sends as a string, a list or an object.
func errorsText(body []byte) string {
	var v struct {
		Errors json.RawMessage `json:"errors"`
	}
	if json.Unmarshal(body, &v) != nil || len(v.Errors) == 0 {
		if len(body) > 200 {
			body = body[:200]
		}
		return string(body)
	}
	var s string
	if json.Unmarshal(v.Errors, &s) == nil {
		return s
	}
	return string(v.Errors)
}
