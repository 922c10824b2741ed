package amazontest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Orders v0 confirmShipment: POST /orders/v0/orders/{orderId}/
// shipmentConfirmation with a ConfirmShipmentRequest (ordersV0.json
// definitions ConfirmShipmentRequest, PackageDetail,
// ConfirmShipmentOrderItem) confirms one package of an order and answers
// 204 with no body. Sending the same packageReferenceId again edits that
// package ("If you need to make an edit to the shipment, submit another
// confirmShipment operation with the same packageReferenceID. The other
// shipment details are edited upon successful submission.", "Confirm the
// shipment status", developer-docs.amazon.com/sp-api/docs/
// confirm-the-shipment-status): the fake replaces the package wholly, its
// items included, so quantities are summed over the order's packages with
// the edited one counted once.

// ShipDateLeeway is how far in the future (by the server's clock) a
// package's shipDate may lie before confirmShipment refuses it. Amazon
// refuses future ship dates but documents no figure; the hour absorbs
// clock skew between a client and the fake.
const ShipDateLeeway = time.Hour

// shipmentPackage is a confirmed package of an order.
type shipmentPackage struct {
	ref                   string // packageReferenceId, canonical decimal
	carrierCode           string
	carrierName           string
	shippingMethod        string
	trackingNumber        string
	shipDate              time.Time
	shipFrom              string // shipFromSupplySourceId
	items                 []packageItem
	created, updated      time.Time
	edits                 int
	feedID                string // the feed that created it, "" for confirmShipment
	merchantFulfillmentID string
}

type packageItem struct {
	orderItemID  string
	quantity     int
	transparency []string
}

// shipment is a request to create or replace one package, as
// confirmShipment and feed messages both make it.
type shipment struct {
	ref                   string // "" has the fake assign one (feeds)
	carrierCode           string
	carrierName           string
	shippingMethod        string
	trackingNumber        string
	shipDate              time.Time
	shipFrom              string
	items                 []packageItem
	feedID                string
	merchantFulfillmentID string
}

// problem is why a shipment cannot be applied, worded for both the
// SP-API error (code, message, details) and a processing report result
// (feedCode, description).
type problem struct {
	status   int
	code     string
	message  string
	details  string
	feedCode int
	itemID   string // the order item concerned, if one is
}

func (p *problem) apiError() apiError { return newError(p.code, p.message, p.details) }

// description is the text of a processing report result.
func (p *problem) description() string {
	if p.details == "" || strings.Contains(p.message, p.details) {
		return p.message
	}
	return p.message + " " + p.details
}

// Feed result codes the fake uses for problems shared with
// confirmShipment. Amazon's own numbers for these cases are not published;
// clients should key on ResultCode and AdditionalInfo, not on these.
const (
	feedCodeOrderState    = 90201
	feedCodeShipDate      = 90202
	feedCodeCarrier       = 90203
	feedCodeItem          = 90204
	feedCodeOverShipped   = 90205
	feedCodeAlreadyDone   = 90206
	feedCodeShipPlus      = 90207
	feedCodeInvalidValues = 90208
)

// Messages of confirmShipment's 400s. Those quoted from production are
// marked; the others are the fake's wording of rules Amazon documents or
// enforces without a published message.
const (
	// Production (github.com/jlevers/selling-partner-api/issues/489).
	msgBadPackageRef = "PackageReferenceId: is invalid, must be a positive numeric value."
	// Production (github.com/jlevers/selling-partner-api/issues/528,
	// github.com/amzn/selling-partner-api-models/issues/492).
	msgBadOrderItem = "OrderItemId is invalid, please obtain the value through the getOrderItems API or Manage Orders page"
	// Production, for a packageReferenceId sent as a JSON number
	// (github.com/amzn/selling-partner-api-models/issues/5094).
	msgInvalidType = "The input you have submitted is not valid. Please check the fields with invalid type [%s]."
	// The fake's, modelled on the message above.
	msgMissingValues = "The input you have submitted is not valid. Please check the fields with missing values [%s]."
	msgInvalidValues = "The input you have submitted is not valid. Please check the fields with invalid values [%s]."
	// Amazon's documentation: "Ship+ orders do not support the
	// confirmShipment operation and result in a 400 error as they don't
	// require manual confirmation."
	msgShipPlus = "Ship+ orders do not support the confirmShipment operation as they don't require manual confirmation."
	// Production, for a new package on an order already fully shipped
	// (github.com/amzn/selling-partner-api-models/issues/5037).
	msgPackageToUpdateNotFound = "Failed to create package due to not finding a matching package or order already fulfilled."
)

