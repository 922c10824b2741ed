package shopifytest

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"

	"github.com/vektah/gqlparser/v2/ast"
)

// This file implements the three mutations. Each one validates its whole
// input before changing anything, so a call that returns userErrors has
// changed nothing, as on Shopify.

func (e *executor) resolveMutation(f *ast.Field, args map[string]any) (any, error) {
	if e.shop.readOnly {
		return nil, &fieldErr{e: accessDeniedError(f)}
	}
	switch f.Name {
	case "fulfillmentCreate":
		return e.fulfillmentCreate(args), nil
	case "fulfillmentOrderMove":
		return e.fulfillmentOrderMove(args), nil
	case "fulfillmentTrackingInfoUpdate":
		return e.fulfillmentTrackingInfoUpdate(args), nil
	}
	return nil, fmt.Errorf("internal error: no resolver for Mutation.%s", f.Name)
}

// Input helpers. Variables were coerced by validator.VariableValues and
// literals by the validator's rules, so only the shapes GraphQL allows
// arrive here; the helpers still never assume more than they check.

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// asList applies GraphQL's input coercion of a single value to a list of
// one. validator.VariableValues does the same for variables but builds a
// typed slice ([]map[string]any), hence the reflection.
func asList(v any) []any {
	switch l := v.(type) {
	case nil:
		return nil
	case []any:
		return l
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice {
		return []any{v}
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out
}

func asString(v any) string {
	s, _ := v.(string)
	return s
}

func asStrings(v any) []string {
	var out []string
	for _, s := range asList(v) {
		if str, ok := s.(string); ok {
			out = append(out, str)
		}
	}
	return out
}

// lineRequest is one FO line item and the quantity a mutation asks for.
type lineRequest struct {
	line     *foLine
	quantity int
}

// lineRequests reads a [FulfillmentOrderLineItemInput!] for fo, with field
// paths under prefix. Omitted or empty means every unit left in the FO,
// which is what Shopify does for both fulfillmentCreate and
// fulfillmentOrderMove. The same line item given twice adds up.
func lineRequests(fo *fulfillmentOrder, items []any, prefix []string) ([]lineRequest, []userError) {
	if len(items) == 0 {
		var all []lineRequest
		for _, l := range fo.lines {
			if l.remaining > 0 {
				all = append(all, lineRequest{line: l, quantity: l.remaining})
			}
		}
		return all, nil
	}
	var reqs []lineRequest
	var errs []userError
	for j, raw := range items {
		item := asMap(raw)
		at := func(name string) []string {
			return append(slices.Clone(prefix), strconv.Itoa(j), name)
		}
		l := fo.line(idArg(item["id"]))
		if l == nil {
			errs = append(errs, userError{field: at("id"), message: msgFOLineNotFound})
			continue
		}
		q, err := toInt(item["quantity"])
		already := 0
		for _, r := range reqs {
			if r.line == l {
				already += r.quantity
			}
		}
		if err != nil || q < 1 || already+q > l.remaining {
			errs = append(errs, userError{field: at("quantity"), message: msgQuantity})
			continue
		}
		reqs = append(reqs, lineRequest{line: l, quantity: q})
	}
	return reqs, errs
}

// fulfillmentCreate creates a fulfillment for one or more FOs of one order
// at one location (https://shopify.dev/docs/api/admin-graphql/latest/mutations/fulfillmentCreate):
// every FO must support CREATE_FULFILLMENT, quantities must be 1..the
// remaining quantity, omitted line items mean everything left. The
// fulfillment ships from the FOs' location with status SUCCESS; FO
// statuses and the order's displayFulfillmentStatus follow. Simpler than
// Shopify: originAddress and message are accepted and ignored, and no
// tracking URL is generated from the carrier name.
func (e *executor) fulfillmentCreate(args map[string]any) *createPayload {
	input := asMap(args["fulfillment"])
	groups := asList(input["lineItemsByFulfillmentOrder"])
	base := []string{"fulfillment", "lineItemsByFulfillmentOrder"}
	if len(groups) == 0 {
		return &createPayload{errs: []userError{{field: base, message: msgNoFulfillmentOrder}}}
	}
	type foRequest struct {
		fo    *fulfillmentOrder
		items []any
		at    []string
	}
	var reqs []foRequest
	var errs []userError
	for i, raw := range groups {
		g := asMap(raw)
		at := append(slices.Clone(base), strconv.Itoa(i))
		fo, _ := e.shop.objects[idArg(g["fulfillmentOrderId"])].(*fulfillmentOrder)
		switch {
		case fo == nil:
			errs = append(errs, userError{field: append(slices.Clone(at), "fulfillmentOrderId"), message: msgFONotFound})
			continue
		case slices.ContainsFunc(reqs, func(r foRequest) bool { return r.fo == fo }):
			errs = append(errs, userError{field: append(slices.Clone(at), "fulfillmentOrderId"), message: msgDuplicateFO})
			continue
		}
		reqs = append(reqs, foRequest{fo: fo, items: asList(g["fulfillmentOrderLineItems"]), at: at})
	}
	if len(errs) > 0 {
		return &createPayload{errs: errs}
	}
	for _, r := range reqs[1:] {
		if r.fo.order != reqs[0].fo.order {
			return &createPayload{errs: []userError{{field: base, message: msgSameOrder}}}
		}
	}
	var locIDs []string
	for _, r := range reqs {
		if id := legacyID(r.fo.location.id); !slices.Contains(locIDs, id) {
			locIDs = append(locIDs, id)
		}
	}
	if len(locIDs) > 1 {
		return &createPayload{errs: []userError{{field: base, message: msgMultipleLocations(locIDs)}}}
	}
	var lines []lineRequest
	for _, r := range reqs {
		if !r.fo.supports(actionCreateFulfillment) {
			errs = append(errs, userError{field: append(slices.Clone(r.at), "fulfillmentOrderId"), message: msgUnfulfillable(r.fo.id, r.fo.status)})
			continue
		}
		got, lineErrs := lineRequests(r.fo, r.items, append(slices.Clone(r.at), "fulfillmentOrderLineItems"))
		errs = append(errs, lineErrs...)
		lines = append(lines, got...)
	}
	if len(errs) > 0 {
		return &createPayload{errs: errs}
	}

	o := reqs[0].fo.order
	f := &fulfillment{
		id:             e.srv.newID("Fulfillment"),
		name:           fmt.Sprintf("%s.%d", o.name, len(o.fulfillments)+1),
		status:         "SUCCESS",
		order:          o,
		location:       reqs[0].fo.location,
		createdAt:      e.now,
		tracking:       trackingFrom(asMap(input["trackingInfo"])),
		notifyCustomer: input["notifyCustomer"] == true,
	}
	for _, l := range lines {
		l.line.remaining -= l.quantity
		if i := slices.IndexFunc(f.lines, func(fl *fulfillmentLine) bool { return fl.line == l.line.line }); i >= 0 {
			f.lines[i].quantity += l.quantity
			continue
		}
		f.lines = append(f.lines, &fulfillmentLine{id: e.srv.newID("FulfillmentLineItem"), line: l.line.line, quantity: l.quantity})
	}
	for _, r := range reqs {
		r.fo.fulfillments = append(r.fo.fulfillments, f)
		f.fos = append(f.fos, r.fo)
		r.fo.settle()
	}
	o.fulfillments = append(o.fulfillments, f)
	e.shop.add(f.id, f)
	for _, fl := range f.lines {
		e.shop.add(fl.id, fl)
	}
	return &createPayload{fulfillment: f}
}

// trackingFrom reads a FulfillmentTrackingInput: one entry per tracking
// number (number, or numbers for several parcels), each with the company
// and the URL at the same position (url, or urls). A company without a
// number is one entry with no number.
func trackingFrom(in map[string]any) []trackingInfo {
	if in == nil {
		return nil
	}
	company := asString(in["company"])
	numbers := asStrings(in["numbers"])
	if len(numbers) == 0 {
		if n := asString(in["number"]); n != "" {
			numbers = []string{n}
		}
	}
	urls := asStrings(in["urls"])
	if len(urls) == 0 {
		if u := asString(in["url"]); u != "" {
			urls = []string{u}
		}
	}
	n := max(len(numbers), len(urls))
	if n == 0 && company != "" {
		n = 1
	}
	out := make([]trackingInfo, n)
	for i := range out {
		out[i].company = company
		if i < len(numbers) {
			out[i].number = numbers[i]
		}
		if i < len(urls) {
			out[i].url = urls[i]
		}
	}
	return out
}

// fulfillmentOrderMove reassigns line items to another location, as
// Shopify documents it (https://shopify.dev/docs/api/admin-graphql/latest/mutations/fulfillmentOrderMove
// and the FulfillmentOrderMovePayload page): when everything left moves
// and the FO has shipped nothing, the FO itself is reassigned
// (movedFulfillmentOrder is the original); otherwise a new FO at the new
// location takes the moved quantities and the original keeps the rest,
// closing if nothing is left. Already fulfilled items never move.
// Simpler than Shopify: the moved items always get a new FO, even when
// the order already has an open FO at the destination (Shopify then
// recreates the two as one new FO); remainingFulfillmentOrder, deprecated,
// is the original while it still holds items and null otherwise; any
// active location "stocks" every item.
func (e *executor) fulfillmentOrderMove(args map[string]any) *movePayload {
	fo, _ := e.shop.objects[idArg(args["id"])].(*fulfillmentOrder)
	if fo == nil {
		return &movePayload{errs: []userError{{field: []string{"id"}, message: msgFONotFound}}}
	}
	loc, _ := e.shop.objects[idArg(args["newLocationId"])].(*location)
	switch {
	case loc == nil:
		return &movePayload{errs: []userError{{field: []string{"newLocationId"}, message: msgLocationNotFound}}}
	case !loc.active:
		return &movePayload{errs: []userError{{field: []string{"newLocationId"}, message: msgLocationInactive}}}
	case !fo.supports(actionMove):
		return &movePayload{errs: []userError{{field: []string{"id"}, message: msgNotMovable(fo.status)}}}
	case loc == fo.location:
		return &movePayload{errs: []userError{{field: []string{"newLocationId"}, message: msgSameLocation}}}
	}
	reqs, errs := lineRequests(fo, asList(args["fulfillmentOrderLineItems"]), []string{"fulfillmentOrderLineItems"})
	if len(errs) > 0 {
		return &movePayload{errs: errs}
	}

	moved := 0
	for _, r := range reqs {
		moved += r.quantity
	}
	if len(fo.fulfillments) == 0 && moved == fo.remaining() {
		fo.location = loc
		return &movePayload{moved: fo, original: fo}
	}
	nfo := &fulfillmentOrder{id: e.srv.newID("FulfillmentOrder"), order: fo.order, location: loc, status: statusOpen}
	for _, r := range reqs {
		r.line.remaining -= r.quantity
		r.line.total -= r.quantity
		nl := &foLine{id: e.srv.newID("FulfillmentOrderLineItem"), line: r.line.line, total: r.quantity, remaining: r.quantity}
		nfo.lines = append(nfo.lines, nl)
		e.shop.add(nl.id, nl)
	}
	fo.settle() // CLOSED if everything left moved, else unchanged
	idx := slices.Index(fo.order.fos, fo)
	fo.order.fos = slices.Insert(fo.order.fos, idx+1, nfo)
	e.shop.add(nfo.id, nfo)
	p := &movePayload{moved: nfo, original: fo}
	if fo.remaining() > 0 {
		p.remaining = fo
	}
	return p
}

// fulfillmentTrackingInfoUpdate replaces a fulfillment's tracking
// (https://shopify.dev/docs/api/admin-graphql/latest/mutations/fulfillmentTrackingInfoUpdate).
// notifyCustomer is recorded; nothing is sent.
func (e *executor) fulfillmentTrackingInfoUpdate(args map[string]any) *trackingPayload {
	f, _ := e.shop.objects[idArg(args["fulfillmentId"])].(*fulfillment)
	if f == nil {
		return &trackingPayload{errs: []userError{{field: []string{"fulfillmentId"}, message: msgFulfillmentMissing}}}
	}
	f.tracking = trackingFrom(asMap(args["trackingInfoInput"]))
	if args["notifyCustomer"] == true {
		f.notifyCustomer = true
	}
	return &trackingPayload{fulfillment: f}
}
