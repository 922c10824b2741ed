package mapping

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// node is a JSON value with where it stood in the input, so that every
// configuration error can name its path and line. encoding/json's strict
// mode (DisallowUnknownFields) names neither.
type node struct {
	kind   kind
	line   int
	bool   bool        // kindBool
	str    string      // kindString
	num    json.Number // kindNumber
	fields []field     // kindObject, in input order
	elems  []*node     // kindArray
}

type field struct {
	key  string
	line int
	val  *node
}

type kind int

const (
	kindNull kind = iota
	kindBool
	kindNumber
	kindString
	kindObject
	kindArray
)

func (k kind) String() string {
	return [...]string{"null", "boolean", "number", "string", "object", "array"}[k]
}

// maxDepth bounds nesting; a configuration is four levels deep, and a
// hostile file must not exhaust the stack.
const maxDepth = 32

// parseTree reads one JSON document. Syntax errors and duplicate keys are
// reported with their line.
func parseTree(data []byte) (*node, error) {
	return newTreeParser(data).parse()
}

func newTreeParser(data []byte) *treeParser {
	p := &treeParser{dec: json.NewDecoder(bytes.NewReader(data)), lines: lineIndex{data: data}}
	p.dec.UseNumber()
	return p
}

func (p *treeParser) parse() (*node, error) {
	root, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if _, err := p.dec.Token(); err != io.EOF {
		return nil, &ConfigError{Line: p.line(), Problem: "unexpected data after the top-level object"}
	}
	return root, nil
}

type treeParser struct {
	dec   *json.Decoder
	lines lineIndex
}

// line is the 1-based line of the decoder's position.
func (p *treeParser) line() int {
	return p.lines.at(p.dec.InputOffset())
}

func (p *treeParser) syntax(err error) error {
	line := p.line()
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line = p.lines.at(se.Offset)
	}
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return &ConfigError{Line: line, Problem: "unexpected end of input"}
	}
	return &ConfigError{Line: line, Problem: "invalid JSON: " + strings.TrimPrefix(err.Error(), "json: ")}
}

func (p *treeParser) value(depth int) (*node, error) {
	if depth > maxDepth {
		return nil, &ConfigError{Line: p.line(), Problem: "nested too deeply"}
	}
	tok, err := p.dec.Token()
	if err != nil {
		return nil, p.syntax(err)
	}
	n := &node{line: p.line()}
	switch t := tok.(type) {
	case nil:
		n.kind = kindNull
	case bool:
		n.kind, n.bool = kindBool, t
	case json.Number:
		n.kind, n.num = kindNumber, t
	case string:
		n.kind, n.str = kindString, t
	case json.Delim:
		switch t {
		case '{':
			n.kind = kindObject
			seen := map[string]int{}
			for p.dec.More() {
				kt, err := p.dec.Token()
				if err != nil {
					return nil, p.syntax(err)
				}
				key, _ := kt.(string) // the decoder only yields string keys inside objects
				line := p.line()
				if first, dup := seen[key]; dup {
					return nil, &ConfigError{Line: line, Problem: fmt.Sprintf("duplicate key %q (first on line %d)", key, first)}
				}
				seen[key] = line
				v, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.fields = append(n.fields, field{key: key, line: line, val: v})
			}
		case '[':
			n.kind = kindArray
			for p.dec.More() {
				v, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.elems = append(n.elems, v)
			}
		}
		if _, err := p.dec.Token(); err != nil { // the closing delimiter
			return nil, p.syntax(err)
		}
	}
	return n, nil
}

// jsonPath renders a path such as .shopify["demo.myshopify.com"].locations.AMS:
// plain identifiers after a dot, anything else quoted in brackets.
type jsonPath []string

func (p jsonPath) child(key string) jsonPath {
	return append(p[:len(p):len(p)], key)
}

func (p jsonPath) String() string {
	if len(p) == 0 {
		return "."
	}
	var b strings.Builder
	for _, k := range p {
		if isIdent(k) {
			b.WriteString("." + k)
		} else {
			b.WriteString("[" + strconv.Quote(k) + "]")
		}
	}
	return b.String()
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		if c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9') {
			continue
		}
		return false
	}
	return true
}
