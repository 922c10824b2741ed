package shopifytest

import (
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// This file is the fake's own calculation of Shopify's query cost. It is
// written from Shopify's documentation and shares no code with the
// client's estimate (internal/gqlcost): a rule both sides took from one
// place could be wrong without any test noticing.
//
// The documented rules ("Cost calculation", "Requested and actual cost",
// https://shopify.dev/docs/api/usage/limits#cost-calculation, also
// https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits): a
// field costs by what it returns — a scalar or enum 0, an object 1, an
// interface or union the most expensive of its possible selections, a
// connection sized by its first or last argument, a mutation 10. The
// requested cost is counted on the selections before execution; the
// actual cost on what the query returned, so connections that return
// fewer nodes and objects that are null cost less, and the bucket is
// refunded the difference. The worked example on the GraphQL Admin API
// reference (https://shopify.dev/docs/api/admin-graphql, "Rate limits"):
// { products(first: 1) { edges { node { title } } } } requests and costs
// 3 points — 2 for the connection, 1 for the one product — and Shopify's
// engineering article on the method
// (https://shopify.engineering/rate-limiting-graphql-apis-calculating-query-complexity)
// gives the same "two points plus the number of objects" for a
// connection, its pageInfo included once in those two points.
//
// What the documentation leaves open, and the fake decides: a list of
// objects sized by first (Order.fulfillments, Fulfillment.trackingInfo)
// costs like the nodes of a connection without the connection's 2; an
// unsized list of objects costs one object; a null object still costs 1
// (it was looked up), as Shopify reports for an order id that does not
// exist; a mutation is charged in full.

// mutationCost is what each top-level mutation field costs.
const mutationCost = 10

// costCalc counts the cost of one validated operation against the schema.
type costCalc struct {
	schema *ast.Schema
	doc    *ast.QueryDocument
	vars   map[string]any
	// tooDeep is set when the walk met selections nested deeper than it
	// counts: the document is refused rather than undercharged.
	tooDeep bool
}

// requested is the cost of op before it runs.
func (c *costCalc) requested(op *ast.OperationDefinition) int {
	if op.Operation == ast.Mutation {
		return mutationCost * len(rootFields(c.doc, op))
	}
	return int(c.selectionCost(c.schema.Query, op.SelectionSet, 0))
}

// actual is the cost of op by the data it returned (an *object, or nil).
func (c *costCalc) actual(op *ast.OperationDefinition, data any) int {
	if op.Operation == ast.Mutation {
		return c.requested(op)
	}
	return int(c.dataCost(c.schema.Query, op.SelectionSet, data, 0))
}

// maxCostDepth bounds the walk; validation already refuses fragment
// cycles, so this only guards against a pathological document.
const maxCostDepth = 100

// fields lists the fields a selection set selects on an object of type
// parent, through the fragments that apply to it.
func (c *costCalc) fields(parent *ast.Definition, set ast.SelectionSet, depth int) []*ast.Field {
	var out []*ast.Field
	if depth > maxCostDepth {
		c.tooDeep = true
		return out
	}
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name != "__typename" {
				out = append(out, s)
			}
		case *ast.InlineFragment:
			if s.TypeCondition == "" || typeApplies(c.schema, parent, s.TypeCondition) {
				out = append(out, c.fields(parent, s.SelectionSet, depth+1)...)
			}
		case *ast.FragmentSpread:
			if def := c.doc.Fragments.ForName(s.Name); def != nil && typeApplies(c.schema, parent, def.TypeCondition) {
				out = append(out, c.fields(parent, def.SelectionSet, depth+1)...)
			}
		}
	}
	return out
}

// selectionCost is the requested cost of a selection set on an object of
// type parent.
func (c *costCalc) selectionCost(parent *ast.Definition, set ast.SelectionSet, depth int) float64 {
	total := 0.0
	for _, f := range c.fields(parent, set, depth) {
		total += c.fieldCost(parent, f, depth+1)
	}
	return total
}

// objectField returns a field's definition and the object, interface or
// union type it returns; ok is false for scalars and enums, which cost
// nothing.
func (c *costCalc) objectField(parent *ast.Definition, f *ast.Field, depth int) (*ast.FieldDefinition, *ast.Definition, bool) {
	def := parent.Fields.ForName(f.Name)
	if def == nil || depth > maxCostDepth {
		return nil, nil, false
	}
	named := c.schema.Types[def.Type.Name()]
	if named == nil || named.Kind == ast.Scalar || named.Kind == ast.Enum {
		return nil, nil, false
	}
	return def, named, true
}

func (c *costCalc) fieldCost(parent *ast.Definition, f *ast.Field, depth int) float64 {
	def, named, ok := c.objectField(parent, f, depth)
	if !ok {
		return 0
	}
	n, sized := c.pageSize(f)
	switch {
	case isConnectionType(named):
		return 2 + float64(n)*c.nodeCost(named, f.SelectionSet, depth)
	case def.Type.Elem != nil && sized:
		return float64(n) * c.objectCost(named, f.SelectionSet, depth)
	}
	return c.objectCost(named, f.SelectionSet, depth)
}

// objectCost is one object of type t with its selections: 1, plus the most
// expensive possible type's selections for an interface or union.
func (c *costCalc) objectCost(t *ast.Definition, set ast.SelectionSet, depth int) float64 {
	if t.Kind != ast.Interface && t.Kind != ast.Union {
		return 1 + c.selectionCost(t, set, depth)
	}
	most := 0.0
	for _, pt := range c.schema.PossibleTypes[t.Name] {
		most = max(most, c.selectionCost(pt, set, depth))
	}
	return 1 + most
}

