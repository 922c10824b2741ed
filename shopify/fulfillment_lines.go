package shopify

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// FulfillmentLines is what a fulfillment shipped: quantities by line item
// ("gid://shopify/LineItem/<n>").
type FulfillmentLines struct {
	Quantities map[string]int
	// More is set when the fulfillment has more line items than were
	// asked for: it shipped more than Quantities says.
	More bool
}

// Equal reports whether the fulfillment shipped exactly want (quantities by
// line item), nothing more.
func (l FulfillmentLines) Equal(want map[string]int) bool {
	if l.More || len(l.Quantities) != len(want) {
		return false
	}
	for id, q := range want {
		if l.Quantities[id] != q {
			return false
		}
	}
	return true
}

// linesDocs caches the aliased lookup documents by the number of aliases.
var linesDocs sync.Map

// linesDocument looks up k fulfillments with their first $n line items.
func linesDocument(k int) string {
	if d, ok := linesDocs.Load(k); ok {
		return d.(string)
	}
	var s strings.Builder
	s.WriteString("query TracksyncFulfillmentLines($n: Int!")
	for i := range k {
		s.WriteString(", $id" + strconv.Itoa(i) + ": ID!")
	}
	s.WriteString(") {\n")
	for i := range k {
		n := strconv.Itoa(i)
		s.WriteString("  f" + n + ": fulfillment(id: $id" + n + ") { id fulfillmentLineItems(first: $n) { pageInfo { hasNextPage } nodes { quantity lineItem { id } } } }\n")
	}
	s.WriteString("}")
	d, _ := linesDocs.LoadOrStore(k, s.String())
	return d.(string)
}

type wireFulfillmentLines struct {
	ID                   string `json:"id"`
	FulfillmentLineItems struct {
		PageInfo pageInfo `json:"pageInfo"`
		Nodes    []struct {
			Quantity int `json:"quantity"`
			LineItem struct {
				ID string `json:"id"`
			} `json:"lineItem"`
		} `json:"nodes"`
	} `json:"fulfillmentLineItems"`
}

// FulfillmentLines reads what each of the fulfillments ids shipped, up to
// perFulfillment line items each (a fulfillment with more is marked
// More), in as few requests as the shop's bucket allows. A fulfillment
// that does not exist is missing from the map.
func (c *Client) FulfillmentLines(ctx context.Context, ids []string, perFulfillment int) (map[string]FulfillmentLines, error) {
	n := min(max(perFulfillment, 1), maxPageSize)
	out := make(map[string]FulfillmentLines, len(ids))
	for start := 0; start < len(ids); {
		k, err := c.fitAliases(n, len(ids)-start)
		if err != nil {
			return out, err
		}
		vars := map[string]any{"n": n}
		for i := range k {
			vars["id"+strconv.Itoa(i)] = ids[start+i]
		}
		var data map[string]*wireFulfillmentLines
		if _, err := c.query(ctx, linesDocument(k), vars, &data); err != nil {
			return out, err
		}
		for i := range k {
			if w := data["f"+strconv.Itoa(i)]; w != nil {
				out[ids[start+i]] = w.lines()
			}
		}
		start += k
	}
	return out, nil
}

func (w *wireFulfillmentLines) lines() FulfillmentLines {
	l := FulfillmentLines{Quantities: map[string]int{}, More: w.FulfillmentLineItems.PageInfo.HasNextPage}
	for _, n := range w.FulfillmentLineItems.Nodes {
		l.Quantities[n.LineItem.ID] += n.Quantity
	}
	return l
}

// fitAliases is how many of up to want fulfillments one lookup of n line
// items each may ask for within the budget (at least one).
func (c *Client) fitAliases(n, want int) (int, error) {
	one, _, err := c.costs.estimate(linesDocument(1), map[string]any{"n": n})
	if err != nil {
		return 0, err
	}
	k := min(want, 50, max(1, int(c.budget()/one)))
	if one > c.budget() {
		return 0, fmt.Errorf("%w: looking up one fulfillment's %d line items costs %.0f points, more than the shop's bucket allows", ErrMaxCost, n, one)
	}
	return k, nil
}
