package shopifytest

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
)

// This file implements Shopify's cursor pagination
// (https://shopify.dev/docs/api/usage/pagination-graphql): connections
// with nodes, edges{cursor node} and pageInfo, first/after forwards and
// last/before backwards, reverse, and the cap of 250 per page.

// identified is a model object a connection can list: its cursor is made
// from its ID.
type identified interface {
	gqlID() string
}

func (l *lineItem) gqlID() string          { return l.id }
func (fo *fulfillmentOrder) gqlID() string { return fo.id }
func (l *foLine) gqlID() string            { return l.id }
func (f *fulfillment) gqlID() string       { return f.id }
func (l *fulfillmentLine) gqlID() string   { return l.id }

type connection struct {
	edges    []*edge
	pageInfo *pageInfo
}

type edge struct {
	cursor string
	node   identified
}

type pageInfo struct {
	hasNext, hasPrev bool
	start, end       string // "" is null
}

// cursorPayload is what a cursor encodes. Shopify's cursors are opaque
// base64 of a small JSON object of this shape; clients must not parse
// them, and the fake's are only meant to round-trip.
type cursorPayload struct {
	LastID    int64 `json:"last_id"`
	LastValue int64 `json:"last_value"`
}

func cursorOf(item identified) string {
	n, _ := strconv.ParseInt(legacyID(item.gqlID()), 10, 64)
	b, _ := json.Marshal(cursorPayload{LastID: n, LastValue: n})
	return base64.StdEncoding.EncodeToString(b)
}

// position finds the item a cursor points at.
func position(items []identified, cursor string) (int, error) {
	raw, err := base64.StdEncoding.DecodeString(cursor)
	if err != nil {
		return 0, errBadCursor
	}
	var p cursorPayload
	if json.Unmarshal(raw, &p) != nil {
		return 0, errBadCursor
	}
	want := strconv.FormatInt(p.LastID, 10)
	for i, it := range items {
		if legacyID(it.gqlID()) == want {
			return i, nil
		}
	}
	return 0, errBadCursor
}

// paginate cuts one page out of items by the connection arguments.
// hasPreviousPage and hasNextPage say whether items exist before and after
// the page in the whole list, as Shopify reports them in either direction.
func paginate(items []identified, args map[string]any) (*connection, error) {
	first, hasFirst, err := pageSize(args, "first")
	if err != nil {
		return nil, err
	}
	last, hasLast, err := pageSize(args, "last")
	if err != nil {
		return nil, err
	}
	if !hasFirst && !hasLast {
		return nil, errNoPageSize
	}
	list := slices.Clone(items)
	if b, _ := args["reverse"].(bool); b {
		slices.Reverse(list)
	}
	start, end := 0, len(list)
	if after, ok := args["after"].(string); ok {
		i, err := position(list, after)
		if err != nil {
			return nil, err
		}
		start = i + 1
	}
	if before, ok := args["before"].(string); ok {
		i, err := position(list, before)
		if err != nil {
			return nil, err
		}
		end = i
	}
	if end < start {
		end = start
	}
	if hasFirst && end-start > first {
		end = start + first
	}
	if hasLast && end-start > last {
		start = end - last
	}
	c := &connection{pageInfo: &pageInfo{hasPrev: start > 0, hasNext: end < len(list)}}
	for _, it := range list[start:end] {
		c.edges = append(c.edges, &edge{cursor: cursorOf(it), node: it})
	}
	if len(c.edges) > 0 {
		c.pageInfo.start = c.edges[0].cursor
		c.pageInfo.end = c.edges[len(c.edges)-1].cursor
	}
	return c, nil
}

// pageSize reads first or last: at most 250, not negative.
func pageSize(args map[string]any, name string) (int, bool, error) {
	v, ok := args[name]
	if !ok || v == nil {
		return 0, false, nil
	}
	n, err := toInt(v)
	if err != nil {
		return 0, false, err
	}
	if n > maxPageSize {
		return 0, false, errors.New(pageSizeMessage(name))
	}
	if n < 0 {
		return 0, false, fmt.Errorf("%s cannot be negative", name)
	}
	return n, true, nil
}

// limitList applies first to a plain list argument (Order.fulfillments,
// Fulfillment.trackingInfo), with the same cap as connections.
func limitList[T any](items []T, args map[string]any) ([]T, error) {
	n, ok, err := pageSize(args, "first")
	if err != nil {
		return nil, err
	}
	if ok && n < len(items) {
		items = items[:n]
	}
	return items, nil
}
