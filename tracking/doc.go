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
// Reason that says what to do and the Err behind it).
//
// The Ledger records pushes; MemoryLedger suits tests, FileLedger a single
// process, and a database-backed Ledger a fleet of workers: its leases keep
// two workers off the same shipment.
package tracking