// nodeCost is one node of a connection, selected as nodes{…} or
// edges{node{…}}: the same objects, so the dearer of the two counts.
func (c *costCalc) nodeCost(conn *ast.Definition, set ast.SelectionSet, depth int) float64 {
	most := 0.0
	for _, f := range c.fields(conn, set, depth) {
		switch f.Name {
		case "nodes":
			most = max(most, c.objectCost(c.elemType(conn, "nodes"), f.SelectionSet, depth+1))
		case "edges":
			edge := c.elemType(conn, "edges")
			for _, n := range c.fields(edge, f.SelectionSet, depth+1) {
				if n.Name == "node" {
					most = max(most, c.objectCost(c.schema.Types[edge.Fields.ForName("node").Type.Name()], n.SelectionSet, depth+2))
				}
			}
		}
	}
	return most
}

func (c *costCalc) elemType(t *ast.Definition, field string) *ast.Definition {
	return c.schema.Types[t.Fields.ForName(field).Type.Name()]
}

// pageSize is a field's first or last argument, literal or variable.
func (c *costCalc) pageSize(f *ast.Field) (int, bool) {
	for _, name := range []string{"first", "last"} {
		a := f.Arguments.ForName(name)
		if a == nil || a.Value == nil {
			continue
		}
		v, err := a.Value.Value(c.vars)
		if err != nil || v == nil {
			continue
		}
		if n, err := toInt(v); err == nil && n > 0 {
			return n, true
		}
	}
	return 0, false
}

// isConnectionType reports Shopify's Relay connections, which its schema
// names <Type>Connection.
func isConnectionType(t *ast.Definition) bool {
	return t.Kind == ast.Object && strings.HasSuffix(t.Name, "Connection") && t.Fields.ForName("pageInfo") != nil
}

// dataCost is the actual cost of a selection set given the object it
// returned.
func (c *costCalc) dataCost(parent *ast.Definition, set ast.SelectionSet, obj any, depth int) float64 {
	o, _ := obj.(*object)
	if o == nil {
		return 0
	}
	total := 0.0
	seen := map[string]bool{}
	for _, f := range c.fields(parent, set, depth) {
		key := responseKey(f)
		v, ok := o.Field(key)
		if !ok || seen[key] { // a field merged into one response key costs once
			continue
		}
		seen[key] = true
		total += c.fieldData(parent, f, v, depth+1)
	}
	return total
}

func (c *costCalc) fieldData(parent *ast.Definition, f *ast.Field, v any, depth int) float64 {
	def, named, ok := c.objectField(parent, f, depth)
	if !ok {
		return 0
	}
	if isConnectionType(named) {
		return 2 + c.nodesData(named, f.SelectionSet, v, depth)
	}
	list, isList := v.([]any)
	if def.Type.Elem == nil || !isList {
		return c.objectData(named, f.SelectionSet, v, depth)
	}
	if _, sized := c.pageSize(f); sized {
		total := 0.0
		for _, e := range list {
			total += c.objectData(named, f.SelectionSet, e, depth)
		}
		return total
	}
	most := 1.0 // an unsized list costs one object, its dearest element
	for _, e := range list {
		most = max(most, c.objectData(named, f.SelectionSet, e, depth))
	}
	return most
}

// objectData is one returned object: 1 (also when null: it was looked
// up), plus its selections on its runtime type.
func (c *costCalc) objectData(t *ast.Definition, set ast.SelectionSet, v any, depth int) float64 {
	if v == nil {
		return 1
	}
	if t.Kind == ast.Interface || t.Kind == ast.Union {
		if rt := c.schema.Types[typeName(v)]; rt != nil {
			t = rt
		}
	}
	return 1 + c.dataCost(t, set, v, depth)
}

// nodesData is the returned nodes of a connection, counted from nodes{…}
// or edges{node{…}}, whichever costs more.
func (c *costCalc) nodesData(conn *ast.Definition, set ast.SelectionSet, v any, depth int) float64 {
	o, _ := v.(*object)
	if o == nil {
		return 0
	}
	most := 0.0
	for _, f := range c.fields(conn, set, depth) {
		items, _ := o.Field(responseKey(f))
		list, _ := items.([]any)
		sum := 0.0
		switch f.Name {
		case "nodes":
			for _, n := range list {
				sum += c.objectData(c.elemType(conn, "nodes"), f.SelectionSet, n, depth+1)
			}
		case "edges":
			edge := c.elemType(conn, "edges")
			nodeType := c.schema.Types[edge.Fields.ForName("node").Type.Name()]
			for _, e := range list {
				eo, _ := e.(*object)
				if eo == nil {
					continue
				}
				for _, n := range c.fields(edge, f.SelectionSet, depth+1) {
					if node, ok := eo.Field(responseKey(n)); ok && n.Name == "node" {
						sum += c.objectData(nodeType, n.SelectionSet, node, depth+2)
					}
				}
			}
		}
		most = max(most, sum)
	}
	return most
}

// typeApplies reports whether a fragment on typeCondition applies to an
// object of type t: the same type, or an interface or union t belongs to.
func typeApplies(schema *ast.Schema, t *ast.Definition, typeCondition string) bool {
	if typeCondition == t.Name {
		return true
	}
	for _, d := range schema.PossibleTypes[typeCondition] {
		if d.Name == t.Name {
			return true
		}
	}
	return false
}
