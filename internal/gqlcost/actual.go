package gqlcost

import (
	"errors"
	"math"

	"github.com/vektah/gqlparser/v2/ast"
)

// Object is a JSON object of a response whose members Actual looks up by
// response key (the alias, or the field name). A map[string]any, as
// encoding/json decodes an object, needs no adapter; an executor that keeps
// its members in order implements Object instead.
type Object interface {
	Field(key string) (value any, ok bool)
}

// Actual returns the actual cost of an operation: Shopify charges the
// requested cost up front and refunds the difference once it knows what the
// query returned ("Requested and actual cost",
// https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits).
// data is the response's "data" member: objects as map[string]any or
// Object, lists as []any.
//
// The rules are Requested's, applied to what came back instead of what was
// asked for, so that the actual cost never exceeds the requested one:
//   - a connection costs 2 plus, for each node returned, 1 plus the cost of
//     the node's own selections (nodes{…} and edges{node{…}} name the same
//     objects, so the larger of the two counts);
//   - a list sized by first/last costs, for each element returned, 1 plus
//     its selections;
//   - any other object costs 1 plus its selections, even when it is null (it
//     was looked up); an unsized list of objects counts as one object, its
//     most expensive element;
//   - scalars, enums, pageInfo and fields absent from data cost 0;
//   - a mutation costs what it requested: Shopify charges mutations in full.
func Actual(doc *ast.QueryDocument, operationName string, vars map[string]any, data any) (int, error) {
	requested, err := Requested(doc, operationName, vars)
	if err != nil {
		return 0, err
	}
	op := doc.Operations.ForName(operationName) // Requested found it
	if op.Operation == ast.Mutation {
		return requested, nil
	}
	a := actual{calc: calc{doc: doc, vars: vars}}
	total := a.selections(op.SelectionSet, data, 0)
	if a.err != nil {
		return 0, a.err
	}
	return clamp(total), nil
}

// errNested has the text Requested uses for the same condition.
var errNested = errors.New("gqlcost: selections nested too deeply")

type actual struct {
	calc
}

func (a *actual) selections(set ast.SelectionSet, obj any, depth int) float64 {
	if depth > maxDepth {
		a.err = errNested
		return 0
	}
	total := 0.0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			v, ok := member(obj, responseKey(s))
			if ok {
				total += a.field(s, v, depth)
			}
		case *ast.InlineFragment:
			total += a.selections(s.SelectionSet, obj, depth+1)
		case *ast.FragmentSpread:
			if def := a.doc.Fragments.ForName(s.Name); def != nil {
				total += a.selections(def.SelectionSet, obj, depth+1)
			}
		}
	}
	return total
}

func (a *actual) field(f *ast.Field, v any, depth int) float64 {
	if len(f.SelectionSet) == 0 {
		return 0 // scalar or enum
	}
	_, sized := a.size(f)
	switch {
	case sized && isConnection(f.SelectionSet):
		return 2 + a.connectionNodes(f.SelectionSet, v, depth+1)
	case sized:
		total := 0.0
		for _, e := range elements(v) {
			total += 1 + a.selections(f.SelectionSet, e, depth+1)
		}
		return total
	case f.Name == "pageInfo":
		return 0
	}
	if list, ok := v.([]any); ok {
		best := 0.0
		for _, e := range list {
			best = math.Max(best, a.selections(f.SelectionSet, e, depth+1))
		}
		return 1 + best
	}
	return 1 + a.selections(f.SelectionSet, v, depth+1)
}

// connectionNodes is the cost of the nodes a connection returned, selected
// as nodes{…} and/or edges{node{…}}: the larger of the two sums.
func (a *actual) connectionNodes(set ast.SelectionSet, conn any, depth int) float64 {
	best := 0.0
	for _, sel := range set {
		f, ok := sel.(*ast.Field)
		if !ok {
			continue
		}
		v, _ := member(conn, responseKey(f))
		sum := 0.0
		switch f.Name {
		case "nodes":
			for _, n := range elements(v) {
				sum += 1 + a.selections(f.SelectionSet, n, depth+1)
			}
		case "edges":
			for _, edge := range elements(v) {
				sum += a.edgeNode(f.SelectionSet, edge, depth+1)
			}
		}
		best = math.Max(best, sum)
	}
	return best
}

// edgeNode is the cost of one edge's node: 1 plus its selections, for the
// most expensive node{…} the edge selects.
func (a *actual) edgeNode(set ast.SelectionSet, edge any, depth int) float64 {
	best := 0.0
	for _, sel := range set {
		n, ok := sel.(*ast.Field)
		if !ok || n.Name != "node" {
			continue
		}
		node, ok := member(edge, responseKey(n))
		if !ok || node == nil {
			continue
		}
		best = math.Max(best, 1+a.selections(n.SelectionSet, node, depth+1))
	}
	return best
}

func responseKey(f *ast.Field) string {
	if f.Alias != "" {
		return f.Alias
	}
	return f.Name
}

func member(obj any, key string) (any, bool) {
	switch o := obj.(type) {
	case map[string]any:
		v, ok := o[key]
		return v, ok
	case Object:
		return o.Field(key)
	}
	return nil, false
}

func elements(v any) []any {
	list, _ := v.([]any)
	return list
}
