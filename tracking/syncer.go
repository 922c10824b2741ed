package tracking

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"sync"
	"time"
)

// Syncer routes orders to exporters and makes every push exactly-once
// through its Ledger. It is safe for concurrent use; one Syncer per process
// is the intended shape.
type Syncer struct {
	ledger      Ledger
	concurrency int
	logger      *slog.Logger
	owner       string
	leaseTTL    time.Duration
	routes      map[Channel][]route // per order channel: its exporters, then the AllChannels ones
	stores      storeLocks          // serializes orders of one store across concurrent calls
	observer    Observer            // nil when none
	owners      StoreLocker         // nil when this process owns every store
	timeout     time.Duration       // per order; 0 for none
}

type route struct {
	exporter Exporter
	info     ExporterInfo
}

// NewSyncer returns a Syncer configured by opts. It fails with ErrConfig
// when there is no exporter, two exporters would share ledger records, or a
// setting is out of range.
func NewSyncer(opts ...Option) (*Syncer, error) {
	c := syncerConfig{
		concurrency: 8,
		leaseTTL:    15 * time.Minute,
		logger:      slog.New(slog.DiscardHandler),
	}
	for _, opt := range opts {
		opt(&c)
	}
	if c.ledger == nil {
		c.ledger = NewMemoryLedger()
	}
	if c.owner == "" {
		c.owner = DefaultOwner()
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	s := &Syncer{
		ledger:      c.ledger,
		concurrency: c.concurrency,
		logger:      c.logger,
		owner:       c.owner,
		leaseTTL:    c.leaseTTL,
		routes:      map[Channel][]route{},
		observer:    c.observer,
		owners:      c.stores,
		timeout:     c.timeout,
	}
	if c.loggerSet {
		for _, e := range c.exporters {
			if d, ok := e.(LoggerDefaulter); ok {
				d.DefaultLogger(c.logger)
			}
		}
	}
	var all []route
	for _, e := range c.exporters {
		r := route{exporter: e, info: describe(e)}
		if e.Channel() == AllChannels {
			all = append(all, r)
		} else {
			s.routes[e.Channel()] = append(s.routes[e.Channel()], r)
		}
	}
	for ch := range s.routes {
		s.routes[ch] = append(s.routes[ch], all...)
	}
	s.routes[""] = all // orders with a missing or unknown channel still reach notifiers' results as Failed
	return s, nil
}

func (s *Syncer) routesFor(ch Channel) []route {
	if r, ok := s.routes[ch]; ok {
		return r
	}
	return s.routes[""]
}

// Sync pushes the orders and returns one OrderResult per order, in input
// order. An invalid order fails on its own; the others go on. When ctx ends
// before every order is done, the orders it cut short are reported with the
// context's error, which Sync also returns.
func (s *Syncer) Sync(ctx context.Context, orders ...Order) ([]OrderResult, error) {
	results := make([]OrderResult, len(orders))
	for i, r := range s.Stream(ctx, orders) {
		results[i] = r
	}
	if err := ctx.Err(); err != nil {
		for _, r := range results {
			if errors.Is(r.Err, err) {
				return results, err
			}
		}
	}
	return results, nil
}

// Stream pushes the orders and yields each OrderResult, with the order's
// index in orders, as soon as the order is done — for long runs whose host
// shows progress. Results arrive in completion order. Breaking out of the
// loop cancels the orders not yet done; no goroutine outlives the loop.
func (s *Syncer) Stream(ctx context.Context, orders []Order) iter.Seq2[int, OrderResult] {
	return func(yield func(int, OrderResult) bool) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()

		type done struct {
			i int
			r OrderResult
		}
		units := s.plan(orders)
		work := make(chan unit)
		out := make(chan done, s.concurrency)
		var wg sync.WaitGroup
		for range min(s.concurrency, len(units)) {
			wg.Go(func() {
				for u := range work {
					s.runUnit(ctx, orders, u, func(i int, r OrderResult) { out <- done{i, r} })
				}
			})
		}
		go func() {
			// Every unit is handed out even after cancellation: workers
			// answer a cancelled order at once, so each order gets a result.
			for _, u := range units {
				work <- u
			}
			close(work)
			wg.Wait()
			close(out)
		}()
		// However the loop ends (done, break, panic in yield), cancel what
		// is left and let the workers finish before returning.
		defer func() {
			cancel()
			for range out {
			}
		}()
		for d := range out {
			if !yield(d.i, d.r) {
				return
			}
		}
	}
}

// unit is work for one worker: the indexes of orders to run one after the
// other. Orders whose exporters serialize per store share a unit per store
// and channel; every other order is a unit of its own.
type unit struct {
	storeKey string // "" when the orders need no serialization
	orders   []int
}

func (s *Syncer) plan(orders []Order) []unit {
	units := make([]unit, 0, len(orders))
	byStore := map[string]int{}
	for i, o := range orders {
		key := ""
		for _, r := range s.routesFor(o.Channel) {
			if r.info.SerializeStore {
				key = string(o.Channel) + "\x00" + o.Store
				break
			}
		}
		if key == "" {
			units = append(units, unit{orders: []int{i}})
			continue
		}
		if u, ok := byStore[key]; ok {
			units[u].orders = append(units[u].orders, i)
			continue
		}
		byStore[key] = len(units)
		units = append(units, unit{storeKey: key, orders: []int{i}})
	}
	return units
}

