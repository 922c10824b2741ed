// Package notify emails customers the tracking information of their
// orders, on preset triggers, exactly once per order, package and trigger.
//
// A Notifier is a tracking.Exporter of tracking.AllChannels: the Syncer
// runs it for every order after the order's channel exporters, so that it
// can wait until the channel holds a package. It keeps its own ledger
// records (tracking.ExporterInfo.OwnLedger) in the Syncer's ledger, or in
// one given with WithLedger.
//
//	mailer, err := notify.NewSMTPMailer("smtp.example.com", 587,
//		notify.WithAuth("apikey", notify.Secret(os.Getenv("SMTP_PASSWORD"))))
//	defer mailer.Close()
//	notifier, err := notify.New(mailer,
//		notify.WithStore("demo-shop.myshopify.com", notify.StoreConfig{
//			Name: "Demo Shop", From: "Demo Shop <shop@demo.example>", Locale: "nl",
//			Triggers: map[string]notify.Mode{notify.ShipmentShipped: notify.AfterChannel},
//		}),
//		notify.WithLinker(notify.MappingLinks(m, nil)))
//	syncer, err := tracking.NewSyncer(tracking.WithExporters(shopifyExporter, amazonExporter, notifier), …)
//
// # Triggers
//
// ShipmentShipped sends one email per package once it has a tracking
// number; OrderFullyShipped one email per order, listing every package,
// once the host reports the order fully shipped; TrackingUpdated one email
// when a package's number differs from the one the customer was last sent.
// ShipmentShipped and TrackingUpdated are on by default, OrderFullyShipped
// is off. A store switches each one Off, On or AfterChannel
// (StoreConfig.Triggers): AfterChannel waits until a channel exporter of
// the same Syncer run reported the package pushed or already pushed
// (tracking.Run.Prior), so the email links to what the channel shows. A
// host adds its own Trigger with WithTriggers.
//
// # Templates
//
// Every email has a subject, a text/plain part and a text/html part. The
// built-in templates speak English, Dutch, German and French; the locale
// is chosen from Customer.Locale by RFC 4647 lookup ("nl-BE" tries nl-be,
// then nl), then the store's default locale, then English. They show the
// customer's name, the order reference and, per package, the carrier, the
// tracking number and link (from the Linker: the channel mapping or the
// carrier catalogue, with the destination where the carrier's page needs
// it) and the items. A store overrides them with Templates (text/template
// for subject and text, html/template for HTML, which escapes every value);
// New fails on a template that does not parse or names a field Data lacks,
// so nothing breaks when a customer's email is due. Preview renders an
// email without sending it.
//
// # Sending
//
// A Mailer sends one Message. SMTPMailer does it over SMTP with
// github.com/wneessen/go-mail: STARTTLS (required) or implicit TLS, AUTH,
// connections kept open and reused across emails (one by default), a
// timeout per email, multipart/alternative with the link in both parts,
// Message-ID and Date headers, List-Unsubscribe where the store has one.
// Temporary failures (4xx replies, dropped connections, timeouts) are
// retried with backoff; permanent ones (5xx, a refused address) fail that
// email only, with the server's reply in the reason. A missing customer
// address fails the order's emails with an *AddressError naming the order.
// The SMTP password is a Secret: it never appears in logs, errors or
// formatted output. tracking/notify/notifytest runs a real SMTP server for
// tests.
//
// # Exactly once, and the one exception
//
// Each email has a ledger key: the order's channel, store and id, the
// package's id ("" for a per-order email) and purpose "notify:" + trigger.
// Before sending, the Notifier looks the key up (committed: nothing to
// send), claims it with a lease, notes the Message-ID with the lease
// (tracking.Ledger.Note), sends, and commits the Message-ID; a failed send
// releases the claim, and the next run sends again. A rerun therefore sends
// nothing twice, and two workers never send the same email at once.
//
// The exception is a worker that dies after the mail server accepted an
// email and before the commit. Nothing can tell then whether the email
// left: once the lease expires (the Syncer's lease TTL), a later run sends
// it again. The customer may then receive the same email twice. Both
// copies carry the same Message-ID (it is derived from the ledger key and
// the tracking numbers), so a mailbox that drops duplicates by Message-ID,
// as Gmail does, shows one; the second run logs a warning with the note
// the first left.
// The same holds when the server accepted the email but the connection
// broke before its reply arrived.
//
// # Results
//
// Export returns one tracking.ShipmentResult per package: Pushed when
// every email due for it was sent now (RemoteID holds the Message-IDs),
// AlreadyPushed when they were sent before, Waiting when an email is due
// later (no tracking number yet, order not fully shipped, waiting for the
// channel, another worker sending it), Failed with Retryable set for a
// temporary failure and not for a permanent one.
package notify
