// Package shopifytest runs an in-process fake of Shopify's GraphQL Admin
// API for tests, the way net/http/httptest runs a fake HTTP server: a real
// HTTP server on a loopback address that speaks Shopify's wire format, so
// that tracksync's shopify.Client, or any other client, talks to it
// unchanged.
//
// A test starts a Server, seeds shops, locations and orders through the Go
// API, points its client at Server.URL with the shop's myshopify.com domain
// as the Host header, and afterwards inspects what the fake recorded:
//
//	srv := shopifytest.NewServer()
//	defer srv.Close()
//	shop := srv.AddShop("acme.myshopify.com", "shpat_test")
//	ref := shop.AddOrder(shopifytest.OrderSeed{
//		Name:  "#1001",
//		Lines: []shopifytest.LineSeed{{SKU: "MUG", Quantity: 2}},
//	})
//	// … run the code under test against srv.URL() …
//	fulfillments := shop.Fulfillments(ref.ID)
//
// What is real: the endpoint POST /admin/api/{version}/graphql.json, the
// X-Shopify-Access-Token header, the shop chosen by Host, version fall
// forward with the X-Shopify-API-Version header, GraphQL parsing and
// validation against a subset of the real Admin schema (schema.graphql),
// execution with variables, aliases, fragments and field errors, the
// calculated-cost leaky bucket with extensions.cost — the requested cost
// taken before the query runs, requested − actual refunded after it ran
// (WithQueryTime lets it run a while), counted by the fake's own reading of
// Shopify's cost rules, which shares no code with the client's estimate —
// THROTTLED, MAX_COST_EXCEEDED and ACCESS_DENIED errors, and the
// fulfillment-order state machine behind fulfillmentCreate,
// fulfillmentOrderMove and fulfillmentTrackingInfoUpdate. Faults (HTTP
// errors, delays, dropped connections before or after a mutation commits)
// can be injected.
//
// NewInProcess makes a fake without a listener, reached through Transport:
// inside a testing/synctest bubble the bubble's clock then drives the
// buckets, the latency and the client's waits, and a run of minutes takes
// the CPU time of its requests.
//
// What is simpler than Shopify is said where it is implemented; in short:
// one schema for every API version, no fulfillment services or fulfillment
// requests (requestStatus is always UNSUBMITTED), no automatic tracking
// URLs, no merging of fulfillment orders on move, and the `query` search
// arguments are accepted but ignored.
//
// Everything is safe for concurrent use.
package shopifytest
