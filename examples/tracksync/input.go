package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/shopctrl/tracksync/tracking"
)

// maxInput bounds what is read of an orders file: far above any real
// export (10 000 orders are a few MB), low enough that a wrong file (a
// disk image piped in by mistake) fails instead of filling memory.
const maxInput = 1 << 30

// The input formats.
const (
	formatAuto = "auto"
	formatJSON = "json" // a JSON array of tracking.Order, or JSON lines (one order per line)
	formatCSV  = "csv"  // one row per package, see csvColumns
)

// batch is the orders of one read and where each came from.
type batch struct {
	orders []tracking.Order
	where  []string // per order: "orders.csv:3" or "orders.json:12", for problems
}

// readOrders reads orders in format from r (named name in problems). Every
// problem of the input is returned at once; orders that could be read are
// returned as well, so that -validate can check them too.
func readOrders(name string, r io.Reader, format string) (batch, problems) {
	data, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return batch{}, problems{{Where: name, Problem: "cannot read: " + err.Error()}}
	}
	if len(data) > maxInput {
		return batch{}, problems{{Where: name, Problem: fmt.Sprintf("larger than %d MiB; split it", maxInput>>20)}}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a BOM from spreadsheet exports
	if format == formatAuto {
		format = detectFormat(name, data)
	}
	var b batch
	var ps problems
	switch format {
	case formatJSON:
		b, ps = readJSON(name, data)
	case formatCSV:
		b, ps = readCSV(name, data)
	default:
		return batch{}, problems{{Where: name, Problem: fmt.Sprintf("unknown format %q; want json or csv", format)}}
	}
	if len(b.orders) == 0 && len(ps) == 0 {
		ps.add(name, "", "", "holds no orders")
	}
	ps = append(ps, duplicateOrders(b)...)
	return b, ps
}

// detectFormat tells JSON from CSV by the file's extension, else by its
// first character: '[' or '{' is JSON.
func detectFormat(name string, data []byte) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		return formatCSV
	case ".json", ".jsonl", ".ndjson":
		return formatJSON
	}
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) > 0 && (t[0] == '[' || t[0] == '{') {
		return formatJSON
	}
	return formatCSV
}

// readJSON reads a JSON array of orders or a sequence of order objects
// (JSON lines). Unknown fields are problems: a misspelt field would
// otherwise be dropped silently.
func readJSON(name string, data []byte) (batch, problems) {
	var b batch
	var ps problems
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	array := false
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) > 0 && t[0] == '[' {
		array = true
		if _, err := dec.Token(); err != nil {
			return b, problems{{Where: name, Problem: err.Error()}}
		}
	}
	lines := lineCounter{data: data, line: 1}
	for n := 0; ; n++ {
		if array && !dec.More() {
			break
		}
		start := dec.InputOffset()
		var o tracking.Order
		err := dec.Decode(&o)
		if !array && errors.Is(err, io.EOF) {
			break
		}
		// The order starts at its first non-space byte.
		start += int64(len(data[start:]) - len(bytes.TrimLeft(data[start:], " \t\r\n,")))
		where := fmt.Sprintf("%s:%d", name, lines.at(start))
		if array {
			where += fmt.Sprintf(" [%d]", n)
		}
		if err != nil {
			ps = append(ps, jsonProblem(where, o.ID, err))
			var syntax *json.SyntaxError
			if errors.As(err, &syntax) || errors.Is(err, io.ErrUnexpectedEOF) {
				return b, ps // the rest cannot be read reliably
			}
			continue
		}
		b.orders = append(b.orders, o)
		b.where = append(b.where, where)
	}
	if array {
		if _, err := dec.Token(); err != nil {
			ps.add(name, "", "", "after the last order: %v", err)
		} else if _, err := dec.Token(); !errors.Is(err, io.EOF) {
			ps.add(name, "", "", "unexpected data after the closing ]")
		}
	}
	return b, ps
}

// jsonProblem turns a decoding error into a Problem, with the field for a
// value of the wrong type.
func jsonProblem(where, orderID string, err error) Problem {
	p := Problem{Where: where, Order: orderID, Problem: err.Error()}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		p.Path = typeErr.Field // encoding/json names the field without list indexes
		p.Problem = fmt.Sprintf("is a JSON %s; want %s", typeErr.Value, jsonType(typeErr.Type))
	}
	return p
}

// jsonType names what a Go type takes in JSON.
func jsonType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "a whole number"
	case reflect.Bool:
		return "true or false"
	}
	return "an object"
}

// lineCounter gives the 1-based line of offsets that only grow, counting
// each byte once: counting from the start for every order would make
// reading a large file quadratic.
type lineCounter struct {
	data []byte
	off  int64 // counted up to here
	line int   // the line of off
}

func (c *lineCounter) at(off int64) int {
	off = min(max(off, c.off), int64(len(c.data)))
	c.line += bytes.Count(c.data[c.off:off], []byte("\n"))
	c.off = off
	return c.line
}

// duplicateOrders reports an order id that appears twice: the second would
// be synced as the same order with other contents.
func duplicateOrders(b batch) problems {
	var ps problems
	seen := make(map[string]int, len(b.orders))
	for i, o := range b.orders {
		if o.ID == "" {
			continue // Validate reports it
		}
		if j, dup := seen[o.ID]; dup {
			ps.add(b.where[i], o.ID, "id", "appears twice (also %s); give each order its own id, or merge them", b.where[j])
			continue
		}
		seen[o.ID] = i
	}
	return ps
}
