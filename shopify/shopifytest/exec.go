package shopifytest

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
)

// This file is the fake's GraphQL execution engine: a small, spec-shaped
// executor (https://spec.graphql.org/October2021/#sec-Execution) over an
// already validated document. It resolves fields through the resolvers in
// resolvers_*.go, completes values against the schema's types, merges
// aliases and fragments, honours @skip/@include, and nulls a field that
// fails with an error carrying its path, propagating the null to the
// nearest nullable parent. It runs with Server.mu held, so a mutation's
// changes are atomic with respect to every other request.

// executor runs one operation for one shop.
type executor struct {
	doc  *ast.QueryDocument
	op   *ast.OperationDefinition
	vars map[string]any
	srv  *Server
	shop *Shop
	now  time.Time
	errs []*gqlError
}

// rootValue is the parent value of the root fields.
type rootValue struct{}

// object is a JSON object that keeps its members in selection order, as
// GraphQL responses must. The actual cost is counted from it directly.
type object struct {
	keys []string
	vals []any
}

// Field returns the member named key.
func (o *object) Field(key string) (any, bool) {
	for i, k := range o.keys {
		if k == key {
			return o.vals[i], true
		}
	}
	return nil, false
}

// MarshalJSON writes the members in order.
func (o *object) MarshalJSON() ([]byte, error) {
	buf := []byte{'{'}
	for i, k := range o.keys {
		if i > 0 {
			buf = append(buf, ',')
		}
		kb, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		vb, err := json.Marshal(o.vals[i])
		if err != nil {
			return nil, err
		}
		buf = append(append(append(buf, kb...), ':'), vb...)
	}
	return append(buf, '}'), nil
}

// run executes the operation and returns its data: an *object, or nil
// when a non-null root field failed.
func (e *executor) run(root *ast.Definition) any {
	o, propagate := e.selectionSet(root, rootValue{}, e.op.SelectionSet, nil)
	if propagate {
		return nil
	}
	return o
}

// group is the fields of one response key: a field selected twice (or by
// two fragments) is executed once with its sub-selections merged.
type group struct {
	key    string
	fields []*ast.Field
}

func (e *executor) selectionSet(objType *ast.Definition, src any, set ast.SelectionSet, path []any) (*object, bool) {
	out := &object{}
	for _, g := range e.collect(objType, set) {
		v, propagate := e.field(objType, src, g.fields, appendPath(path, g.key))
		if propagate {
			return nil, true
		}
		out.keys = append(out.keys, g.key)
		out.vals = append(out.vals, v)
	}
	return out, false
}

// appendPath returns path+el in a new slice, so sibling paths never share
// a backing array.
func appendPath(path []any, el any) []any {
	out := make([]any, len(path), len(path)+1)
	copy(out, path)
	return append(out, el)
}

// collect groups a selection set's fields by response key, expanding the
// fragments whose type condition the object type satisfies (CollectFields
// in the spec).
func (e *executor) collect(objType *ast.Definition, set ast.SelectionSet) []*group {
	var groups []*group
	index := map[string]*group{}
	visited := map[string]bool{}
	var walk func(set ast.SelectionSet)
	walk = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				if e.skipped(s.Directives) {
					continue
				}
				key := responseKey(s)
				g := index[key]
				if g == nil {
					g = &group{key: key}
					index[key] = g
					groups = append(groups, g)
				}
				g.fields = append(g.fields, s)
			case *ast.InlineFragment:
				if e.skipped(s.Directives) || (s.TypeCondition != "" && !e.applies(objType, s.TypeCondition)) {
					continue
				}
				walk(s.SelectionSet)
			case *ast.FragmentSpread:
				if e.skipped(s.Directives) || visited[s.Name] {
					continue
				}
				visited[s.Name] = true // validation rejects cycles; this makes them harmless anyway
				def := e.doc.Fragments.ForName(s.Name)
				if def == nil || !e.applies(objType, def.TypeCondition) {
					continue
				}
				walk(def.SelectionSet)
			}
		}
	}
	walk(set)
	return groups
}

// applies reports whether a fragment on typeCondition applies to objType.
func (e *executor) applies(objType *ast.Definition, typeCondition string) bool {
	return typeApplies(e.srv.schema, objType, typeCondition)
}

