package amazon

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/shopctrl/tracksync/internal/httpx"
)

// Feeds API 2021-06-30 (feeds_2021-06-30.json). A feed is uploaded to a
// presigned URL, submitted, processed asynchronously by Amazon, and
// answered with a processing report document.

// FeedTypeOrderFulfillment is the feed that confirms shipments in bulk.
const FeedTypeOrderFulfillment = "POST_ORDER_FULFILLMENT_DATA"

// FeedContentType is the content type of XML feeds; the upload must carry
// exactly the type the document was created with.
const FeedContentType = "text/xml; charset=UTF-8"

// maxDocumentSize bounds a downloaded report.
const maxDocumentSize = 64 << 20

// FeedDocument is a feed document: where to upload or download it.
type FeedDocument struct {
	FeedDocumentID       string `json:"feedDocumentId"`
	URL                  string `json:"url"`
	CompressionAlgorithm string `json:"compressionAlgorithm,omitempty"` // "GZIP" or ""
}

// Feed is a submitted feed and its processing state.
type Feed struct {
	FeedID               string   `json:"feedId"`
	FeedType             string   `json:"feedType"`
	MarketplaceIDs       []string `json:"marketplaceIds"`
	CreatedTime          string   `json:"createdTime"`
	ProcessingStatus     string   `json:"processingStatus"` // IN_QUEUE, IN_PROGRESS, DONE, CANCELLED, FATAL
	ProcessingStartTime  string   `json:"processingStartTime,omitempty"`
	ProcessingEndTime    string   `json:"processingEndTime,omitempty"`
	ResultFeedDocumentID string   `json:"resultFeedDocumentId,omitempty"`
}

// Finished reports whether Amazon is done with the feed.
func (f *Feed) Finished() bool {
	switch f.ProcessingStatus {
	case "DONE", "CANCELLED", "FATAL":
		return true
	}
	return false
}

// CreateFeedDocument asks for an upload URL (valid about five minutes).
func (c *Client) CreateFeedDocument(ctx context.Context, contentType string) (*FeedDocument, *Response, error) {
	var doc FeedDocument
	resp, err := c.do(ctx, call{op: opCreateFeedDocument, method: http.MethodPost, path: "/feeds/2021-06-30/documents",
		ok: http.StatusCreated, body: map[string]string{"contentType": contentType}}, &doc)
	if err != nil {
		return nil, resp, err
	}
	return &doc, resp, c.checkDocumentURL(doc.URL)
}

// UploadFeedDocument puts content to the document's presigned URL with the
// same content type and without SP-API credentials (a presigned URL
// refuses them). A PUT of the same content is idempotent, so it is retried
// like a read. Errors never hold the URL's signature.
func (c *Client) UploadFeedDocument(ctx context.Context, doc *FeedDocument, contentType string, content []byte) error {
	if err := c.checkDocumentURL(doc.URL); err != nil {
		return err
	}
	a, err := c.exchange(ctx, exchange{op: opUpload, method: http.MethodPut, url: doc.URL, body: content, contentType: contentType, safe: true, maxBody: 2048})
	if err != nil {
		return fmt.Errorf("amazon: upload feed document %s: %w", doc.FeedDocumentID, err)
	}
	if err := redirected(opUpload, a); err != nil {
		return err
	}
	if a.status/100 != 2 {
		return &DocumentError{Operation: opUpload, DocumentID: doc.FeedDocumentID, StatusCode: a.status, Body: httpx.Redact(string(a.body))}
	}
	return nil
}

// DocumentError is a failed upload or download of a feed document (S3's
// answer). It never holds the presigned URL.
type DocumentError struct {
	Operation  string // uploadFeedDocument or downloadFeedDocument
	DocumentID string
	StatusCode int
	Body       string // the start of S3's answer, redacted
}

// Error describes the problem for a person; it never holds a secret.
func (e *DocumentError) Error() string {
	msg := fmt.Sprintf("amazon: %s %s: HTTP %d", e.Operation, e.DocumentID, e.StatusCode)
	if e.Body != "" {
		msg += ": " + e.Body
	}
	return msg
}

// Retryable implements the tracking.Classify contract: S3's 5xx and 503
// SlowDown pass; a refused signature or an expired URL does not.
func (e *DocumentError) Retryable() bool {
	return e.StatusCode == http.StatusTooManyRequests || e.StatusCode >= 500
}

// CreateFeedRequest is the Feeds API's CreateFeedSpecification.
type CreateFeedRequest struct {
	FeedType            string   `json:"feedType"`
	MarketplaceIDs      []string `json:"marketplaceIds"`
	InputFeedDocumentID string   `json:"inputFeedDocumentId"`
}

// CreateFeed submits an uploaded document (usage plan 0.0083/s, burst 15:
// about one feed per two minutes once the burst is spent). It is not
// resent after an unknown outcome: a second feed would be processed again.
func (c *Client) CreateFeed(ctx context.Context, req CreateFeedRequest) (string, *Response, error) {
	for _, m := range req.MarketplaceIDs {
		if err := c.region.checkMarketplace(m); err != nil {
			return "", nil, err
		}
	}
	var out struct {
		FeedID string `json:"feedId"`
	}
	resp, err := c.do(ctx, call{op: opCreateFeed, method: http.MethodPost, path: "/feeds/2021-06-30/feeds", ok: http.StatusAccepted, body: req}, &out)
	return out.FeedID, resp, err
}

