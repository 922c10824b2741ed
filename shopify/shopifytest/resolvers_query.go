package shopifytest

import (
	"fmt"

	"github.com/vektah/gqlparser/v2/ast"
)

// This file resolves the QueryRoot fields and every object type's fields
// from the model. A resolver returns a model pointer for an object, a Go
// string/int/bool/time for a leaf, []any for a list, and an untyped nil for
// null (never a typed nil pointer, which would not read as null).

// Wrapper types for objects that have no model of their own.
type (
	assignedLocation struct{ loc *location }
	supportedAction  string
	userError        struct {
		field   []string
		message string
	}
	createPayload struct {
		fulfillment *fulfillment
		errs        []userError
	}
	movePayload struct {
		moved, original, remaining *fulfillmentOrder
		errs                       []userError
	}
	trackingPayload struct {
		fulfillment *fulfillment
		errs        []userError
	}
)

// orNil turns a nil pointer into an untyped nil.
func orNil[T any](p *T) any {
	if p == nil {
		return nil
	}
	return p
}

// list turns a slice into the []any the executor completes.
func list[T any](items []T) []any {
	out := make([]any, len(items))
	for i, it := range items {
		out[i] = it
	}
	return out
}

// nullable turns "" into null for optional strings.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func identifiedList[T identified](items []T) []identified {
	out := make([]identified, len(items))
	for i, it := range items {
		out[i] = it
	}
	return out
}

// typeName is the GraphQL object type of a resolved value, for fields of
// interface type.
func typeName(v any) string {
	switch v.(type) {
	case *Shop:
		return "Shop"
	case *location:
		return "Location"
	case *order:
		return "Order"
	case *lineItem:
		return "LineItem"
	case *fulfillmentOrder:
		return "FulfillmentOrder"
	case *foLine:
		return "FulfillmentOrderLineItem"
	case *fulfillmentHold:
		return "FulfillmentHold"
	case *fulfillment:
		return "Fulfillment"
	case *fulfillmentLine:
		return "FulfillmentLineItem"
	case *userError:
		return "UserError"
	}
	return ""
}

// resolve dispatches a field to its type's resolver.
func (e *executor) resolve(parent string, src any, f *ast.Field, args map[string]any) (any, error) {
	switch parent {
	case "QueryRoot":
		return e.resolveQuery(f, args)
	case "Mutation":
		return e.resolveMutation(f, args)
	}
	name := f.Name
	switch s := src.(type) {
	case *Shop:
		return resolveShop(s, name)
	case *location:
		return resolveLocation(s, name)
	case *order:
		return resolveOrder(s, name, args)
	case *lineItem:
		return resolveLineItem(s, name)
	case *fulfillmentOrder:
		return resolveFulfillmentOrder(s, name, args)
	case *assignedLocation:
		switch name {
		case "location":
			return orNil(s.loc), nil
		case "name":
			return s.loc.name, nil
		}
	case supportedAction:
		switch name {
		case "action":
			return string(s), nil
		case "externalUrl":
			return nil, nil
		}
	case *fulfillmentHold:
		switch name {
		case "id":
			return s.id, nil
		case "reason":
			return s.reason, nil
		case "reasonNotes":
			return nullable(s.notes), nil
		}
	case *foLine:
		return resolveFOLine(s, name)
	case *fulfillment:
		return resolveFulfillment(s, name, args)
	case trackingInfo:
		switch name {
		case "company":
			return nullable(s.company), nil
		case "number":
			return nullable(s.number), nil
		case "url":
			return nullable(s.url), nil
		}
	case *fulfillmentLine:
		switch name {
		case "id":
			return s.id, nil
		case "lineItem":
			return s.line, nil
		case "quantity":
			return s.quantity, nil
		}
	case *connection:
		return resolveConnection(s, name)
	case *edge:
		switch name {
		case "cursor":
			return s.cursor, nil
		case "node":
			return s.node, nil
		}
	case *pageInfo:
		switch name {
		case "hasNextPage":
			return s.hasNext, nil
		case "hasPreviousPage":
			return s.hasPrev, nil
		case "startCursor":
			return nullable(s.start), nil
		case "endCursor":
			return nullable(s.end), nil
		}
	case *userError:
		switch name {
		case "field":
			if s.field == nil {
				return nil, nil
			}
			return list(s.field), nil
		case "message":
			return s.message, nil
		}
	case *createPayload:
		switch name {
		case "fulfillment":
			return orNil(s.fulfillment), nil
		case "userErrors":
			return userErrors(s.errs), nil
		}
	case *movePayload:
		switch name {
		case "movedFulfillmentOrder":
			return orNil(s.moved), nil
		case "originalFulfillmentOrder":
			return orNil(s.original), nil
		case "remainingFulfillmentOrder":
			return orNil(s.remaining), nil
		case "userErrors":
			return userErrors(s.errs), nil
		}
	case *trackingPayload:
		switch name {
		case "fulfillment":
			return orNil(s.fulfillment), nil
		case "userErrors":
			return userErrors(s.errs), nil
		}
	}
	return nil, fmt.Errorf("internal error: no resolver for %s.%s", parent, name)
}

