// Package shopify pushes shipments to Shopify as fulfillments through the
// GraphQL Admin API.
//
// Client talks to one shop (ForShop derives clients for other shops that
// share connections and pacing). Requests go to
// https://{shop}.myshopify.com/admin/api/{version}/graphql.json with the
// X-Shopify-Access-Token header; shop names are normalized by
// NormalizeShop, which refuses every host but a myshopify.com subdomain.
// Do runs any operation; Order, CreateFulfillments, MoveFulfillmentOrders
// and UpdateTracking are the typed operations the Exporter uses.
//
// Pacing: Shopify limits each app and shop by a leaky bucket of query cost
// points (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits).
// The client keeps a copy of every shop's bucket, waits until a request's
// requested cost is available, and re-syncs from the
// extensions.cost.throttleStatus of every answer, so it runs near the
// shop's restore rate without being refused. Until the first answer from a
// shop tells its bucket, one request at a time goes out. A THROTTLED answer
// (HTTP 200, errors[].extensions.code) is retried after the time the bucket
// needs. Every Response carries the Cost Shopify reported.
//
// Errors: *HTTPError (401 ErrUnauthorized, 403 ErrForbidden, 404
// ErrNotFound, 5xx ErrServer), *ErrorResponse for top-level GraphQL errors
// (ErrThrottled, ErrAccessDenied, ErrMaxCost by their codes),
// *ThrottledError, and *UserErrors for a mutation's userErrors. Access
// tokens never appear in errors, logs or String output.
//
// Exporter is the tracking.Exporter: once an order is fully shipped, each
// package becomes one fulfillment at the location it left from (moving
// fulfillment order items there first when Shopify assigned them
// elsewhere), with its items, the carrier's tracking company, number and
// URL (from the mapping package). Several packages go in one request as
// aliased fulfillmentCreate mutations. It reads the order before writing
// and treats a fulfillment that already carries a package's tracking
// number as that package, so that a repeated or retried export never
// creates a second fulfillment; a changed tracking number is an update
// (fulfillmentTrackingInfoUpdate). ShopClients (or any Shops) gives it the
// client of each shop.
//
// The fake Admin API in shopify/shopifytest runs the same wire format on
// loopback for tests; point a client at it with WithBaseURL.
package shopify
