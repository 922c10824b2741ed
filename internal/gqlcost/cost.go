// Package gqlcost estimates the requested cost of a GraphQL operation the
// way Shopify's Admin API documents it, so that the shopify client can
// reserve it in its copy of the shop's bucket before sending. It is the
// client's only: the fake server (shopifytest) charges by its own
// implementation of the same documentation, so that a wrong rule here shows
// up as a difference in the tests instead of being agreed on by both sides.
//
// The rules (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits,
// "Cost calculation"): scalars and enums cost 0, an object costs 1, a
// connection costs 2 plus the number of nodes requested (first or last)
// times the cost of one node (pageInfo is part of the connection's 2, once
// per connection), and a mutation costs 10. A list sized by first/last that
// is not a connection costs its size times one element.
// Shopify's real figures can differ in details (some fields carry custom
// costs); the client therefore prefers the requestedQueryCost a server
// reported for the same document, and uses this only before it has one.
package gqlcost

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// MutationCost is what one top-level mutation field costs.
const MutationCost = 10

// Estimate parses query and returns the requested cost of its operation
// (operationName may be empty when the document holds one operation).
func Estimate(query, operationName string, vars map[string]any) (int, error) {
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil {
		return 0, err
	}
	return Requested(doc, operationName, vars)
}

// Requested returns the requested cost of an operation of a parsed
// document.
func Requested(doc *ast.QueryDocument, operationName string, vars map[string]any) (int, error) {
	op := doc.Operations.ForName(operationName)
	if op == nil {
		if operationName == "" && len(doc.Operations) > 1 {
			return 0, errors.New("gqlcost: the document has several operations; name one")
		}
		return 0, fmt.Errorf("gqlcost: no operation %q", operationName)
	}
	c := calc{doc: doc, vars: vars}
	if op.Operation == ast.Mutation {
		n := 0
		for _, sel := range op.SelectionSet {
			if f, ok := sel.(*ast.Field); ok && f.Name != "__typename" {
				n++
			}
		}
		return n * MutationCost, nil
	}
	total := c.selections(op.SelectionSet, 0)
	if c.err != nil {
		return 0, c.err
	}
	return clamp(total), nil
}

type calc struct {
	doc  *ast.QueryDocument
	vars map[string]any
	err  error
}

// maxDepth bounds recursion through fragments that spread each other.
const maxDepth = 64

func (c *calc) selections(set ast.SelectionSet, depth int) float64 {
	if depth > maxDepth {
		c.err = errors.New("gqlcost: selections nested too deeply")
		return 0
	}
	total := 0.0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			total += c.field(s, depth)
		case *ast.InlineFragment:
			total += c.selections(s.SelectionSet, depth+1)
		case *ast.FragmentSpread:
			if def := c.doc.Fragments.ForName(s.Name); def != nil {
				total += c.selections(def.SelectionSet, depth+1)
			}
		}
	}
	return total
}

func (c *calc) field(f *ast.Field, depth int) float64 {
	if len(f.SelectionSet) == 0 {
		return 0 // scalar or enum
	}
	size, sized := c.size(f)
	switch {
	case sized && isConnection(f.SelectionSet):
		return 2 + size*c.connectionNode(f.SelectionSet, depth+1)
	case sized:
		return size * (1 + c.selections(f.SelectionSet, depth+1))
	case f.Name == "pageInfo":
		return 0 // part of the connection's own cost
	default:
		return 1 + c.selections(f.SelectionSet, depth+1)
	}
}

// connectionNode is the cost of one node of a connection selected as
// nodes{…} and/or edges{node{…}}: the larger of the two, since they name
// the same objects.
func (c *calc) connectionNode(set ast.SelectionSet, depth int) float64 {
	best := 0.0
	for _, sel := range set {
		f, ok := sel.(*ast.Field)
		if !ok {
			continue
		}
		switch f.Name {
		case "nodes":
			best = math.Max(best, 1+c.selections(f.SelectionSet, depth+1))
		case "edges":
			for _, es := range f.SelectionSet {
				if n, ok := es.(*ast.Field); ok && n.Name == "node" {
					best = math.Max(best, 1+c.selections(n.SelectionSet, depth+2))
				}
			}
		}
	}
	return best
}

func isConnection(set ast.SelectionSet) bool {
	for _, sel := range set {
		if f, ok := sel.(*ast.Field); ok && (f.Name == "nodes" || f.Name == "edges" || f.Name == "pageInfo") {
			return true
		}
	}
	return false
}

// size is the first or last argument of a field, resolved from variables.
func (c *calc) size(f *ast.Field) (float64, bool) {
	for _, name := range []string{"first", "last"} {
		a := f.Arguments.ForName(name)
		if a == nil || a.Value == nil {
			continue
		}
		v := a.Value
		if v.Kind == ast.Variable {
			n, ok := number(c.vars[v.Raw])
			return n, ok
		}
		if v.Kind == ast.IntValue {
			n, err := strconv.ParseFloat(v.Raw, 64)
			return n, err == nil
		}
	}
	return 0, false
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case float64:
		return n, true
	case interface{ Float64() (float64, error) }: // json.Number
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

func clamp(v float64) int {
	if v > math.MaxInt32 || math.IsInf(v, 1) || math.IsNaN(v) {
		return math.MaxInt32
	}
	if v < 0 {
		return 0
	}
	return int(v)
}
