package amazontest

import (
	"slices"
	"time"
)

// This file is the read side of the Go API: snapshots of what the fake
// holds and what it was asked, for assertions. Every snapshot is a copy;
// changing it changes nothing in the fake. Reading settles the feeds whose
// time has come, as a request would.

// Request is what the Server recorded about one HTTP request.
type Request struct {
	Time      time.Time // by the server's clock
	Method    string    // HTTP method
	Path      string    // URL path, without the query
	Operation string    // one of the Op constants; "" if no operation matched
	Seller    string    // the seller the request acted for; "" if unknown
	// Status is the HTTP status answered, 0 when the connection was
	// dropped.
	Status    int
	RequestID string // the x-amzn-RequestId answered
	// RateLimited is set when the usage plan refused the request (429).
	RateLimited bool
	// Fault is set when an injected fault acted on the request.
	Fault bool
	// Applied is set when the request changed the fake's state: a token
	// issued, a package confirmed, a document stored, a feed created or
	// cancelled. A DropAfterCommit request is Applied with Status 0.
	Applied bool
}

// Requests returns every request so far, in the order they finished.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Count is how many requests named the operation (one of the Op
// constants), whatever their outcome.
func (s *Server) Count(operation string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if r.Operation == operation {
			n++
		}
	}
	return n
}

// Throttled is how many requests the usage plans refused with 429
// (injected 429s not counted).
func (s *Server) Throttled() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.throttled
}

// LWACalls is how many requests reached the LWA token endpoint.
func (s *Server) LWACalls() int { return s.Count(OpLWAToken) }

// Order is a snapshot of an order.
type Order struct {
	AmazonOrderID string      // 3-7-7 identifier
	MarketplaceID string      // where the order was placed
	Status        string      // one of the Status constants
	PurchaseDate  time.Time   // PurchaseDate (v0), createdTime (2026)
	LastUpdate    time.Time   // LastUpdateDate (v0), lastUpdatedTime (2026)
	ShipPlus      bool        // a Ship+ order, which confirmShipment refuses
	Items         []OrderItem // in seed order
}

// OrderItem is a snapshot of an order item.
type OrderItem struct {
	OrderItemID string // Amazon's order item identifier
	SKU         string // the seller's SKU
	ASIN        string // the product's ASIN
	Title       string // the product's title
	Quantity    int    // ordered
	Shipped     int    // in packages and shipped outside the API
}

// Package is a snapshot of a confirmed package.
type Package struct {
	PackageReferenceID     string        // canonical decimal, no leading zeros
	CarrierCode            string        // as confirmed; "Other" for a feed's CarrierName
	CarrierName            string        // as confirmed, or a feed's CarrierName
	ShippingMethod         string        // shippingMethod, or a feed's ShippingMethod
	TrackingNumber         string        // trackingNumber, or a feed's ShipperTrackingNumber
	ShipDate               time.Time     // shipDate, or a feed's FulfillmentDate, in UTC
	ShipFromSupplySourceID string        // shipFromSupplySourceId
	Items                  []PackageItem // as in the last confirmation
	// Edits counts the confirmations that replaced the package after the
	// one that created it.
	Edits     int
	CreatedAt time.Time // when the first confirmation was applied
	UpdatedAt time.Time // when the last confirmation was applied
	// FeedID is the feed that created (or last replaced) the package; ""
	// for confirmShipment.
	FeedID string
	// MerchantFulfillmentID is the feed message's, kept for inspection
	// only (Amazon does not use it).
	MerchantFulfillmentID string
}

// PackageItem is a quantity of one order item in a package.
type PackageItem struct {
	OrderItemID       string   // the order item
	Quantity          int      // units of it in the package
	TransparencyCodes []string // as confirmed
}

// Order returns a snapshot of one of the seller's orders.
func (sl *Seller) Order(orderID string) (Order, bool) {
	s := sl.srv
	s.settleFeeds(s.clock())
	s.mu.Lock()
	defer s.mu.Unlock()
	o := sl.orders[orderID]
	if o == nil {
		return Order{}, false
	}
	return o.snapshot(), true
}

// Packages returns the packages of one of the seller's orders, in the
// order they were created; nil for an unknown order.
func (sl *Seller) Packages(orderID string) []Package {
	s := sl.srv
	s.settleFeeds(s.clock())
	s.mu.Lock()
	defer s.mu.Unlock()
	o := sl.orders[orderID]
	if o == nil {
		return nil
	}
	out := make([]Package, 0, len(o.packages))
	for _, p := range o.packages {
		pk := Package{
			PackageReferenceID:     p.ref,
			CarrierCode:            p.carrierCode,
			CarrierName:            p.carrierName,
			ShippingMethod:         p.shippingMethod,
			TrackingNumber:         p.trackingNumber,
			ShipDate:               p.shipDate,
			ShipFromSupplySourceID: p.shipFrom,
			Edits:                  p.edits,
			CreatedAt:              p.created,
			UpdatedAt:              p.updated,
			FeedID:                 p.feedID,
			MerchantFulfillmentID:  p.merchantFulfillmentID,
		}
		for _, it := range p.items {
			pk.Items = append(pk.Items, PackageItem{OrderItemID: it.orderItemID, Quantity: it.quantity, TransparencyCodes: slices.Clone(it.transparency)})
		}
		out = append(out, pk)
	}
	return out
}