// skipped evaluates @skip(if:) and @include(if:).
func (e *executor) skipped(dirs ast.DirectiveList) bool {
	for _, d := range dirs {
		if d.Name != "skip" && d.Name != "include" {
			continue
		}
		arg := d.Arguments.ForName("if")
		if arg == nil || arg.Value == nil {
			continue
		}
		v, err := arg.Value.Value(e.vars)
		b, ok := v.(bool)
		if err != nil || !ok {
			continue
		}
		if (d.Name == "skip") == b {
			return true
		}
	}
	return false
}

// field resolves and completes one response key. The bool reports that
// the field is null because of an error and is non-null, so the null must
// propagate to the parent.
func (e *executor) field(objType *ast.Definition, src any, fields []*ast.Field, path []any) (any, bool) {
	f := fields[0]
	if f.Name == "__typename" {
		return objType.Name, false
	}
	def := objType.Fields.ForName(f.Name)
	if def == nil {
		e.fieldError(f, path, messagef("Field '%s' doesn't exist on type '%s'", f.Name, objType.Name))
		return nil, false
	}
	args, err := e.args(f, def)
	var val any
	if err == nil {
		val, err = e.resolve(objType.Name, src, f, args)
	}
	if err != nil {
		e.fieldError(f, path, err)
		return nil, def.Type.NonNull
	}
	return e.complete(def.Type, fields, val, path)
}

// args coerces a field's arguments: literals, variables (already coerced
// by validator.VariableValues) and schema defaults. An argument neither
// given nor defaulted is absent from the map.
func (e *executor) args(f *ast.Field, def *ast.FieldDefinition) (map[string]any, error) {
	out := map[string]any{}
	for _, ad := range def.Arguments {
		if a := f.Arguments.ForName(ad.Name); a != nil && a.Value != nil {
			if a.Value.Kind == ast.Variable {
				if v, ok := e.vars[a.Value.Raw]; ok {
					out[ad.Name] = v
					continue
				}
			} else {
				v, err := a.Value.Value(e.vars)
				if err != nil {
					return nil, messagef("Argument '%s' on Field '%s' has an invalid value (%s).", ad.Name, f.Name, a.Value.String())
				}
				out[ad.Name] = v
				continue
			}
		}
		if ad.DefaultValue != nil {
			if v, err := ad.DefaultValue.Value(nil); err == nil {
				out[ad.Name] = v
			}
		}
	}
	return out, nil
}

// complete turns a resolved value into its response form for typ. The
// bool reports a null that must propagate (typ is non-null).
func (e *executor) complete(typ *ast.Type, fields []*ast.Field, val any, path []any) (any, bool) {
	if !typ.NonNull {
		v, _ := e.completeNullable(typ, fields, val, path)
		return v, false
	}
	nullable := *typ
	nullable.NonNull = false
	v, errored := e.completeNullable(&nullable, fields, val, path)
	if v == nil {
		if !errored {
			f := fields[0]
			parent := "?"
			if f.ObjectDefinition != nil {
				parent = f.ObjectDefinition.Name
			}
			e.fieldError(f, path, messagef("Cannot return null for non-nullable field %s.%s", parent, f.Name))
		}
		return nil, true
	}
	return v, false
}

// completeNullable completes a value of a nullable type. errored reports a
// null caused by an error already recorded.
func (e *executor) completeNullable(typ *ast.Type, fields []*ast.Field, val any, path []any) (any, bool) {
	if val == nil {
		return nil, false
	}
	if typ.Elem != nil {
		list, ok := val.([]any)
		if !ok {
			e.fieldError(fields[0], path, errors.New("internal error: expected a list"))
			return nil, true
		}
		out := make([]any, len(list))
		for i, item := range list {
			v, propagate := e.complete(typ.Elem, fields, item, appendPath(path, i))
			if propagate {
				return nil, true
			}
			out[i] = v
		}
		return out, false
	}
	def := e.srv.schema.Types[typ.NamedType]
	if def == nil {
		e.fieldError(fields[0], path, fmt.Errorf("internal error: unknown type %s", typ.NamedType))
		return nil, true
	}
	switch def.Kind {
	case ast.Scalar, ast.Enum:
		v, err := serialize(def, val)
		if err != nil {
			e.fieldError(fields[0], path, err)
			return nil, true
		}
		return v, false
	case ast.Interface, ast.Union:
		def = e.srv.schema.Types[typeName(val)]
		if def == nil {
			e.fieldError(fields[0], path, errors.New("internal error: no runtime type"))
			return nil, true
		}
	}
	var sub ast.SelectionSet
	for _, f := range fields {
		sub = append(sub, f.SelectionSet...)
	}
	o, propagate := e.selectionSet(def, val, sub, path)
	if propagate {
		return nil, true
	}
	return o, false
}

