// Package amazon confirms merchant-fulfilled Amazon orders' shipments
// through the Selling Partner API (SP-API).
//
// Client talks to the SP-API for one seller in one Region (NorthAmerica,
// Europe, FarEast; WithSandbox for the static sandbox). It authenticates
// with Login with Amazon: the refresh token in Credentials is exchanged for
// an access token (x-amz-access-token; SigV4 is no longer required), cached
// and refreshed a minute before it expires, one refresh at a time for all
// goroutines. A marketplace used against a region that does not serve it
// is an error before any call (LookupMarketplace, SplitStore). Test
// endpoints are all or nothing: WithTestEndpoints(srv.URL(),
// srv.LWAEndpoint()) points both hosts at amazontest; WithBaseURL without
// WithLWAEndpoint (or the reverse) is ErrConfig at NewClient, so that a
// client aimed at a test server never asks Amazon's real LWA for a token.
//
// Pacing: every operation has a token bucket at its usage plan (rate per
// second and burst, from Amazon's API models; WithUsagePlan overrides),
// retuned when an answer carries x-amzn-RateLimit-Limit. Every attempt
// draws a token, retries included, in the order the callers came. The
// bucket starts full but refills only from the first answer (Amazon's
// starts when the first request arrives, which the client cannot see), a
// 429 empties it, and it runs 1% under the plan: it is never ahead of
// Amazon's. 429 (which has no Retry-After) waits for the bucket; 5xx and
// transport errors are retried with jittered exponential backoff where
// repeating is safe: reads, confirmations (their package reference makes a
// repeat an edit) and document transfers — never createFeed. No request
// follows a redirect (*RedirectError), so the access token, client secret
// and refresh token never reach another host. Every attempt is reported
// to the context's tracking.Observer (RequestDone).
//
// Errors are *ErrorResponse with Amazon's codes, messages and
// x-amzn-RequestId (ErrInvalidInput, ErrUnauthorized, ErrNotFound,
// ErrQuotaExceeded, ErrServer), *LWAError for refused tokens,
// *DocumentError for feed document transfers, *FeedError for a package a
// feed refused or whose feed failed, *RedirectError, and ErrRequest,
// ErrMarketplace, ErrConfig for what the client refuses to send. All say
// through Retryable (and, for a 429, RetryAfter) whether trying again can
// help, as tracking.Classify reads them. Credentials, Seller,
// SellerClients and Client print no secret with any fmt verb, slog
// handler or JSON; errors never hold a presigned URL's signature.
//
// Operations: ConfirmShipment (Orders v0), GetOrder (Orders 2026-01-01 with
// FULFILLMENT and PACKAGES, for reconciliation), and the Feeds 2021-06-30
// calls CreateFeedDocument, UploadFeedDocument, CreateFeed, GetFeeds,
// GetFeed, GetFeedDocument, DownloadFeedDocument, with the order
// fulfillment feed's XML and ParseProcessingReport.
//
// Exporter is the tracking.Exporter of Channel: each package with a
// tracking number is confirmed on its own call, in order of dispatch,
// under a stable PackageReferenceID, at once: a repeat is an edit, so
// exactly-once needs no read, and the Syncer reaches the confirmShipment
// plan. The order is read (getOrder, a quarter of that plan) only to
// explain a refusal — pending waits, cancelled fails, a package Amazon
// already holds is AlreadyPushed — or for a package a feed made. A
// package is recognized by its reference, or by its tracking number
// together with its items and quantities, never by the number alone (two
// packages may share one). Refusals are told apart by Amazon's codes
// first and their message text only as a fallback.
//
// FeedExporter sends the same confirmations in bulk as feeds, exactly
// once: before createFeed each shipment's ledger key gets a note naming
// the feed document and message (tracking.Run.SetNote), after it one
// naming the feed, so a restarted or taken-over run reads that feed's
// report instead of sending again. Where the ledger knows nothing of a
// shipment dispatched before a feed this process did not send (a lost
// ledger), the order is read first, after the feeds then in flight are
// done, at getOrder's pace (about 2 s an order past a burst of 30; each
// such result says how long its read took). A FATAL feed's packages are
// looked for on their orders before they are sent again.
//
// Every write is fenced by its shipment's lease: tracking.Run.Check runs
// right before each attempt of confirmShipment and createFeed, after the
// wait for the usage plan. Mapping (mapping.Static implements it) resolves
// carriers; Sellers (SellerClients) gives a client per seller.
//
// The fake SP-API and LWA server in amazon/amazontest runs the same wire
// format on loopback for tests.
package amazon