// confirmShipmentRequest mirrors ConfirmShipmentRequest with pointers, so
// that a missing member is told from an empty one.
type confirmShipmentRequest struct {
	MarketplaceID       *string        `json:"marketplaceId"`
	CodCollectionMethod *string        `json:"codCollectionMethod"`
	PackageDetail       *packageDetail `json:"packageDetail"`
}

// packageDetail mirrors PackageDetail.
type packageDetail struct {
	PackageReferenceID     *string                     `json:"packageReferenceId"`
	CarrierCode            *string                     `json:"carrierCode"`
	CarrierName            *string                     `json:"carrierName"`
	ShippingMethod         *string                     `json:"shippingMethod"`
	TrackingNumber         *string                     `json:"trackingNumber"`
	ShipDate               *string                     `json:"shipDate"`
	ShipFromSupplySourceID *string                     `json:"shipFromSupplySourceId"`
	OrderItems             *[]confirmShipmentOrderItem `json:"orderItems"`
}

// confirmShipmentOrderItem mirrors ConfirmShipmentOrderItem.
type confirmShipmentOrderItem struct {
	OrderItemID       *string  `json:"orderItemId"`
	Quantity          *int     `json:"quantity"`
	TransparencyCodes []string `json:"transparencyCodes"`
}

// confirmShipment serves Orders v0 confirmShipment.
func (s *Server) confirmShipment(c *call) response {
	if !orderIDPattern.MatchString(c.route.id) {
		return errorResponse(http.StatusBadRequest, invalidInput(msgInvalidInput, "orderId %q is not an Amazon order identifier in the 3-7-7 format.", c.route.id))
	}
	sh, marketplace, bad := parseConfirmShipment(c.body)
	if bad != nil {
		return errorResponse(http.StatusBadRequest, *bad)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	o := c.seller.orders[c.route.id]
	if o == nil {
		// An order of another seller is as unknown as one that does not
		// exist: the SP-API shows a selling partner only its own orders.
		return errorResponse(http.StatusNotFound, newError(CodeNotFound, msgNotFound, fmt.Sprintf("Order %s was not found.", c.route.id)))
	}
	if marketplace != o.marketplace {
		return errorResponse(http.StatusBadRequest, invalidInput(fmt.Sprintf(msgInvalidValues, "marketplaceId"), "Order %s was placed in marketplace %s, not %s.", o.id, o.marketplace, marketplace))
	}
	if p := o.check(sh, c.now, true); p != nil {
		return errorResponse(p.status, p.apiError())
	}
	o.apply(sh, c.now)
	c.rec.Applied = true
	return response{status: http.StatusNoContent}
}

// parseConfirmShipment decodes and checks a confirmShipment body on its
// own, before any order is looked at, as Amazon validates the request
// against the model first.
func parseConfirmShipment(body []byte) (shipment, string, *apiError) {
	fail := func(e apiError) (shipment, string, *apiError) { return shipment{}, "", &e }
	var req confirmShipmentRequest
	if err := json.Unmarshal(body, &req); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return fail(newError(CodeInvalidInput, fmt.Sprintf(msgInvalidType, te.Field), ""))
		}
		return fail(newError(CodeInvalidInput, msgBadRequest, ""))
	}
	missing := func(field string) (shipment, string, *apiError) {
		return fail(newError(CodeInvalidInput, fmt.Sprintf(msgMissingValues, field), ""))
	}
	invalid := func(field, details string) (shipment, string, *apiError) {
		return fail(newError(CodeInvalidInput, fmt.Sprintf(msgInvalidValues, field), details))
	}
	if empty(req.MarketplaceID) {
		return missing("marketplaceId")
	}
	pd := req.PackageDetail
	if pd == nil {
		return missing("packageDetail")
	}
	// Amazon answers a missing packageReferenceId as it answers a bad one
	// (github.com/jlevers/selling-partner-api/issues/489), although its
	// tutorial says it would assign one.
	ref, ok := canonicalPackageRef(pd.PackageReferenceID)
	if !ok {
		return fail(newError(CodeInvalidInput, msgBadPackageRef, ""))
	}
	switch {
	case empty(pd.CarrierCode):
		return missing("packageDetail.carrierCode")
	case empty(pd.TrackingNumber):
		return missing("packageDetail.trackingNumber")
	case empty(pd.ShipDate):
		return missing("packageDetail.shipDate")
	case pd.OrderItems == nil || len(*pd.OrderItems) == 0:
		return missing("packageDetail.orderItems")
	}
	if m := req.CodCollectionMethod; m != nil && *m != "" && *m != "DirectPayment" {
		// The only value of the enum (ordersV0.json ConfirmShipmentRequest
		// codCollectionMethod); Amazon's own example sends "".
		return invalid("codCollectionMethod", `The only accepted value is "DirectPayment".`)
	}
	shipDate, err := time.Parse(time.RFC3339, *pd.ShipDate)
	if err != nil {
		// The sandbox answers a bad shipDate with "Invalid Input"
		// (ordersV0.json confirmShipment 400 x-amzn-api-sandbox).
		return fail(invalidInput(msgInvalidInput, "shipDate %q is not an ISO 8601 date-time with a time zone, such as 2024-01-27T04:55:15Z.", *pd.ShipDate))
	}
	sh := shipment{
		ref:            ref,
		carrierCode:    *pd.CarrierCode,
		carrierName:    deref(pd.CarrierName),
		shippingMethod: deref(pd.ShippingMethod),
		trackingNumber: *pd.TrackingNumber,
		shipDate:       shipDate.UTC(),
		shipFrom:       deref(pd.ShipFromSupplySourceID),
	}
	for i, it := range *pd.OrderItems {
		field := fmt.Sprintf("packageDetail.orderItems[%d]", i)
		switch {
		case empty(it.OrderItemID):
			return missing(field + ".orderItemId")
		case it.Quantity == nil:
			return missing(field + ".quantity")
		case *it.Quantity < 1:
			return invalid(field+".quantity", fmt.Sprintf("The quantity %d is not a positive number.", *it.Quantity))
		}
		sh.items = append(sh.items, packageItem{orderItemID: *it.OrderItemID, quantity: *it.Quantity, transparency: slices.Clone(it.TransparencyCodes)})
	}
	return sh, *req.MarketplaceID, nil
}

