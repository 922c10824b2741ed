package amazontest

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func (e *env) listFeeds(q url.Values) (getFeedsResponse, result) {
	e.t.Helper()
	r := e.call(http.MethodGet, "/feeds/2021-06-30/feeds?"+q.Encode(), nil)
	var out getFeedsResponse
	if r.status == http.StatusOK {
		r.decode(e.t, &out)
	}
	return out, r
}

func TestGetFeedsFiltersAndPages(t *testing.T) {
	e := newEnv(t, WithFeedTiming(time.Minute, time.Minute))
	e.addOrderA()
	var ids []string
	for range 3 {
		ids = append(ids, e.submit(fulfillmentFeed(fulfillmentMessage(orderA, "T1", [2]string{itemA1, "1"}))))
		e.clock.Advance(time.Minute)
	}
	all, r := e.listFeeds(url.Values{"feedTypes": {FeedTypeOrderFulfillment}})
	require.Equal(t, http.StatusOK, r.status)
	require.Equal(t, "0.0222", r.header.Get("x-amzn-RateLimit-Limit"))
	require.Len(t, all.Feeds, 3)
	require.Equal(t, ids[2], all.Feeds[0].FeedID, "newest first")
	require.Empty(t, all.NextToken)

	// Now the first two are DONE, the third is IN_PROGRESS.
	require.Equal(t, []string{FeedInProgress, FeedDone, FeedDone}, []string{all.Feeds[0].ProcessingStatus, all.Feeds[1].ProcessingStatus, all.Feeds[2].ProcessingStatus})
	inFlight, _ := e.listFeeds(url.Values{"feedTypes": {FeedTypeOrderFulfillment}, "processingStatuses": {"IN_QUEUE", "IN_PROGRESS"}})
	require.Len(t, inFlight.Feeds, 1)
	require.Equal(t, ids[2], inFlight.Feeds[0].FeedID)

	until, _ := e.listFeeds(url.Values{"feedTypes": {FeedTypeOrderFulfillment}, "createdUntil": {t0.Add(30 * time.Second).Format(time.RFC3339)}})
	require.Len(t, until.Feeds, 1)
	require.Equal(t, ids[0], until.Feeds[0].FeedID)

	other, _ := e.listFeeds(url.Values{"feedTypes": {"POST_PRODUCT_DATA"}})
	require.Empty(t, other.Feeds)
	mkt, _ := e.listFeeds(url.Values{"feedTypes": {FeedTypeOrderFulfillment}, "marketplaceIds": {"A1PA6795UKMFR9"}})
	require.Empty(t, mkt.Feeds)

	page, _ := e.listFeeds(url.Values{"feedTypes": {FeedTypeOrderFulfillment}, "pageSize": {"2"}})
	require.Len(t, page.Feeds, 2)
	require.NotEmpty(t, page.NextToken)
	_, r = e.listFeeds(url.Values{"nextToken": {page.NextToken}, "pageSize": {"2"}})
	require.Equal(t, http.StatusBadRequest, r.status, "nextToken must be the only parameter")
	rest, _ := e.listFeeds(url.Values{"nextToken": {page.NextToken}})
	require.Len(t, rest.Feeds, 1)
	require.Equal(t, ids[0], rest.Feeds[0].FeedID)
	require.Empty(t, rest.NextToken)
}

func TestGetFeedsRefusesBadParameters(t *testing.T) {
	e := newEnv(t)
	for _, q := range []url.Values{
		{},
		{"feedTypes": {FeedTypeOrderFulfillment}, "pageSize": {"0"}},
		{"feedTypes": {FeedTypeOrderFulfillment}, "pageSize": {"101"}},
		{"feedTypes": {FeedTypeOrderFulfillment}, "processingStatuses": {"BAD_VALUE"}},
		{"feedTypes": {FeedTypeOrderFulfillment}, "createdSince": {"yesterday"}},
		{"feedTypes": {FeedTypeOrderFulfillment}, "createdSince": {t0.Format(time.RFC3339)}, "createdUntil": {t0.Add(-time.Hour).Format(time.RFC3339)}},
		{"nextToken": {"not-a-token"}},
	} {
		_, r := e.listFeeds(q)
		require.Equal(t, http.StatusBadRequest, r.status, "%v", q)
		require.Equal(t, CodeInvalidInput, r.onlyError(t).Code)
	}
}
