// Package tracking is tracksync's core: the orders and shipments a host
// hands over, the Exporter interface the channels implement, the Syncer that
// routes orders to exporters, and the Ledger that makes every push
// exactly-once.
//
// A host builds Orders from its own data, calls Order.Validate (the Syncer
// does too) and runs them through a Syncer:
//
//	syncer, err := tracking.NewSyncer(
//		tracking.WithExporters(shopifyExporter, amazonExporter, notifier),
//		tracking.WithLedger(ledger),
//	)
//	results, err := syncer.Sync(ctx, orders...)
//
// Each OrderResult holds, per exporter, one ShipmentResult per shipment:
// Pushed (with the channel's id), AlreadyPushed, Waiting (for a reason that
// resolves itself, such as an order not yet fully shipped) or Failed (with a
// Reason that says what to do, the Err behind it, and whether and when to
// try again: Retryable, RetryAfter).
//
// The core names no channel: an order's Channel is whatever string the
// exporters given to the Syncer answer from Channel(), and an order for a
// channel nobody exports fails with ErrNoExporter. Exporters whose Channel is
// AllChannels (customer notifications) see every order after the channel's
// own exporters, and read their results with RunFrom(ctx).Prior().
//
// The Ledger records pushes; MemoryLedger suits tests, FileLedger a single
// process, and a database-backed Ledger (tracking/sqlledger) a fleet of
// workers: its leases keep two workers off the same shipment. The Syncer
// renews its leases while an export runs, and an exporter fences every write
// with RunFrom(ctx).Check, so a worker whose lease was lost writes nothing
// more. A writer whose outcome may be lost (an Amazon feed in flight) leaves
// a note with RunFrom(ctx).SetNote for the next holder to reconcile from.
// Hosts test their own Ledger with tracking/ledgertest.
//
// Hosts watch a running sync with an Observer (WithObserver): one event per
// shipment result and one per request the channel clients make.
// Several processes share stores through a StoreLocker (WithStoreLocker), so
// that each store's rate limit is paced in one place.
package tracking