// snapshot copies the order. The caller holds mu.
func (o *order) snapshot() Order {
	out := Order{
		AmazonOrderID: o.id,
		MarketplaceID: o.marketplace,
		Status:        o.status(),
		PurchaseDate:  o.purchase,
		LastUpdate:    o.lastUpdate,
		ShipPlus:      o.shipPlus,
	}
	for _, it := range o.items {
		out.Items = append(out.Items, OrderItem{OrderItemID: it.id, SKU: it.sku, ASIN: it.asin, Title: it.title, Quantity: it.quantity, Shipped: o.shipped(it.id)})
	}
	return out
}

// Feed is a snapshot of a submitted feed.
type Feed struct {
	FeedID           string            // feedId
	Seller           string            // the seller who created it
	FeedType         string            // feedType
	MarketplaceIDs   []string          // marketplaceIds
	FeedOptions      map[string]string // feedOptions, nil if none
	ProcessingStatus string            // one of the Feed status constants
	CreatedTime      time.Time         // createdTime
	// ProcessingStartTime and ProcessingEndTime are when the feed starts
	// and ends processing (or was cancelled), by the server's clock; they
	// may lie in the future.
	ProcessingStartTime time.Time
	ProcessingEndTime   time.Time
	InputFeedDocumentID string // inputFeedDocumentId
	// Input is the uploaded document as the feed read it, once processed.
	Input []byte
	// ResultFeedDocumentID and Report (the processing report's XML,
	// uncompressed) are set once the feed is DONE or FATAL.
	ResultFeedDocumentID string
	Report               []byte // XML
	// Summary and Results are the report's ProcessingSummary and Result
	// entries.
	Summary ReportSummary
	Results []ReportResult // in message order
}

// ReportSummary is a processing report's ProcessingSummary.
type ReportSummary struct {
	MessagesProcessed   int // messages read (0 for a FATAL feed)
	MessagesSuccessful  int // messages applied
	MessagesWithError   int // messages refused (1 for a FATAL feed)
	MessagesWithWarning int // always 0: the fake issues no warnings
}

// ReportResult is one Result of a processing report.
type ReportResult struct {
	MessageID           string // the message's MessageID; "0" for the document
	ResultCode          string // Error or Warning
	ResultMessageCode   int    // 5001 for a document that cannot be read; see report.go
	ResultDescription   string // what was wrong
	AmazonOrderID       string // AdditionalInfo, when an order is concerned
	AmazonOrderItemCode string // AdditionalInfo, when an item is concerned
}

// Feeds returns every feed so far, in creation order.
func (s *Server) Feeds() []Feed {
	s.settleFeeds(s.clock())
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Feed, 0, len(s.feeds))
	for _, f := range s.feeds {
		fd := Feed{
			FeedID:              f.id,
			Seller:              f.seller.id,
			FeedType:            f.feedType,
			MarketplaceIDs:      slices.Clone(f.marketplaces),
			ProcessingStatus:    f.status,
			CreatedTime:         f.created,
			ProcessingStartTime: f.start,
			ProcessingEndTime:   f.end,
			InputFeedDocumentID: f.input.id,
		}
		if f.options != nil {
			fd.FeedOptions = map[string]string{}
			for k, v := range f.options {
				fd.FeedOptions[k] = v
			}
		}
		if f.result != nil {
			fd.Input = slices.Clone(f.read)
			fd.ResultFeedDocumentID = f.result.id
			fd.Report = slices.Clone(f.summary.report)
			fd.Summary = ReportSummary(f.summary.summary)
			for _, r := range f.summary.results {
				rr := ReportResult{MessageID: r.MessageID, ResultCode: r.ResultCode, ResultMessageCode: r.ResultMessageCode, ResultDescription: r.ResultDescription}
				if r.AdditionalInfo != nil {
					rr.AmazonOrderID, rr.AmazonOrderItemCode = r.AdditionalInfo.AmazonOrderID, r.AdditionalInfo.AmazonOrderItemCode
				}
				fd.Results = append(fd.Results, rr)
			}
		}
		out = append(out, fd)
	}
	return out
}