func userErrors(errs []userError) []any {
	out := make([]any, len(errs))
	for i := range errs {
		out[i] = &errs[i]
	}
	return out
}

// resolveQuery resolves QueryRoot. An ID of another type, of another shop
// or of nothing is null, as on Shopify (which also answers a malformed
// gid with null for these lookups).
func (e *executor) resolveQuery(f *ast.Field, args map[string]any) (any, error) {
	id := idArg(args["id"])
	switch f.Name {
	case "shop":
		return e.shop, nil
	case "order":
		o, _ := e.shop.objects[id].(*order)
		return orNil(o), nil
	case "fulfillmentOrder":
		fo, _ := e.shop.objects[id].(*fulfillmentOrder)
		return orNil(fo), nil
	case "fulfillment":
		fl, _ := e.shop.objects[id].(*fulfillment)
		return orNil(fl), nil
	case "location":
		if args["id"] == nil { // the shop's primary location
			if len(e.shop.locations) == 0 {
				return nil, nil
			}
			return e.shop.locations[0], nil
		}
		l, _ := e.shop.objects[id].(*location)
		return orNil(l), nil
	case "__schema", "__type":
		return nil, fmt.Errorf("introspection is not supported by shopifytest")
	}
	return nil, fmt.Errorf("internal error: no resolver for QueryRoot.%s", f.Name)
}

// idArg reads an ID argument: a string, or a number (GraphQL lets a
// client send an ID as an integer).
func idArg(v any) string {
	switch n := v.(type) {
	case string:
		return n
	case int64:
		return fmt.Sprint(n)
	case float64:
		return fmt.Sprintf("%.0f", n)
	}
	return ""
}

func resolveShop(s *Shop, name string) (any, error) {
	switch name {
	case "id":
		return s.id, nil
	case "myshopifyDomain":
		return s.domain, nil
	case "name":
		return s.name, nil
	}
	return nil, fmt.Errorf("internal error: no resolver for Shop.%s", name)
}

func resolveLocation(l *location, name string) (any, error) {
	switch name {
	case "id":
		return l.id, nil
	case "isActive":
		return l.active, nil
	case "name":
		return l.name, nil
	}
	return nil, fmt.Errorf("internal error: no resolver for Location.%s", name)
}

func resolveOrder(o *order, name string, args map[string]any) (any, error) {
	switch name {
	case "id":
		return o.id, nil
	case "name":
		return o.name, nil
	case "cancelledAt":
		return nil, nil // the fake has no order cancellation
	case "closed":
		return false, nil
	case "displayFulfillmentStatus":
		return o.displayFulfillmentStatus(), nil
	case "fulfillmentOrders":
		// The query argument (a search string) is accepted and ignored.
		fos := o.fos
		if b, _ := args["displayable"].(bool); b {
			fos = displayable(fos)
		}
		return paginate(identifiedList(fos), args)
	case "fulfillments":
		fs, err := limitList(o.fulfillments, args)
		return list(fs), err
	case "lineItems":
		return paginate(identifiedList(o.lines), args)
	}
	return nil, fmt.Errorf("internal error: no resolver for Order.%s", name)
}

