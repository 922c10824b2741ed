package shopify

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/shopctrl/tracksync/internal/gqlcost"
)

// costCache remembers the requested cost Shopify reported for each of the
// client's own documents, per page size (the integer variables), and until
// then estimates it by Shopify's published rules. Shopify's figure wins:
// it reserves the right to give fields costs of their own, and a
// reservation below what the server charges is a THROTTLED answer waiting
// to happen.
type costCache struct {
	mu      sync.Mutex
	learned map[string]float64 // costKey → requestedQueryCost
}

// maxLearned bounds the cache: the documents are few, but page sizes vary
// with the orders.
const maxLearned = 1024

// estimate returns the cost to reserve for doc with vars, and the key
// under which to learn the cost Shopify reports.
func (cc *costCache) estimate(doc string, vars map[string]any) (float64, string, error) {
	key := costKey(doc, vars)
	cc.mu.Lock()
	v, ok := cc.learned[key]
	cc.mu.Unlock()
	if ok {
		return v, key, nil
	}
	n, err := gqlcost.Estimate(doc, "", vars)
	if err != nil {
		return 0, "", fmt.Errorf("shopify: %w", err)
	}
	return float64(n), key, nil
}

// learn records Shopify's requested cost for key ("" learns nothing).
func (cc *costCache) learn(key string, cost float64) {
	if key == "" || cost <= 0 {
		return
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.learned == nil {
		cc.learned = map[string]float64{}
	}
	if _, ok := cc.learned[key]; !ok && len(cc.learned) >= maxLearned {
		for k := range cc.learned { // forget one at random
			delete(cc.learned, k)
			break
		}
	}
	cc.learned[key] = cost
}

// costKey is the document with its integer variables, which are all that
// changes a document's cost.
func costKey(doc string, vars map[string]any) string {
	var sizes []string
	for k, v := range vars {
		if n, ok := v.(int); ok {
			sizes = append(sizes, k+"="+strconv.Itoa(n))
		}
	}
	slices.Sort(sizes)
	return doc + "\x00" + strings.Join(sizes, ",")
}