// FeedQuery filters GetFeeds (feeds_2021-06-30.json getFeeds).
type FeedQuery struct {
	FeedTypes          []string  // required: at least one
	MarketplaceIDs     []string  // optional
	ProcessingStatuses []string  // optional: IN_QUEUE, IN_PROGRESS, DONE, CANCELLED, FATAL
	CreatedSince       time.Time // zero: Amazon's default, 90 days ago (feeds are kept 90 days)
	CreatedUntil       time.Time // zero: now
}

// GetFeeds lists the seller's feeds that match q, every page (pageSize
// 100; usage plan 0.0222/s, burst 10, so a listing of more than ten pages
// takes 45 s a page).
func (c *Client) GetFeeds(ctx context.Context, q FeedQuery) ([]Feed, error) {
	if len(q.FeedTypes) == 0 {
		return nil, fmt.Errorf("%w: GetFeeds needs at least one feed type", ErrRequest)
	}
	v := url.Values{"feedTypes": {strings.Join(q.FeedTypes, ",")}, "pageSize": {"100"}}
	if len(q.MarketplaceIDs) > 0 {
		v.Set("marketplaceIds", strings.Join(q.MarketplaceIDs, ","))
	}
	if len(q.ProcessingStatuses) > 0 {
		v.Set("processingStatuses", strings.Join(q.ProcessingStatuses, ","))
	}
	if !q.CreatedSince.IsZero() {
		v.Set("createdSince", q.CreatedSince.UTC().Format(time.RFC3339))
	}
	if !q.CreatedUntil.IsZero() {
		v.Set("createdUntil", q.CreatedUntil.UTC().Format(time.RFC3339))
	}
	var all []Feed
	for range 1000 { // a runaway nextToken must not loop for ever
		var page struct {
			Feeds     []Feed `json:"feeds"`
			NextToken string `json:"nextToken"`
		}
		if _, err := c.do(ctx, call{op: opGetFeeds, method: http.MethodGet, safe: true, ok: http.StatusOK,
			path: "/feeds/2021-06-30/feeds", query: v}, &page); err != nil {
			return nil, err
		}
		all = append(all, page.Feeds...)
		if page.NextToken == "" {
			return all, nil
		}
		// "call the getFeeds operation with this token as the only
		// parameter" (getFeeds nextToken).
		v = url.Values{"nextToken": {page.NextToken}}
	}
	return nil, fmt.Errorf("amazon: getFeeds: more than 1000 pages")
}

// GetFeed reads a feed's processing state.
func (c *Client) GetFeed(ctx context.Context, feedID string) (*Feed, *Response, error) {
	var f Feed
	resp, err := c.do(ctx, call{op: opGetFeed, method: http.MethodGet, safe: true, ok: http.StatusOK,
		path: "/feeds/2021-06-30/feeds/" + url.PathEscape(feedID)}, &f)
	if err != nil {
		return nil, resp, err
	}
	return &f, resp, nil
}

// GetFeedDocument returns where to download a (result) document.
func (c *Client) GetFeedDocument(ctx context.Context, documentID string) (*FeedDocument, *Response, error) {
	var doc FeedDocument
	resp, err := c.do(ctx, call{op: opGetFeedDocument, method: http.MethodGet, safe: true, ok: http.StatusOK,
		path: "/feeds/2021-06-30/documents/" + url.PathEscape(documentID)}, &doc)
	if err != nil {
		return nil, resp, err
	}
	return &doc, resp, c.checkDocumentURL(doc.URL)
}

// DownloadFeedDocument fetches a document's content, gunzipped when Amazon
// compressed it.
func (c *Client) DownloadFeedDocument(ctx context.Context, doc *FeedDocument) ([]byte, error) {
	if err := c.checkDocumentURL(doc.URL); err != nil {
		return nil, err
	}
	a, err := c.exchange(ctx, exchange{op: opDownload, method: http.MethodGet, url: doc.URL, safe: true, maxBody: maxDocumentSize})
	if err != nil {
		return nil, fmt.Errorf("amazon: download feed document %s: %w", doc.FeedDocumentID, err)
	}
	if err := redirected(opDownload, a); err != nil {
		return nil, err
	}
	if a.status != http.StatusOK {
		return nil, &DocumentError{Operation: opDownload, DocumentID: doc.FeedDocumentID, StatusCode: a.status}
	}
	if !strings.EqualFold(doc.CompressionAlgorithm, "GZIP") {
		return a.body, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(a.body))
	if err != nil {
		return nil, fmt.Errorf("amazon: feed document %s: %w", doc.FeedDocumentID, err)
	}
	defer zr.Close()
	data, err := io.ReadAll(io.LimitReader(zr, maxDocumentSize))
	if err != nil {
		return nil, fmt.Errorf("amazon: feed document %s: %w", doc.FeedDocumentID, err)
	}
	return data, nil
}

// checkDocumentURL accepts https document URLs (Amazon's presigned S3
// URLs), and loopback ones when the client itself talks to a loopback
// test server: a URL from an answer must not lead the client anywhere.
func (c *Client) checkDocumentURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%w: feed document URL %q is not a URL", ErrRequest, withoutQuery(raw))
	}
	if c.testing && checkLoopback(raw) == nil || !c.testing && u.Scheme == "https" {
		return nil
	}
	return fmt.Errorf("%w: feed document URL %s: want https", ErrRequest, withoutQuery(raw))
}

// Created is the feed's createdTime; zero when Amazon gave none.
func (f *Feed) Created() time.Time {
	t, err := time.Parse(time.RFC3339, f.CreatedTime)
	if err != nil {
		return time.Time{}
	}
	return t
}
