// Package shopify pushes shipments to Shopify as fulfillments through the
// GraphQL Admin API.
//
// Client talks to one shop (ForShop derives clients for other shops that
// share connections and pacing). Requests go to
// https://{shop}.myshopify.com/admin/api/{version}/graphql.json with the
// X-Shopify-Access-Token header; shop names are normalized by
// NormalizeShop, which refuses every host but a myshopify.com subdomain.
// Do runs any operation; Order (ReadOrder), FulfillmentLines,
// CreateFulfillments, MoveFulfillmentOrders and UpdateTracking are the
// typed operations the Exporter uses.
//
// Pacing: Shopify limits each app and shop by a leaky bucket of query cost
// points (https://shopify.dev/docs/api/usage/limits). It takes a request's
// requested cost before running it and refunds requested − actual once the
// query ran. The client keeps the same bucket per shop: a request waits
// until its requested cost is there and takes it; the answer's refund comes
// back; each answer's extensions.cost.throttleStatus puts the copy in step
// with the server, unless a newer answer already did. Waiting requests are
// served writes first, whenever the level changes, never later than the
// refill allows. The cost reserved for the client's own documents is what
// Shopify reported for them (the estimate of internal/gqlcost until then).
// Until the first answer from a shop tells its bucket, one request at a
// time goes out. A request that would wait longer than WithMaxWait (a long
// queue, or an implausible restore rate) fails at once with a retryable
// *WaitError. A THROTTLED answer (HTTP 200, errors[].extensions.code) is
// retried once the bucket holds the cost. Every Response carries the Cost
// Shopify reported, and every HTTP attempt is reported to the
// tracking.Observer of the context (tracking.ObserverFrom).
//
// Reads are sized to the order: OrderSize says how many fulfillment
// orders, line items and fulfillments a read asks for (the Exporter sizes
// it from the host's packages), no read asks for more than the shop's
// bucket or Shopify's single-query limit of 1000, and lists page on only
// where an answer says there is more, at most MaxPages pages each. An
// order's fulfillments are read through its fulfillment orders' paged
// fulfillments, so any number of them is seen.
//
// Errors: *HTTPError (401 ErrUnauthorized, 403 ErrForbidden, 404
// ErrNotFound, 5xx ErrServer), *ErrorResponse for top-level GraphQL errors
// (ErrThrottled, ErrAccessDenied, ErrMaxCost by their codes),
// *ThrottledError, *WaitError (ErrWaitTooLong), *UserErrors for a
// mutation's userErrors, ErrPageLimit and ErrOutcomeUnknown. Each says
// whether trying again can help (Retryable) and, where the server said,
// when (RetryAfter), as tracking.Classify reads them. Access tokens never
// appear in errors, logs or String output.
//
// Exporter is the tracking.Exporter of Channel ("shopify"): once an order
// is fully shipped, each package becomes one fulfillment at the location it
// left from (moving fulfillment order items there first when Shopify
// assigned them elsewhere; the move's answer holds the moved fulfillment
// orders, so no second read is needed), with its items, the carrier's
// tracking company, number and URL (from a Mapping such as
// mapping.Static). Several packages go in one request as aliased
// fulfillmentCreate mutations; an export's first read sets aside the points
// of its first write, so that an order whose read was answered gets its
// write before other orders' reads. It reads the order before writing and
// treats a fulfillment with the package's tracking number and exactly its
// items as that package, so that a repeated or retried export never creates
// a second fulfillment while two packages under one number are still two;
// a write whose outcome is unknown is read back before anything is sent
// again; every write is fenced by the Syncer's lease
// (tracking.Run.Check), checked right before it is sent. A changed
// tracking number is an update (fulfillmentTrackingInfoUpdate).
// ShopClients (or any Shops) gives it the client of each shop.
//
// The fake Admin API in shopify/shopifytest runs the same wire format on
// loopback for tests (point a client at it with WithBaseURL), or in
// process for testing/synctest (give WithHTTPClient its Transport).
package shopify