// canonicalPackageRef checks a packageReferenceId ("Only positive numeric
// values are supported", ordersV0.json PackageReferenceId) and returns it
// without leading zeros, so that "007" and "7" name one package.
func canonicalPackageRef(ref *string) (string, bool) {
	if ref == nil || *ref == "" {
		return "", false
	}
	for _, r := range *ref {
		if r < '0' || r > '9' {
			return "", false
		}
	}
	n, err := strconv.ParseUint(*ref, 10, 64)
	if err != nil || n == 0 {
		return "", false
	}
	return strconv.FormatUint(n, 10), true
}

// check tells why a shipment cannot be applied to the order, or nil. The
// checks are the same for confirmShipment and feed messages; fromAPI
// turns on the edit-path rule that only confirmShipment has (a new
// packageReferenceId on a fully shipped order is an edit of a package
// that does not exist). The caller holds mu.
func (o *order) check(sh shipment, now time.Time, fromAPI bool) *problem {
	bad := func(feedCode int, message, details string) *problem {
		return &problem{status: http.StatusBadRequest, code: CodeInvalidInput, message: message, details: details, feedCode: feedCode}
	}
	switch {
	case o.shipPlus:
		return bad(feedCodeShipPlus, msgShipPlus, "")
	case o.fixed == StatusPending:
		return bad(feedCodeOrderState, fmt.Sprintf("Order %s is Pending: its payment is not authorized yet, so it cannot be shipped.", o.id), "")
	case o.fixed == StatusCanceled:
		return bad(feedCodeOrderState, fmt.Sprintf("Order %s is Canceled and cannot be shipped.", o.id), "")
	case sh.shipDate.After(now.Add(ShipDateLeeway)):
		return bad(feedCodeShipDate, fmt.Sprintf(msgInvalidValues, "packageDetail.shipDate"), fmt.Sprintf("The ship date %s is in the future.", sh.shipDate.Format(time.RFC3339)))
	case sh.shipDate.Before(o.purchase):
		return bad(feedCodeShipDate, fmt.Sprintf(msgInvalidValues, "packageDetail.shipDate"), fmt.Sprintf("The ship date %s is before the order's purchase date %s.", sh.shipDate.Format(time.RFC3339), o.purchase.Format(time.RFC3339)))
	case strings.EqualFold(sh.carrierCode, "Other") && strings.TrimSpace(sh.carrierName) == "":
		// "carrierName ... Required when carrierCode is "Other""
		// (ordersV0.json PackageDetail).
		return bad(feedCodeCarrier, fmt.Sprintf(msgMissingValues, "packageDetail.carrierName"), `carrierName is required when carrierCode is "Other".`)
	}
	seen := map[string]bool{}
	for _, it := range sh.items {
		if o.item(it.orderItemID) == nil {
			p := bad(feedCodeItem, msgBadOrderItem, "Order "+o.id+" has no item "+it.orderItemID+".")
			p.itemID = it.orderItemID
			return p
		}
		if seen[it.orderItemID] {
			p := bad(feedCodeItem, fmt.Sprintf(msgInvalidValues, "packageDetail.orderItems"), "OrderItemId "+it.orderItemID+" is listed twice in one package.")
			p.itemID = it.orderItemID
			return p
		}
		seen[it.orderItemID] = true
	}
	existing := o.pkg(sh.ref)
	if fromAPI && existing == nil && o.status() == StatusShipped {
		return bad(feedCodeAlreadyDone, msgPackageToUpdateNotFound,
			fmt.Sprintf("ErrorMessage(errorCode=GeneralError, errorDescription=Unable to find package to update for order (%s), errorMetric=PackageToUpdateNotFound, packageIndex=null)", o.id))
	}
	for _, it := range sh.items {
		already := o.shipped(it.orderItemID)
		if existing != nil {
			for _, old := range existing.items {
				if old.orderItemID == it.orderItemID {
					already -= old.quantity // the edit replaces these
				}
			}
		}
		ordered := o.item(it.orderItemID).quantity
		if it.quantity > ordered-already { // not already+quantity: that can overflow
			p := bad(feedCodeOverShipped, fmt.Sprintf("The quantity shipped for OrderItemId %s exceeds the quantity ordered.", it.orderItemID),
				fmt.Sprintf("Ordered %d, shipped in other packages %d, requested %d.", ordered, already, it.quantity))
			p.itemID = it.orderItemID
			return p
		}
	}
	return nil
}

// apply creates the shipment's package, or replaces the one with its
// packageReferenceId, and returns it. The caller checked it and holds mu.
func (o *order) apply(sh shipment, now time.Time) *shipmentPackage {
	p := o.pkg(sh.ref)
	if p == nil {
		p = &shipmentPackage{ref: sh.ref, created: now}
		o.packages = append(o.packages, p)
	} else {
		p.edits++
	}
	p.carrierCode, p.carrierName, p.shippingMethod, p.trackingNumber = sh.carrierCode, sh.carrierName, sh.shippingMethod, sh.trackingNumber
	p.shipDate, p.shipFrom, p.items = sh.shipDate, sh.shipFrom, sh.items
	p.feedID, p.merchantFulfillmentID = sh.feedID, sh.merchantFulfillmentID
	p.updated = now
	o.lastUpdate = now
	return p
}

func empty(s *string) bool { return s == nil || strings.TrimSpace(*s) == "" }

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