// displayable drops the fulfillment orders Shopify hides from the
// merchant: cancelled ones and closed ones that shipped nothing (what is
// left of an FO whose items all moved elsewhere).
func displayable(fos []*fulfillmentOrder) []*fulfillmentOrder {
	var out []*fulfillmentOrder
	for _, fo := range fos {
		if fo.status == statusCancelled || (fo.status == statusClosed && len(fo.fulfillments) == 0) {
			continue
		}
		out = append(out, fo)
	}
	return out
}

func resolveLineItem(l *lineItem, name string) (any, error) {
	switch name {
	case "id":
		return l.id, nil
	case "sku":
		return nullable(l.sku), nil
	case "name":
		return l.name, nil
	case "quantity", "currentQuantity": // the fake does not edit orders
		return l.quantity, nil
	case "unfulfilledQuantity":
		return l.quantity - l.fulfilled(), nil
	}
	return nil, fmt.Errorf("internal error: no resolver for LineItem.%s", name)
}

func resolveFulfillmentOrder(fo *fulfillmentOrder, name string, args map[string]any) (any, error) {
	switch name {
	case "id":
		return fo.id, nil
	case "orderId":
		return fo.order.id, nil
	case "order":
		return fo.order, nil
	case "status":
		return fo.status, nil
	case "requestStatus":
		// Merchant-managed locations never get fulfillment requests.
		return "UNSUBMITTED", nil
	case "assignedLocation":
		return &assignedLocation{loc: fo.location}, nil
	case "supportedActions":
		actions := fo.supportedActions()
		out := make([]any, len(actions))
		for i, a := range actions {
			out[i] = supportedAction(a)
		}
		return out, nil
	case "fulfillmentHolds":
		return list(fo.holds), nil
	case "lineItems":
		return paginate(identifiedList(fo.visibleLines()), args)
	case "fulfillments":
		return paginate(identifiedList(fo.fulfillments), args)
	}
	return nil, fmt.Errorf("internal error: no resolver for FulfillmentOrder.%s", name)
}

func resolveFOLine(l *foLine, name string) (any, error) {
	switch name {
	case "id":
		return l.id, nil
	case "lineItem":
		return l.line, nil
	case "remainingQuantity":
		return l.remaining, nil
	case "totalQuantity":
		return l.total, nil
	case "sku":
		return nullable(l.line.sku), nil
	}
	return nil, fmt.Errorf("internal error: no resolver for FulfillmentOrderLineItem.%s", name)
}

func resolveFulfillment(f *fulfillment, name string, args map[string]any) (any, error) {
	switch name {
	case "id":
		return f.id, nil
	case "name":
		return f.name, nil
	case "status":
		return f.status, nil
	case "createdAt":
		return f.createdAt, nil
	case "location":
		return orNil(f.location), nil
	case "order":
		return f.order, nil
	case "trackingInfo":
		t, err := limitList(f.tracking, args)
		return list(t), err
	case "fulfillmentLineItems":
		return paginate(identifiedList(f.lines), args)
	}
	return nil, fmt.Errorf("internal error: no resolver for Fulfillment.%s", name)
}

func resolveConnection(c *connection, name string) (any, error) {
	switch name {
	case "edges":
		return list(c.edges), nil
	case "nodes":
		out := make([]any, len(c.edges))
		for i, e := range c.edges {
			out[i] = e.node
		}
		return out, nil
	case "pageInfo":
		return c.pageInfo, nil
	}
	return nil, fmt.Errorf("internal error: no resolver for connection field %s", name)
}
