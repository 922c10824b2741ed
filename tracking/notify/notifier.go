package notify

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/shopctrl/tracksync/tracking"
)

// Name is the Notifier's exporter name and ledger purpose family.
const Name = "notify"

// defaultLeaseTTL bounds a claim on one email outside a Syncer.
const defaultLeaseTTL = 15 * time.Minute

// Notifier emails customers on preset triggers. It is a tracking.Exporter
// of AllChannels: the Syncer runs it after the channel exporters of every
// order and it keeps its own ledger records (ExporterInfo.OwnLedger), one
// per order, package and trigger. It is safe for concurrent use.
type Notifier struct {
	mailer       Mailer
	stores       map[string]*store // by lower-cased store
	defaultStore *store
	triggers     []*Trigger
	byName       map[string]*Trigger
	linker       Linker
	ledger       tracking.Ledger
	logger       *slog.Logger
	loggerSet    bool
	itemName     func(o tracking.Order, l tracking.Line) string
	reference    func(o tracking.Order) string
	now          func() time.Time
	owner        string
}

// New returns a Notifier that sends through mailer. It checks every
// setting and template now and reports every problem at once, as joined
// *ConfigError (errors.Is ErrConfig).
func New(mailer Mailer, opts ...Option) (*Notifier, error) {
	var c config
	for _, opt := range opts {
		opt(&c)
	}
	n := &Notifier{
		mailer: mailer, linker: c.linker, ledger: c.ledger, logger: c.logger, loggerSet: c.logger != nil,
		itemName: c.itemName, reference: c.reference, now: c.now, owner: c.owner,
		stores: map[string]*store{}, byName: map[string]*Trigger{},
	}
	var errs []error
	bad := func(setting, problem string) {
		errs = append(errs, &ConfigError{Setting: setting, Problem: problem})
	}
	if mailer == nil {
		bad("mailer", "is nil: pass an SMTPMailer or another Mailer")
	}
	n.triggers = append(builtinTriggers(), c.triggers...)
	for i, t := range n.triggers {
		switch {
		case t == nil:
			bad("triggers", fmt.Sprintf("trigger %d is nil", i))
			continue
		case !validTriggerName(t.Name):
			bad("triggers", fmt.Sprintf("name %q: use lower-case letters, digits and inner dashes", t.Name))
		case n.byName[t.Name] != nil:
			bad("triggers", fmt.Sprintf("two triggers are named %q", t.Name))
		case t.Due == nil:
			bad("triggers", fmt.Sprintf("trigger %q has no Due function", t.Name))
		case t.Default > AfterChannel:
			bad("triggers", fmt.Sprintf("trigger %q has unknown default mode %d", t.Name, t.Default))
		}
		n.byName[t.Name] = t
	}
	if len(c.stores) == 0 && c.defaultStore == nil {
		bad("stores", "none: add WithStore or WithDefaultStore")
	}
	if len(errs) > 0 { // stores cannot be checked against broken triggers
		return nil, errors.Join(errs...)
	}
	for key, cfg := range c.stores {
		st, serrs := compileStore(key, cfg, n.triggers)
		errs = append(errs, serrs...)
		lk := strings.ToLower(strings.TrimSpace(key))
		if n.stores[lk] != nil {
			bad("stores", fmt.Sprintf("%q and %q are the same store (stores ignore case)", n.stores[lk].key, key))
		}
		n.stores[lk] = st
	}
	if c.defaultStore != nil {
		st, serrs := compileStore("", *c.defaultStore, n.triggers)
		errs = append(errs, serrs...)
		n.defaultStore = st
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	n.fillDefaults()
	return n, nil
}

func (n *Notifier) fillDefaults() {
	if n.linker == nil {
		n.linker = CatalogueLinks(nil)
	}
	if n.logger == nil {
		n.logger = slog.New(slog.DiscardHandler)
	}
	if n.itemName == nil {
		n.itemName = func(_ tracking.Order, l tracking.Line) string { return l.SKU }
	}
	if n.reference == nil {
		n.reference = defaultReference
	}
	if n.now == nil {
		n.now = time.Now
	}
	if n.owner == "" {
		host, _ := os.Hostname()
		n.owner = "notify-" + host + "-" + strconv.Itoa(os.Getpid())
	}
}

// defaultReference is the channel's order id, unless it is an API id that
// means nothing to a customer.
func defaultReference(o tracking.Order) string {
	if o.ChannelOrderID != "" && !strings.HasPrefix(o.ChannelOrderID, "gid://") {
		return o.ChannelOrderID
	}
	return o.ID
}

// Channel returns tracking.AllChannels: the Notifier takes orders of every
// channel.
func (n *Notifier) Channel() tracking.Channel { return tracking.AllChannels }

// DefaultLogger adopts l unless WithLogger gave one, and hands it to the
// mailer if it takes one (tracking.LoggerDefaulter).
func (n *Notifier) DefaultLogger(l *slog.Logger) {
	if l == nil {
		return
	}
	if !n.loggerSet {
		n.logger = l
	}
	if d, ok := n.mailer.(interface{ DefaultLogger(*slog.Logger) }); ok {
		d.DefaultLogger(l)
	}
}

// storeFor returns the settings of an order's store.
func (n *Notifier) storeFor(key string) (*store, error) {
	if st := n.stores[strings.ToLower(strings.TrimSpace(key))]; st != nil {
		return st, nil
	}
	if n.defaultStore != nil {
		return n.defaultStore, nil
	}
	return nil, &ConfigError{Store: key, Setting: "store", Problem: "has no notification settings: add WithStore for it, or WithDefaultStore"}
}

// Triggers returns the names of the Notifier's triggers, in the order
// their emails go out.
func (n *Notifier) Triggers() []string {
	names := make([]string, len(n.triggers))
	for i, t := range n.triggers {
		names[i] = t.Name
	}
	return names
}
