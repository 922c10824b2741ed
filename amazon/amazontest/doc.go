// Package amazontest runs an in-process fake of Amazon's Selling Partner
// API (SP-API) and of the Login with Amazon (LWA) token endpoint for tests,
// the way net/http/httptest runs a fake HTTP server: a real HTTP server on
// a loopback address that speaks the SP-API's wire format, so that
// tracksync's amazon client, or any other client, talks to it unchanged.
//
// A test starts a Server, registers sellers with their LWA credentials,
// seeds orders, points its client's SP-API and LWA endpoints at URL, and
// afterwards inspects what the fake recorded:
//
//	srv := amazontest.NewServer()
//	defer srv.Close()
//	seller := srv.AddSeller("A2SELLER", amazontest.Credentials{
//		ClientID: "amzn1.application-oa2-client.test", ClientSecret: "secret",
//		RefreshToken: "Atzr|refresh",
//	})
//	o, _ := seller.AddOrder(amazontest.OrderSeed{
//		Items: []amazontest.ItemSeed{{SKU: "MUG", Quantity: 2}},
//	})
//	// … run the code under test against srv.URL() …
//	packages := seller.Packages(o.AmazonOrderID)
//
// What is served, by the published models (ordersV0.json,
// orders_2026-01-01.json, feeds_2021-06-30.json, the feed XSDs) and what
// Amazon's documentation and production answers show:
//
//   - LWA: POST /auth/o2/token, grant_type=refresh_token, access tokens
//     that expire (WithTokenTTL) by the injectable clock (WithClock).
//   - SP-API access: x-amz-access-token (403 Unauthorized when missing,
//     invalid or expired), a required user-agent, x-amzn-RequestId on
//     every answer, x-amzn-RateLimit-Limit on 2xx, 400 and 404.
//   - Usage plans: a token bucket per seller and operation at the models'
//     rates (DefaultUsagePlans, WithUsagePlan); 429 QuotaExceeded.
//   - Orders v0: confirmShipment (packages by packageReferenceId, edits,
//     quantities over all packages, order state Unshipped →
//     PartiallyShipped → Shipped, Ship+ and other refusals), getOrder,
//     getOrderItems.
//   - Orders 2026-01-01: getOrder with includedData FULFILLMENT and
//     PACKAGES.
//   - Feeds 2021-06-30: createFeedDocument, presigned upload and download
//     URLs with S3's failures, createFeed, getFeeds, getFeed, cancelFeed,
//     getFeedDocument; POST_ORDER_FULFILLMENT_DATA feeds are parsed,
//     applied to the orders and answered with an XML processing report
//     (optionally GZIP, WithGzipReports), advancing IN_QUEUE →
//     IN_PROGRESS → DONE or FATAL by the clock (WithFeedTiming).
//   - Faults: injected statuses, delays and dropped connections before or
//     after a write commits (InjectFault); a fraction of charged requests
//     failing with 500/503 (WithServerErrors).
//
// What is simpler than Amazon is said where it is implemented; in short:
// no AWS SigV4 (no longer required by the SP-API), no grantless LWA
// grants, no Restricted Data Tokens, no getOrders/searchOrders,
// no buyer, address or financial data, only the
// POST_ORDER_FULFILLMENT_DATA feed type, no dynamic usage plans, feeds
// processed side by side rather than one after another, confirmed
// packages that stay SHIPPED (no carrier tracking), and
// ResultMessageCode numbers of the fake's own where Amazon publishes none.
// Where the fake is stricter than Amazon (a missing user-agent is
// refused), it says so.
//
// The fake needs no goroutines of its own: feeds advance when a request
// or an inspection looks at them. Server.Handler serves it in memory, so
// that a test can run inside a testing/synctest bubble with the bubble's
// clock.
//
// Everything is safe for concurrent use, and no request, however
// malformed, makes it panic.
package amazontest
