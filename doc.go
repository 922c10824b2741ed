// Package tracksync pushes the shipments of an order-management system back
// to the sales channels the orders came from — Shopify fulfillments, Amazon
// shipment confirmations — and tells customers, exactly once per shipment,
// within each channel's rate limits.
//
// This root package holds only this overview and the module Version; the
// work happens in its sub-packages.
//
// # How the parts fit
//
// The host application (an order-management backend such as ShopCtrl, or a
// merchant's own integration) owns orders and shipments. It hands them to a
// tracking.Syncer, which validates each order, routes it to the exporters of
// its channel, and records what was pushed in a tracking.Ledger:
//
//		host app ──Order{Lines, Shipments}──▶ tracking.Syncer
//		                                        │ ledger: already pushed? (skip)
//		                                        ├─▶ shopify.Exporter ─ mapping ─▶ shopify.Client ─▶ Admin GraphQL
//		                                        ├─▶ amazon.Exporter  ─ mapping ─▶ amazon.Client  ─▶ SP-API
//		                                        └─▶ notify.Notifier  ─ templates ─▶ SMTP
//		                                        ◀── Result per shipment (Pushed / AlreadyPushed / Waiting / Failed)
//
//	  - tracking: the domain model (Order, Line, Shipment, Item, Customer), the
//	    Exporter interface, the Syncer (with an Observer hook), and the Ledger
//	    with its in-memory and file-backed implementations.
//	  - tracking/sqlledger: Ledgers on PostgreSQL (many workers, with store
//	    ownership across processes) and SQLite; tracking/ledgertest: the
//	    Ledger contract suite for a host's own ledger.
//	  - tracking/notify: customer tracking emails on triggers (shipment
//	    shipped, order fully shipped, tracking updated), templates in
//	    en/nl/de/fr, SMTP through go-mail; exactly once per order, package and
//	    trigger, except that a crash between the mail server's acceptance and
//	    the ledger's commit sends that one email again.
//	    tracking/notify/notifytest: an SMTP server for tests.
//	  - tracking/otelmetrics: the Observer as OpenTelemetry metrics.
//	  - tracking/trackingtest: a recording Exporter for the host's own tests.
//	  - tracking/carrier: the carrier catalogue (tracking-number validation,
//	    detection, tracking URLs).
//	  - mapping: per store, which channel location a host warehouse is and which
//	    channel carrier a host carrier (and service) is. A missing mapping fails
//	    the shipment with an error that names what to configure.
//	  - shopify, amazon: the channel clients and their Exporters; their fakes
//	    shopify/shopifytest and amazon/amazontest are real HTTP servers on
//	    loopback that host applications import in their tests.
//	  - internal/httpx: the HTTP plumbing both clients share (retry policy,
//	    backoff that honours Retry-After, redaction of secrets in logs).
//
// # Exactly once
//
// For every shipment and exporter the Syncer looks the shipment up in the
// ledger (recorded with the same tracking number: AlreadyPushed, no call),
// claims it with a lease so that no other worker pushes it at the same time,
// lets the exporter reconcile with the channel and write, then commits the
// channel's id or releases the claim. A changed tracking number becomes an
// update of what was pushed, never a second push. Leases are renewed while
// an export runs and every write is fenced by its lease, so a worker that
// lost one writes nothing more.
//
// See README.md for the quick start and the status of each part.
package tracksync
