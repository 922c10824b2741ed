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

	"github.com/hashicorp/go-retryablehttp"

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
// like a read.
func (c *Client) UploadFeedDocument(ctx context.Context, doc *FeedDocument, contentType string, content []byte) error {
	if err := c.checkDocumentURL(doc.URL); err != nil {
		return err
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodPut, doc.URL, bytes.NewReader(content))
	if err != nil {
		return fmt.Errorf("amazon: upload feed document: %w", err)
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("amazon: upload feed document: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
		return fmt.Errorf("amazon: upload feed document %s: HTTP %d: %s", doc.FeedDocumentID, resp.StatusCode, httpx.Redact(string(body)))
	}
	return nil
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
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodGet, doc.URL, nil)
	if err != nil {
		return nil, fmt.Errorf("amazon: download feed document: %w", err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("amazon: download feed document: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("amazon: download feed document %s: HTTP %d", doc.FeedDocumentID, resp.StatusCode)
	}
	var r io.Reader = io.LimitReader(resp.Body, maxDocumentSize)
	if strings.EqualFold(doc.CompressionAlgorithm, "GZIP") {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("amazon: feed document %s: %w", doc.FeedDocumentID, err)
		}
		defer zr.Close()
		r = io.LimitReader(zr, maxDocumentSize)
	}
	data, err := io.ReadAll(r)
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
		return fmt.Errorf("amazon: feed document URL %q is not a URL", httpx.Redact(raw))
	}
	if testing := checkLoopback(c.base) == nil; testing && checkLoopback(raw) == nil || !testing && u.Scheme == "https" {
		return nil
	}
	return fmt.Errorf("amazon: feed document URL %s: want https", httpx.RedactURL(u))
}