// serialize writes a leaf value (CoerceResult in the spec).
func serialize(def *ast.Definition, val any) (any, error) {
	if def.Kind == ast.Enum {
		s, ok := val.(string)
		if ok && def.EnumValues.ForName(s) != nil {
			return s, nil
		}
		return nil, fmt.Errorf("internal error: %v is not a %s", val, def.Name)
	}
	switch def.Name {
	case "Int":
		n, err := toInt(val)
		if err != nil {
			return nil, err
		}
		return n, nil
	case "Boolean":
		if b, ok := val.(bool); ok {
			return b, nil
		}
	case "DateTime":
		if t, ok := val.(time.Time); ok {
			return t.UTC().Format(time.RFC3339), nil
		}
	default: // String, ID, URL
		if s, ok := val.(string); ok {
			return s, nil
		}
	}
	return nil, fmt.Errorf("internal error: %T is not a %s", val, def.Name)
}

// toInt coerces an Int input or output: GraphQL's Int is 32-bit.
func toInt(v any) (int, error) {
	var f float64
	switch n := v.(type) {
	case int:
		f = float64(n)
	case int64:
		f = float64(n)
	case float64:
		f = n
	case json.Number:
		x, err := n.Float64()
		if err != nil {
			return 0, messagef("Int cannot represent non-integer value: %s", n)
		}
		f = x
	case string:
		x, err := strconv.ParseInt(n, 10, 64)
		if err != nil {
			return 0, messagef("Int cannot represent non-integer value: %q", n)
		}
		f = float64(x)
	default:
		return 0, messagef("Int cannot represent non-integer value: %v", v)
	}
	if f != math.Trunc(f) || f > math.MaxInt32 || f < math.MinInt32 {
		return 0, messagef("Int cannot represent non 32-bit signed integer value: %v", v)
	}
	return int(f), nil
}

// fieldErr is an error a resolver returns with its own extensions
// (ACCESS_DENIED); the executor adds location and path.
type fieldErr struct{ e *gqlError }

func (f *fieldErr) Error() string { return f.e.Message }

func (e *executor) fieldError(f *ast.Field, path []any, err error) {
	out := &gqlError{Message: err.Error()}
	var fe *fieldErr
	if errors.As(err, &fe) {
		c := *fe.e
		out = &c
	}
	out.Locations = locationsOf(f.Position)
	out.Path = path
	e.errs = append(e.errs, out)
}

func responseKey(f *ast.Field) string {
	if f.Alias != "" {
		return f.Alias
	}
	return f.Name
}

// rootFields lists the top-level field names an operation selects,
// through fragments, once per response key in order: the mutations a
// request runs, a field aliased twice counting twice.
func rootFields(doc *ast.QueryDocument, op *ast.OperationDefinition) []string {
	var out []string
	seen := map[string]bool{}
	visited := map[string]bool{}
	var walk func(set ast.SelectionSet)
	walk = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				if key := responseKey(s); s.Name != "__typename" && !seen[key] {
					seen[key] = true
					out = append(out, s.Name)
				}
			case *ast.InlineFragment:
				walk(s.SelectionSet)
			case *ast.FragmentSpread:
				if !visited[s.Name] {
					visited[s.Name] = true
					if def := doc.Fragments.ForName(s.Name); def != nil {
						walk(def.SelectionSet)
					}
				}
			}
		}
	}
	walk(op.SelectionSet)
	return out
}
