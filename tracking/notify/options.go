package notify

import (
	"log/slog"
	"time"

	"github.com/shopctrl/tracksync/tracking"
)

// Option configures a Notifier.
type Option func(*config)

type config struct {
	stores       map[string]StoreConfig
	defaultStore *StoreConfig
	triggers     []*Trigger
	linker       Linker
	ledger       tracking.Ledger
	logger       *slog.Logger
	itemName     func(o tracking.Order, l tracking.Line) string
	reference    func(o tracking.Order) string
	now          func() time.Time
	owner        string
}

// WithStore sets how one store emails its customers. The store is the
// orders' Store (Shopify shop domain, Amazon "seller/marketplace"),
// compared without regard to case.
func WithStore(store string, cfg StoreConfig) Option {
	return func(c *config) {
		if c.stores == nil {
			c.stores = map[string]StoreConfig{}
		}
		c.stores[store] = cfg
	}
}

// WithDefaultStore sets the settings of every store WithStore does not
// name. Without it, orders of such stores fail with a reason that says to
// add one.
func WithDefaultStore(cfg StoreConfig) Option {
	return func(c *config) { c.defaultStore = &cfg }
}

// WithTriggers adds the host's own triggers after the presets
// (ShipmentShipped, OrderFullyShipped, TrackingUpdated). Their emails go out
// after the presets', in the order given.
func WithTriggers(t ...*Trigger) Option {
	return func(c *config) { c.triggers = append(c.triggers, t...) }
}

// WithLinker sets how packages are linked to their tracking pages
// (default: CatalogueLinks(nil); MappingLinks uses the channel mapping).
func WithLinker(l Linker) Option { return func(c *config) { c.linker = l } }

// WithLedger sets the ledger the Notifier keeps its exactly-once records
// in. Default: the ledger of the Syncer it runs in.
func WithLedger(l tracking.Ledger) Option { return func(c *config) { c.ledger = l } }

// WithLogger sets the logger (default: the Syncer's, else discard).
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithItemNames names the products in emails; the host knows their titles
// (tracking.Line has only the SKU). Default: the SKU.
func WithItemNames(f func(o tracking.Order, l tracking.Line) string) Option {
	return func(c *config) { c.itemName = f }
}

// WithOrderReference sets the order number customers see (such as
// Shopify's "#1042"). Default: the order's ChannelOrderID, or the host's
// ID when the channel's is an API id ("gid://…").
func WithOrderReference(f func(o tracking.Order) string) Option {
	return func(c *config) { c.reference = f }
}

// WithClock sets the clock of the Date header and the ledger records
// (default time.Now).
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithOwner names this worker in the Notifier's ledger claims when it runs
// outside a Syncer (inside one it uses the Syncer's owner).
func WithOwner(owner string) Option { return func(c *config) { c.owner = owner } }
