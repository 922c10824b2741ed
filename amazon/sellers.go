package amazon

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/shopctrl/tracksync/internal/httpx"
)

// Sellers gives the Exporter the client of each seller it confirms for. A
// host that keeps refresh tokens in its own database implements it.
type Sellers interface {
	Client(ctx context.Context, sellerID string) (*Client, error)
}

// Seller is one seller's credentials and region.
type Seller struct {
	Credentials Credentials
	Region      Region
}

// String describes the seller without secrets.
func (s Seller) String() string {
	return fmt.Sprintf("amazon.Seller{Region: %s, Credentials: %s}", s.Region.Name, s.Credentials)
}

// GoString keeps secrets out of %#v.
func (s Seller) GoString() string { return s.String() }

// Format keeps secrets out of every fmt verb.
func (s Seller) Format(f fmt.State, verb rune) { httpx.FormatRedacted(f, verb, s.String()) }

// LogValue keeps secrets out of slog.
func (s Seller) LogValue() slog.Value {
	return slog.GroupValue(slog.String("region", s.Region.Name), slog.Any("credentials", s.Credentials))
}

// SellerClients is a Sellers over a fixed set of sellers; clients are made
// on first use, each with its own token cache and usage-plan buckets (the
// plans are per seller).
type SellerClients struct {
	sellers map[string]Seller
	opts    []Option
	logged  bool // opts set a logger

	mu      sync.Mutex
	clients map[string]*Client
}

var _ Sellers = (*SellerClients)(nil)

// NewSellerClients returns the clients of sellers (seller id → Seller),
// all built with opts.
func NewSellerClients(sellers map[string]Seller, opts ...Option) (*SellerClients, error) {
	sc := &SellerClients{sellers: map[string]Seller{}, opts: opts, clients: map[string]*Client{}}
	for id, s := range sellers {
		if id == "" {
			return nil, fmt.Errorf("amazon: empty seller id")
		}
		if _, err := NewClient(s.Credentials, s.Region, opts...); err != nil {
			return nil, fmt.Errorf("amazon: seller %s: %w", id, err)
		}
		sc.sellers[id] = s
	}
	var c config
	c.plans = map[string]UsagePlan{}
	for _, o := range opts {
		if o != nil && o(&c) == nil && c.logger != nil {
			sc.logged = true
		}
	}
	return sc, nil
}

// DefaultLogger implements tracking.LoggerDefaulter: clients made from now
// on log to l unless the options gave them a logger.
func (sc *SellerClients) DefaultLogger(l *slog.Logger) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if l != nil && !sc.logged {
		sc.opts = append(slices.Clip(sc.opts), WithLogger(l))
		sc.logged = true
	}
}

// Client implements Sellers.
func (sc *SellerClients) Client(_ context.Context, sellerID string) (*Client, error) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if c, ok := sc.clients[sellerID]; ok {
		return c, nil
	}
	s, ok := sc.sellers[sellerID]
	if !ok {
		return nil, fmt.Errorf("amazon: no credentials for seller %s", sellerID)
	}
	c, err := NewClient(s.Credentials, s.Region, append(slices.Clip(sc.opts), WithSellerID(sellerID))...)
	if err != nil {
		return nil, err
	}
	sc.clients[sellerID] = c
	return c, nil
}

// String lists the sellers without secrets.
func (sc *SellerClients) String() string {
	ids := slices.Sorted(maps.Keys(sc.sellers))
	return fmt.Sprintf("amazon.SellerClients{sellers: %s}", strings.Join(ids, ", "))
}

// GoString keeps secrets out of %#v.
func (sc *SellerClients) GoString() string { return sc.String() }

// Format keeps secrets out of every fmt verb.
func (sc *SellerClients) Format(f fmt.State, verb rune) { httpx.FormatRedacted(f, verb, sc.String()) }

// LogValue keeps secrets out of slog.
func (sc *SellerClients) LogValue() slog.Value {
	return slog.StringValue(sc.String())
}
