// Package httpx is the HTTP plumbing shared by the Shopify and Amazon
// clients.
//
// It exists so that the two channel clients cannot drift apart on the rules
// that hurt most when they are wrong in production:
//
//   - never replaying a request the server may already have processed (a
//     POST that created a fulfillment must not create a second one);
//   - honouring a server's Retry-After hint, but not letting a hostile or
//     buggy server stall a sync forever;
//   - handing the caller the last 429/5xx response, body intact, so it can
//     build a typed error from the channel's error payload;
//   - never writing an access token, refresh token or client secret to a log;
//   - never sending one to another host: credential headers are dropped on
//     every redirect and a redirect to another origin is refused with
//     *RedirectError, before a header or a re-posted body can leave.
//
// NewClient assembles those pieces into a *retryablehttp.Client; callers
// mark POSTs that are safe to replay with Idempotent. The pieces are exported
// individually (Classify, CheckRetry, Backoff, ParseRetryAfter, Redact,
// RedactURL, RedactHeader, NewLeveledLogger, UserAgent, RedirectError,
// FormatRedacted) so tests and unusual callers can reuse them without
// re-deriving the rules.
package httpx