func (s *Syncer) runUnit(ctx context.Context, orders []Order, u unit, emit func(int, OrderResult)) {
	if u.storeKey != "" {
		unlock, err := s.stores.lock(ctx, u.storeKey)
		if err != nil {
			for _, i := range u.orders {
				emit(i, s.notStarted(orders[i], err))
			}
			return
		}
		defer unlock()
	}
	for _, i := range u.orders {
		emit(i, s.syncOrder(ctx, orders[i]))
	}
}

// syncOrder runs one order through every exporter routed to it.
func (s *Syncer) syncOrder(ctx context.Context, o Order) OrderResult {
	start := time.Now()
	r := s.exportOrder(ctx, o)
	adviseAll(&r)
	s.observe(ctx, r, start)
	return r
}

// adviseAll fills the retry advice of every failed shipment of r.
func adviseAll(r *OrderResult) {
	for i := range r.Results {
		for j := range r.Results[i].Shipments {
			advise(&r.Results[i].Shipments[j])
		}
	}
}

func (s *Syncer) exportOrder(ctx context.Context, o Order) OrderResult {
	if err := ctx.Err(); err != nil {
		return s.notStarted(o, err)
	}
	r := OrderResult{OrderID: o.ID, Channel: o.Channel, Store: o.Store}
	routes := s.routesFor(o.Channel)
	if err := o.Validate(); err != nil {
		r.Err = err
		r.Results = s.failRoutes(o, routes, describeInvalid(err), err)
		s.logger.WarnContext(ctx, "order is invalid", "order", o.ID, "channel", o.Channel, "store", o.Store, "error", err)
		return r
	}
	if len(s.routes[o.Channel]) == 0 {
		r.Err = fmt.Errorf("%w %q", ErrNoExporter, o.Channel)
		r.Results = s.failRoutes(o, nil, fmt.Sprintf("no exporter takes %q orders: add one with WithExporters", o.Channel), r.Err)
		return r
	}
	if s.owners != nil {
		unlock, err := s.owners.LockStore(ctx, o.Channel, o.Store)
		if err != nil {
			r.Results = s.storeUnavailable(o, routes, err)
			return r
		}
		defer unlock()
	}
	octx := ctx
	if s.timeout > 0 {
		var cancel context.CancelFunc
		octx, cancel = context.WithTimeout(ctx, s.timeout)
		defer cancel()
	}
	if s.observer != nil {
		octx = ContextWithObserver(octx, s.observer)
	}
	r.Results = make([]Result, 0, len(routes))
	for _, rt := range routes {
		r.Results = append(r.Results, s.export(octx, rt, o, r.Results[:len(r.Results):len(r.Results)]))
	}
	if err := ctx.Err(); err != nil {
		r.Err = err
	}
	return r
}

// storeUnavailable reports every shipment of o Waiting when another process
// owns its store, Failed when the store could not be taken at all.
func (s *Syncer) storeUnavailable(o Order, routes []route, err error) []Result {
	results := s.failRoutes(o, routes, "could not take the store: "+err.Error(), err)
	if !errors.Is(err, ErrStoreBusy) {
		return results
	}
	_, after := Classify(err)
	for i := range results {
		for j := range results[i].Shipments {
			sh := &results[i].Shipments[j]
			sh.State, sh.Reason, sh.Retryable, sh.RetryAfter = Waiting, err.Error(), true, after
		}
	}
	return results
}

// observe tells the Observer every shipment's result.
func (s *Syncer) observe(ctx context.Context, r OrderResult, start time.Time) {
	if s.observer == nil {
		return
	}
	d := time.Since(start)
	for _, res := range r.Results {
		for _, sh := range res.Shipments {
			s.observer.ShipmentDone(ctx, ShipmentEvent{Exporter: res.Exporter, Channel: r.Channel, Store: r.Store, OrderID: r.OrderID, Result: sh, Duration: d})
		}
	}
}

func (s *Syncer) notStarted(o Order, err error) OrderResult {
	r := OrderResult{
		OrderID: o.ID, Channel: o.Channel, Store: o.Store, Err: err,
		Results: s.failRoutes(o, s.routesFor(o.Channel), "not attempted: "+err.Error(), err),
	}
	adviseAll(&r)
	return r
}

// failRoutes fails every shipment of o for every route; with no route it
// still returns one Result, so that no shipment goes unreported.
func (s *Syncer) failRoutes(o Order, routes []route, reason string, err error) []Result {
	if len(routes) == 0 {
		return []Result{failAll("", o.Channel, o, reason, err)}
	}
	out := make([]Result, len(routes))
	for i, rt := range routes {
		out[i] = failAll(rt.info.Name, rt.exporter.Channel(), o, reason, err)
	}
	return out
}
