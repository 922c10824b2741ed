package amazon

import (
	"strings"
)

// How a 400 from confirmShipment, or an Error result of a feed, is
// treated. Amazon answers nearly every confirmShipment refusal with the
// generic code InvalidInput and says what happened in the message, so the
// code (and the errorMetric Amazon puts in details) decides first and the
// message text is the fallback; TestRefusalClassification pins both.
type refusal int

const (
	// refusalExplain: the order's state or its packages explain the
	// refusal (pending, cancelled, already fully shipped, over-shipped):
	// read the order, and report what it says.
	refusalExplain refusal = iota
	// refusalRequest: the request itself is wrong (an unknown order item,
	// a bad field, a Ship+ order): reading the order explains nothing.
	refusalRequest
)

// explainCodes are error codes (or errorMetric values) whose cause is the
// order's state: "Failed to create package due to not finding a matching
// package or order already fulfilled" carries errorMetric
// PackageToUpdateNotFound (github.com/amzn/selling-partner-api-models/issues/5037).
var explainCodes = []string{"PackageToUpdateNotFound"}

// requestTexts are the fallback: message fragments of refusals whose cause
// is the request (production messages quoted in amazontest/confirm.go).
var requestTexts = []string{
	"orderitemid is invalid",             // an item that is not the order's
	"packagereferenceid: is invalid",     // a reference that is not a positive number
	"ship+ orders",                       // Amazon confirms Ship+ orders itself
	"check the fields with invalid type", // a malformed request
	"check the fields with missing values",
	"listed twice in one package",
	"is not a positive number",
	"is in the future",
	"before the order's purchase date",
	"not among this feed's marketplaceids",
}

// classifyRefusal tells how a 400 of confirmShipment is treated.
func classifyRefusal(e *ErrorResponse) refusal {
	for _, x := range e.Errors {
		for _, code := range explainCodes {
			if strings.EqualFold(x.Code, code) || strings.Contains(x.Details, "errorMetric="+code) {
				return refusalExplain
			}
		}
	}
	return classifyText(e.text())
}

// Result message codes of processing reports whose cause is the document
// or the request: 5001 (XML that cannot be parsed,
// github.com/amzn/selling-partner-api-models/issues/1473) and 18028 (an
// order named by a merchant order id Amazon does not know).
var requestResultCodes = []string{"5001", "18028"}

// classifyResult tells how an Error result of a processing report is
// treated.
func classifyResult(r ReportResult) refusal {
	for _, code := range requestResultCodes {
		if r.ResultMessageCode == code {
			return refusalRequest
		}
	}
	return classifyText(strings.ToLower(r.ResultDescription))
}

// classifyText is the fallback on a lower-case message; what it does not
// recognize is explained by reading the order, which costs one read and
// can only help.
func classifyText(text string) refusal {
	for _, t := range requestTexts {
		if strings.Contains(text, t) {
			return refusalRequest
		}
	}
	return refusalExplain
}
