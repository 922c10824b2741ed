package shopify

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"sync"
)

// Shops gives the Exporter the client of each shop it pushes to. A host
// that keeps access tokens in its own database implements it with
// Client.ForShop, so that all shops share one client family.
type Shops interface {
	Client(ctx context.Context, shop string) (*Client, error)
}

// ShopClients is a Shops over a fixed set of access tokens. Clients are
// made on first use and share connections and pacing.
type ShopClients struct {
	opts   []Option
	tokens map[string]string // by normalized domain

	mu      sync.Mutex
	base    *Client
	clients map[string]*Client
}

var _ Shops = (*ShopClients)(nil)

// NewShopClients returns the clients of the shops in tokens (shop → Admin
// API access token; shops in any form NormalizeShop accepts), all built
// with opts.
func NewShopClients(tokens map[string]string, opts ...Option) (*ShopClients, error) {
	sc := &ShopClients{opts: opts, tokens: make(map[string]string, len(tokens)), clients: map[string]*Client{}}
	for shop, tok := range tokens {
		domain, err := NormalizeShop(shop)
		if err != nil {
			return nil, err
		}
		if tok == "" {
			return nil, fmt.Errorf("shopify: empty access token for %s", domain)
		}
		sc.tokens[domain] = tok
	}
	// Check the options once, up front, rather than at the first push.
	for domain, tok := range maps.All(sc.tokens) {
		if _, err := NewClient(domain, tok, opts...); err != nil {
			return nil, err
		}
		break
	}
	return sc, nil
}

// DefaultLogger makes l the logger of the clients not made yet, unless the
// options gave one (they come after it and win). The Exporter calls it
// with the tracking.Syncer's logger.
func (sc *ShopClients) DefaultLogger(l *slog.Logger) {
	if l == nil {
		return
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.base == nil {
		sc.opts = append([]Option{WithLogger(l)}, sc.opts...)
	}
}

// Client implements Shops. A shop without a token is an error that names
// it.
func (sc *ShopClients) Client(_ context.Context, shop string) (*Client, error) {
	domain, err := NormalizeShop(shop)
	if err != nil {
		return nil, err
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if c, ok := sc.clients[domain]; ok {
		return c, nil
	}
	tok, ok := sc.tokens[domain]
	if !ok {
		return nil, fmt.Errorf("shopify: no access token for shop %s", domain)
	}
	var c *Client
	if sc.base == nil {
		if c, err = NewClient(domain, tok, sc.opts...); err != nil {
			return nil, err
		}
		sc.base = c
	} else if c, err = sc.base.ForShop(domain, tok); err != nil {
		return nil, err
	}
	sc.clients[domain] = c
	return c, nil
}
