package amazontest

import (
	"crypto/hmac"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Feeds 2021-06-30 (feeds_2021-06-30.json): createFeedDocument hands out a
// presigned URL to upload the feed to (S3 on Amazon's side, here a path of
// the same server), createFeed queues the uploaded document, getFeed
// reports its processingStatus as it goes IN_QUEUE → IN_PROGRESS → DONE
// (or FATAL, or CANCELLED by cancelFeed while IN_QUEUE), and
// getFeedDocument hands out a presigned URL to the processing report.
//
// A feed advances by the server's clock, not by a goroutine: every request
// (and every inspection) first settles the feeds whose time has come, in
// creation order, so a feed's effect on orders is visible to any call made
// after its processingEndTime. Amazon processes a seller's feeds of one
// type one after another; the fake runs them side by side.

// FeedTypeOrderFulfillment is the one feed type the fake processes
// (POST_ORDER_FULFILLMENT_DATA, an XML AmazonEnvelope of OrderFulfillment
// messages).
const FeedTypeOrderFulfillment = "POST_ORDER_FULFILLMENT_DATA"

// Processing statuses (feeds_2021-06-30.json Feed.processingStatus).
const (
	FeedInQueue    = "IN_QUEUE"
	FeedInProgress = "IN_PROGRESS"
	FeedDone       = "DONE"
	FeedFatal      = "FATAL"
	FeedCancelled  = "CANCELLED"
)

// urlLifetime is how long a presigned document URL works: "This URL
// expires after 5 minutes." (feeds_2021-06-30.json
// CreateFeedDocumentResponse.url, FeedDocument.url).
const urlLifetime = 5 * time.Minute

// document is a feed document: one a seller uploads, or a processing
// report.
type document struct {
	id          string
	seller      *Seller
	contentType string
	created     time.Time
	data        []byte // as stored: a report is GZIP-compressed when compressed
	uploaded    bool
	report      bool
	compressed  bool
}

// feed is a submitted feed.
type feed struct {
	id           string
	seller       *Seller
	feedType     string
	marketplaces []string
	options      map[string]string
	input        *document
	read         []byte // the input as processing read it
	created      time.Time
	start, end   time.Time // when processing starts and ends
	status       string
	result       *document
	summary      reportSummary
}

// Feeds API shapes (feeds_2021-06-30.json definitions
// CreateFeedDocumentSpecification, CreateFeedDocumentResponse,
// CreateFeedSpecification, CreateFeedResponse, Feed, FeedDocument).
type (
	createFeedDocumentSpecification struct {
		ContentType *string `json:"contentType"`
	}
	createFeedDocumentResponse struct {
		FeedDocumentID string `json:"feedDocumentId"`
		URL            string `json:"url"`
	}
	createFeedSpecification struct {
		FeedType            *string           `json:"feedType"`
		MarketplaceIDs      *[]string         `json:"marketplaceIds"`
		InputFeedDocumentID *string           `json:"inputFeedDocumentId"`
		FeedOptions         map[string]string `json:"feedOptions"`
	}
	createFeedResponse struct {
		FeedID string `json:"feedId"`
	}
	feedJSON struct {
		FeedID               string   `json:"feedId"`
		FeedType             string   `json:"feedType"`
		MarketplaceIDs       []string `json:"marketplaceIds,omitempty"`
		CreatedTime          string   `json:"createdTime"`
		ProcessingStatus     string   `json:"processingStatus"`
		ProcessingStartTime  string   `json:"processingStartTime,omitempty"`
		ProcessingEndTime    string   `json:"processingEndTime,omitempty"`
		ResultFeedDocumentID string   `json:"resultFeedDocumentId,omitempty"`
	}
	feedDocumentJSON struct {
		FeedDocumentID       string `json:"feedDocumentId"`
		URL                  string `json:"url"`
		CompressionAlgorithm string `json:"compressionAlgorithm,omitempty"`
	}
)

// feedInvalid is the Feeds API's 400: the sandbox answers "Invalid input"
// with the same details (feeds_2021-06-30.json createFeed 400
// x-amzn-api-sandbox); the fake adds what was wrong.
func feedInvalid(format string, args ...any) response {
	return errorResponse(http.StatusBadRequest, newError(CodeInvalidInput, "Invalid input", fmt.Sprintf(format, args...)))
}

// decodeFeedsBody decodes a JSON body, answering the 400 a bad one gets.
func decodeFeedsBody(body []byte, v any) *response {
	if err := json.Unmarshal(body, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			r := feedInvalid("%s has the wrong type.", te.Field)
			return &r
		}
		r := feedInvalid("The body is not a JSON object.")
		return &r
	}
	return nil
}

