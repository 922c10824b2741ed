package amazontest

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// getFeeds (feeds_2021-06-30.json getFeeds): GET /feeds/2021-06-30/feeds
// lists the seller's feeds, newest first, filtered by feedTypes (required
// unless nextToken is given; at most 10), marketplaceIds (at most 10),
// processingStatuses, createdSince (default 90 days ago: "Feeds are
// retained for a maximum of 90 days") and createdUntil (default now), in
// pages of pageSize (1 to 100, default 10). A page that is not the last
// carries a nextToken, which must then be "the only parameter". Array
// parameters are comma-separated (Swagger 2.0's default csv format) or
// repeated.

// feedRetention is how long Amazon keeps feeds.
const feedRetention = 90 * 24 * time.Hour

// feedListQuery is a getFeeds filter; a nextToken encodes it with the
// offset of the next page.
type feedListQuery struct {
	FeedTypes    []string  `json:"t"`
	Marketplaces []string  `json:"m,omitempty"`
	Statuses     []string  `json:"s,omitempty"`
	Since        time.Time `json:"a"`
	Until        time.Time `json:"b"`
	PageSize     int       `json:"n"`
	Offset       int       `json:"o"`
}

type getFeedsResponse struct {
	Feeds     []feedJSON `json:"feeds"`
	NextToken string     `json:"nextToken,omitempty"`
}

var feedStatuses = []string{FeedCancelled, FeedDone, FeedFatal, FeedInProgress, FeedInQueue}

// getFeeds serves getFeeds.
func (s *Server) getFeeds(c *call) response {
	q, bad := parseFeedList(c.r.URL.Query(), c.now)
	if bad != nil {
		return *bad
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var match []*feed
	for _, f := range slices.Backward(s.feeds) {
		if f.seller == c.seller && q.matches(f) {
			match = append(match, f)
		}
	}
	out := getFeedsResponse{Feeds: []feedJSON{}}
	end := min(q.Offset+q.PageSize, len(match))
	for _, f := range match[min(q.Offset, len(match)):end] {
		out.Feeds = append(out.Feeds, s.feedView(f))
	}
	if end < len(match) {
		next := q
		next.Offset = end
		b, _ := json.Marshal(next)
		out.NextToken = base64.RawURLEncoding.EncodeToString(b)
	}
	return jsonOK(out)
}

func (q feedListQuery) matches(f *feed) bool {
	return slices.Contains(q.FeedTypes, f.feedType) &&
		(len(q.Marketplaces) == 0 || slices.ContainsFunc(f.marketplaces, func(m string) bool { return slices.Contains(q.Marketplaces, m) })) &&
		(len(q.Statuses) == 0 || slices.Contains(q.Statuses, f.status)) &&
		!f.created.Before(q.Since) && !f.created.After(q.Until)
}

// parseFeedList reads getFeeds' parameters, or the 400 they get.
func parseFeedList(v url.Values, now time.Time) (feedListQuery, *response) {
	fail := func(format string, args ...any) (feedListQuery, *response) {
		r := feedInvalid(format, args...)
		return feedListQuery{}, &r
	}
	if tok := v.Get("nextToken"); tok != "" {
		if len(v) > 1 {
			return fail("nextToken must be the only parameter.")
		}
		var q feedListQuery
		b, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil || json.Unmarshal(b, &q) != nil || q.PageSize < 1 || q.Offset < 0 {
			return fail("nextToken %q is not a token getFeeds returned.", tok)
		}
		return q, nil
	}
	list := func(name string) []string {
		var out []string
		for _, x := range v[name] {
			for _, p := range strings.Split(x, ",") {
				if p = strings.TrimSpace(p); p != "" {
					out = append(out, p)
				}
			}
		}
		return out
	}
	q := feedListQuery{FeedTypes: list("feedTypes"), Marketplaces: list("marketplaceIds"), Statuses: list("processingStatuses"),
		Since: now.Add(-feedRetention), Until: now, PageSize: 10}
	switch {
	case len(q.FeedTypes) == 0:
		return fail("Either feedTypes or nextToken is required.")
	case len(q.FeedTypes) > 10:
		return fail("feedTypes takes at most 10 values.")
	case len(q.Marketplaces) > 10:
		return fail("marketplaceIds takes at most 10 values.")
	}
	for _, st := range q.Statuses {
		if !slices.Contains(feedStatuses, st) {
			return fail("processingStatuses value %q is not one of %s.", st, strings.Join(feedStatuses, ", "))
		}
	}
	if p := v.Get("pageSize"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 100 {
			return fail("pageSize must be an integer from 1 to 100.")
		}
		q.PageSize = n
	}
	for name, t := range map[string]*time.Time{"createdSince": &q.Since, "createdUntil": &q.Until} {
		if x := v.Get(name); x != "" {
			parsed, err := time.Parse(time.RFC3339Nano, x)
			if err != nil {
				return fail("%s %q is not an ISO 8601 date-time.", name, x)
			}
			*t = parsed
		}
	}
	if q.Since.After(q.Until) {
		return fail("createdSince is after createdUntil.")
	}
	return q, nil
}
