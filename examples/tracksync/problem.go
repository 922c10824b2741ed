package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/shopctrl/tracksync/tracking"
)

// Problem is one thing wrong with the input, located as precisely as the
// input allows: the file and line, the order, and the field path inside
// the order (tracking.Order's JSON names).
type Problem struct {
	Where   string `json:"where"`           // "orders.csv:12", "mapping.json", "credentials"
	Order   string `json:"order,omitempty"` // host order id
	Path    string `json:"path,omitempty"`  // "shipments[1].tracking_number"
	Problem string `json:"problem"`
}

// String renders the problem on one line for a person.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.Where)
	if p.Order != "" {
		fmt.Fprintf(&b, ": order %s", p.Order)
	}
	if p.Path != "" {
		b.WriteString(": " + p.Path)
	}
	b.WriteString(": " + p.Problem)
	return b.String()
}

// problems collects Problems.
type problems []Problem

func (ps *problems) add(where, order, path, format string, args ...any) {
	*ps = append(*ps, Problem{Where: where, Order: order, Path: path, Problem: fmt.Sprintf(format, args...)})
}

// addOrderErrors adds the problems of an order's Validate error, one per
// joined *tracking.ValidationError.
func (ps *problems) addOrderErrors(where string, err error) {
	for _, e := range unjoin(err) {
		var ve *tracking.ValidationError
		if errors.As(e, &ve) {
			ps.add(where, ve.OrderID, ve.Field, "%s", ve.Problem)
			continue
		}
		ps.add(where, "", "", "%s", e.Error())
	}
}

// unjoin returns the errors joined in err (err itself when it joins none).
func unjoin(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