// createFeedDocument serves createFeedDocument: 201 with the document's
// id and a presigned upload URL.
func (s *Server) createFeedDocument(c *call) response {
	var spec createFeedDocumentSpecification
	if r := decodeFeedsBody(c.body, &spec); r != nil {
		return *r
	}
	if empty(spec.ContentType) {
		return feedInvalid("contentType is required.")
	}
	s.mu.Lock()
	d := &document{id: s.newDocumentID(), seller: c.seller, contentType: *spec.ContentType, created: c.now}
	s.docs[d.id] = d
	s.mu.Unlock()
	c.rec.Applied = true
	b, _ := json.Marshal(createFeedDocumentResponse{FeedDocumentID: d.id, URL: s.presign(c, d, http.MethodPut, false)})
	return jsonResponse(http.StatusCreated, b)
}

// createFeed serves createFeed: 202 with the new feed's id.
func (s *Server) createFeed(c *call) response {
	var spec createFeedSpecification
	if r := decodeFeedsBody(c.body, &spec); r != nil {
		return *r
	}
	switch {
	case empty(spec.FeedType):
		return feedInvalid("feedType is required.")
	case spec.MarketplaceIDs == nil || len(*spec.MarketplaceIDs) == 0:
		return feedInvalid("marketplaceIds is required.")
	case empty(spec.InputFeedDocumentID):
		return feedInvalid("inputFeedDocumentId is required.")
	case *spec.FeedType != FeedTypeOrderFulfillment:
		return feedInvalid("The fake processes only %s feeds, not %s.", FeedTypeOrderFulfillment, *spec.FeedType)
	}
	for _, m := range *spec.MarketplaceIDs {
		if strings.TrimSpace(m) == "" {
			return feedInvalid("marketplaceIds has an empty member.")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.docs[*spec.InputFeedDocumentID]
	if d == nil || d.seller != c.seller || d.report {
		return feedInvalid("inputFeedDocumentId %s is not a document this seller created with createFeedDocument.", *spec.InputFeedDocumentID)
	}
	f := &feed{
		id:           strconv.FormatInt(s.nextID(), 10),
		seller:       c.seller,
		feedType:     *spec.FeedType,
		marketplaces: slices.Clone(*spec.MarketplaceIDs),
		options:      spec.FeedOptions,
		input:        d,
		created:      c.now,
		status:       FeedInQueue,
	}
	f.start = f.created.Add(s.feedInQueue)
	f.end = f.start.Add(s.feedInProgress)
	s.feeds = append(s.feeds, f)
	s.pending = append(s.pending, f)
	c.rec.Applied = true
	b, _ := json.Marshal(createFeedResponse{FeedID: f.id})
	return jsonResponse(http.StatusAccepted, b)
}

// getFeed serves getFeed.
func (s *Server) getFeed(c *call) response {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.sellerFeed(c)
	if f == nil {
		return errorResponse(http.StatusNotFound, newError(CodeNotFound, msgNotFound, "Feed "+c.route.id+" was not found."))
	}
	return jsonOK(s.feedView(f))
}

// feedView is a feed as getFeed and getFeeds answer it. The caller holds
// mu.
func (s *Server) feedView(f *feed) feedJSON {
	out := feedJSON{
		FeedID:           f.id,
		FeedType:         f.feedType,
		MarketplaceIDs:   f.marketplaces,
		CreatedTime:      feedTime(f.created),
		ProcessingStatus: f.status,
	}
	switch f.status {
	case FeedInProgress:
		out.ProcessingStartTime = feedTime(f.start)
	case FeedDone, FeedFatal:
		out.ProcessingStartTime, out.ProcessingEndTime = feedTime(f.start), feedTime(f.end)
		out.ResultFeedDocumentID = f.result.id
	case FeedCancelled:
		out.ProcessingEndTime = feedTime(f.end)
	}
	return out
}

// cancelFeed serves cancelFeed: "Only feeds with processingStatus=IN_QUEUE
// can be cancelled." (feeds_2021-06-30.json cancelFeed). It answers 200
// with no body.
func (s *Server) cancelFeed(c *call) response {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.sellerFeed(c)
	if f == nil {
		return errorResponse(http.StatusNotFound, newError(CodeNotFound, msgNotFound, "Feed "+c.route.id+" was not found."))
	}
	if f.status != FeedInQueue {
		return feedInvalid("Feed %s is %s; only feeds IN_QUEUE can be cancelled.", f.id, f.status)
	}
	f.status, f.end = FeedCancelled, c.now
	s.pending = slices.DeleteFunc(s.pending, func(p *feed) bool { return p == f })
	c.rec.Applied = true
	return response{status: http.StatusOK}
}

// getFeedDocument serves getFeedDocument: the document's id, a presigned
// download URL and, for a compressed report, compressionAlgorithm GZIP.
// With enableContentEncodingUrlHeader=true the URL answers with
// Content-Encoding gzip instead of identity (feeds_2021-06-30.json
// getFeedDocument parameter enableContentEncodingUrlHeader).
func (s *Server) getFeedDocument(c *call) response {
	s.mu.Lock()
	d := s.docs[c.route.id]
	s.mu.Unlock()
	if d == nil || d.seller != c.seller {
		return errorResponse(http.StatusNotFound, newError(CodeNotFound, msgNotFound, "Feed document "+c.route.id+" was not found."))
	}
	gzipHeader := false
	if v := c.r.URL.Query().Get("enableContentEncodingUrlHeader"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return feedInvalid("enableContentEncodingUrlHeader must be true or false.")
		}
		gzipHeader = b
	}
	out := feedDocumentJSON{FeedDocumentID: d.id, URL: s.presign(c, d, http.MethodGet, gzipHeader && d.compressed)}
	if d.compressed {
		out.CompressionAlgorithm = "GZIP"
	}
	return jsonOK(out)
}

// sellerFeed is the call's feed if it is the seller's. The caller holds
// mu.
func (s *Server) sellerFeed(c *call) *feed {
	for _, f := range s.feeds {
		if f.id == c.route.id && f.seller == c.seller {
			return f
		}
	}
	return nil
}

// settleFeeds moves every feed whose time has come to its next status,
// processing those that reach the end of IN_PROGRESS, in creation order.
func (s *Server) settleFeeds(now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var still []*feed
	for _, f := range s.pending {
		if !now.Before(f.start) && f.status == FeedInQueue {
			f.status = FeedInProgress
		}
		if !now.Before(f.end) {
			s.processFeed(f)
			continue
		}
		still = append(still, f)
	}
	s.pending = still
}

// newDocumentID is a feed document identifier in the form Amazon's take
// ("amzn1.tortuga.4.na.<uuid>.T<n>"). The caller holds mu.
func (s *Server) newDocumentID() string {
	return fmt.Sprintf("amzn1.tortuga.4.na.%s.T%d", newRequestID(), s.nextID())
}

// Presigned URLs mimic S3's query-string authentication: the grant (the
// method, the document, when it was signed, the Content-Type an upload
// must carry) is signed into X-Amz-Signature, and the URL expires
// X-Amz-Expires seconds after X-Amz-Date, as the S3 URLs that Amazon hands
// out do (X-Amz-Expires=300, X-Amz-SignedHeaders=content-type;host for
// uploads, as seen in github.com/amzn/selling-partner-api-docs/issues/1602).
const (
	amzDateLayout = "20060102T150405Z"
	fakeAccessKey = "AKIAAMAZONTESTFAKE00"
)

// presign makes a presigned URL for a document on the server that c
// reached.
func (s *Server) presign(c *call, d *document, method string, gzipEncoding bool) string {
	scheme := "http"
	if c.r.TLS != nil {
		scheme = "https"
	}
	date := c.now.UTC().Format(amzDateLayout)
	signed := "host"
	if method == http.MethodPut {
		signed = "content-type;host"
	}
	q := url.Values{}
	q.Set("X-Amz-Algorithm", "AWS4-HMAC-SHA256")
	q.Set("X-Amz-Credential", fakeAccessKey+"/"+date[:8]+"/us-east-1/s3/aws4_request")
	q.Set("X-Amz-Date", date)
	q.Set("X-Amz-Expires", strconv.Itoa(int(urlLifetime/time.Second)))
	q.Set("X-Amz-SignedHeaders", signed)
	if gzipEncoding {
		q.Set("response-content-encoding", "gzip")
	}
	q.Set("X-Amz-Signature", s.urlSignature(method, d, date, q.Get("response-content-encoding")))
	return scheme + "://" + c.r.Host + documentPathPrefix + d.id + "?" + q.Encode()
}

// urlSignature signs what a presigned URL grants; an upload's signature
// covers the document's Content-Type, so an upload with another one fails
// as S3 fails it.
func (s *Server) urlSignature(method string, d *document, date, encoding string) string {
	ct := ""
	if method == http.MethodPut {
		ct = d.contentType
	}
	return s.sign(method, d.id, date, ct, encoding)
}

// s3Error is S3's XML error body.
type s3Error struct {
	XMLName          xml.Name `xml:"Error"`
	Code             string   `xml:"Code"`
	Message          string   `xml:"Message"`
	HeadersNotSigned string   `xml:"HeadersNotSigned,omitempty"`
	Expires          string   `xml:"Expires,omitempty"`
	ServerTime       string   `xml:"ServerTime,omitempty"`
	Key              string   `xml:"Key,omitempty"`
	RequestID        string   `xml:"RequestId"`
	HostID           string   `xml:"HostId"`
}

func s3Fail(c *call, status int, e s3Error) response {
	e.RequestID = strings.ToUpper(strings.ReplaceAll(c.rec.RequestID, "-", ""))[:16]
	e.HostID = "amazontest"
	b, _ := xml.Marshal(e)
	return response{status: status, body: append([]byte(xml.Header), b...), header: http.Header{"Content-Type": {"application/xml"}}}
}

// serveDocument answers a presigned document URL, as S3 would: the
// signature, expiry and signed headers first, then the upload or download.
// S3's answers: 403 AccessDenied "Request has expired"; 403 AccessDenied
// "There were headers present in the request which were not signed" with
// HeadersNotSigned (an x-amz-* header the URL did not sign, such as the
// SP-API's x-amz-access-token; github.com/aws/aws-sdk-java/issues/1680);
// 403 SignatureDoesNotMatch for another method or Content-Type
// (github.com/amzn/selling-partner-api-docs/issues/97).
func (s *Server) serveDocument(c *call) {
	s.mu.Lock()
	d := s.docs[c.route.id]
	s.mu.Unlock()
	if d != nil {
		c.seller = d.seller
		c.rec.Seller = d.seller.id
	}
	if c.r.Method == http.MethodPut && !s.readBody(c, maxDocumentBytes) {
		return
	}
	if !s.applyFaultBefore(c) {
		return
	}
	q := c.r.URL.Query()
	date, err := time.Parse(amzDateLayout, q.Get("X-Amz-Date"))
	if q.Get("X-Amz-Signature") == "" || err != nil || q.Get("X-Amz-Expires") == "" {
		s.write(c, s3Fail(c, http.StatusForbidden, s3Error{Code: "AccessDenied", Message: "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."}))
		return
	}
	if expires := date.Add(urlLifetime); c.now.After(expires) {
		s.write(c, s3Fail(c, http.StatusForbidden, s3Error{Code: "AccessDenied", Message: "Request has expired", Expires: expires.Format(time.RFC3339), ServerTime: c.now.UTC().Format(time.RFC3339)}))
		return
	}
	if unsigned := unsignedAmzHeaders(c.r.Header); unsigned != "" {
		s.write(c, s3Fail(c, http.StatusForbidden, s3Error{Code: "AccessDenied", Message: "There were headers present in the request which were not signed", HeadersNotSigned: unsigned}))
		return
	}
	method := c.r.Method
	if method == http.MethodHead {
		method = http.MethodGet
	}
	if d == nil || !hmac.Equal([]byte(q.Get("X-Amz-Signature")), []byte(s.urlSignature(method, d, q.Get("X-Amz-Date"), q.Get("response-content-encoding")))) ||
		(method == http.MethodPut && c.r.Header.Get("Content-Type") != d.contentType) {
		s.write(c, s3Fail(c, http.StatusForbidden, s3Error{Code: "SignatureDoesNotMatch", Message: "The request signature we calculated does not match the signature you provided. Check your key and signing method."}))
		return
	}
	if method == http.MethodPut {
		s.upload(c, d)
		return
	}
	s.download(c, d, q.Get("response-content-encoding"))
}

// upload stores a document's content; S3 answers 200 with the ETag.
func (s *Server) upload(c *call, d *document) {
	s.mu.Lock()
	d.data, d.uploaded = c.body, true
	s.mu.Unlock()
	c.rec.Applied = true
	sum := md5.Sum(c.body)
	s.finish(c, response{status: http.StatusOK, header: http.Header{"ETag": {`"` + hex.EncodeToString(sum[:]) + `"`}}})
}

// download answers a document's content. A compressed report is sent as
// stored, with Content-Encoding identity unless the URL asks for gzip.
func (s *Server) download(c *call, d *document, encoding string) {
	s.mu.Lock()
	data, uploaded, ct, compressed := d.data, d.uploaded, d.contentType, d.compressed
	s.mu.Unlock()
	if !uploaded {
		s.write(c, s3Fail(c, http.StatusNotFound, s3Error{Code: "NoSuchKey", Message: "The specified key does not exist.", Key: d.id}))
		return
	}
	h := http.Header{"Content-Type": {ct}, "Content-Length": {strconv.Itoa(len(data))}}
	if compressed {
		h.Set("Content-Encoding", "identity")
		if encoding == "gzip" {
			h.Set("Content-Encoding", "gzip")
		}
	}
	s.finish(c, response{status: http.StatusOK, body: data, header: h})
}

// unsignedAmzHeaders lists the x-amz-* headers of a request, which a
// presigned URL does not sign; S3 tolerates x-amz-content-sha256 alone.
func unsignedAmzHeaders(h http.Header) string {
	var names []string
	for k := range h {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "x-amz-") && lk != "x-amz-content-sha256" {
			names = append(names, lk)
		}
	}
	sort.Strings(names)
	return strings.Join(names, ",")
}

// feedTime writes a feed time as the Feeds API does, to the millisecond
// ("2024-03-11T13:16:24.630Z" in the model's sandbox answers).
func feedTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }
