// Package amazon confirms merchant-fulfilled Amazon orders' shipments
// through the Selling Partner API (SP-API).
//
// Client talks to the SP-API for one seller in one Region (NorthAmerica,
// Europe, FarEast; WithSandbox for the static sandbox). It authenticates
// with Login with Amazon: the refresh token in Credentials is exchanged for
// an access token (x-amz-access-token; SigV4 is no longer required), cached
// and refreshed a minute before it expires, one refresh at a time for all
// goroutines. A marketplace used against a region that does not serve it
// is an error before any call (LookupMarketplace, SplitStore).
//
// Pacing: every operation has a token bucket at its usage plan (rate per
// second and burst, from Amazon's API models; WithUsagePlan overrides),
// retuned when an answer carries x-amzn-RateLimit-Limit. 429 (which has no
// Retry-After), 5xx and transport errors are retried with jittered
// exponential backoff where repeating is safe: reads, confirmations (their
// package reference makes a repeat an edit) and document uploads — never
// createFeed. Errors are *ErrorResponse with Amazon's codes, messages and
// x-amzn-RequestId (ErrInvalidInput, ErrUnauthorized, ErrNotFound,
// ErrQuotaExceeded, ErrServer), *LWAError for refused tokens; credentials
// never appear in errors, logs or String output.
//
// Operations: ConfirmShipment (Orders v0), GetOrder (Orders 2026-01-01 with
// FULFILLMENT and PACKAGES, for reconciliation), and the Feeds 2021-06-30
// calls CreateFeedDocument, UploadFeedDocument, CreateFeed, GetFeed,
// GetFeedDocument, DownloadFeedDocument, with the order fulfillment feed's
// XML and ParseProcessingReport.
//
// Exporter is the tracking.Exporter: each package with a tracking number is
// confirmed on its own call, in order of dispatch, under a stable
// PackageReferenceID, after reading the order's packages (AlreadyPushed
// when Amazon holds the tracking number already). FeedExporter sends the
// same confirmations in bulk as feeds. Sellers (SellerClients) gives them
// a client per seller.
//
// The fake SP-API and LWA server in amazon/amazontest runs the same wire
// format on loopback for tests; point a client at it with WithBaseURL and
// WithLWAEndpoint.
package amazon
