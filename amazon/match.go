package amazon

import (
	"slices"
	"strings"

	"github.com/shopctrl/tracksync/tracking/carrier"
)

// matchPackage finds the package of Amazon's order that a confirmation
// became: the one under its packageReferenceId, or one that carries the
// same tracking number with the same items and quantities. A tracking
// number alone never decides: two packages of an order may share one
// (a look-alike), and the second must still be confirmed. Packages in
// used were matched to other confirmations already and are skipped;
// the match is added to used.
func matchPackage(ao *Order, req ConfirmShipmentRequest, used map[string]bool) (Package, bool) {
	p := req.PackageDetail
	for _, pk := range ao.Packages {
		if !used[pk.PackageReferenceID] && sameRef(pk.PackageReferenceID, p.PackageReferenceID) {
			used[pk.PackageReferenceID] = true
			return pk, true
		}
	}
	want := carrier.Normalize(p.TrackingNumber)
	for _, pk := range ao.Packages {
		if !used[pk.PackageReferenceID] && carrier.Normalize(pk.TrackingNumber) == want && sameItems(pk.Items, p.OrderItems) {
			used[pk.PackageReferenceID] = true
			return pk, true
		}
	}
	return Package{}, false
}

// sameRef compares package references as Amazon does: numbers, so "007"
// is "7".
func sameRef(a, b string) bool {
	return a != "" && strings.TrimLeft(a, "0") == strings.TrimLeft(b, "0")
}

// sameItems reports whether two packages hold the same quantities of the
// same order items, in any order.
func sameItems(a, b []OrderItemQuantity) bool {
	if len(a) != len(b) {
		return false
	}
	key := func(x OrderItemQuantity) string { return x.OrderItemID }
	sa, sb := slices.Clone(a), slices.Clone(b)
	for _, s := range [][]OrderItemQuantity{sa, sb} {
		slices.SortFunc(s, func(x, y OrderItemQuantity) int { return strings.Compare(key(x), key(y)) })
	}
	return slices.Equal(sa, sb)
}

// carriesNumber reports whether the package carries the tracking number.
func carriesNumber(pk Package, number string) bool {
	return carrier.Normalize(pk.TrackingNumber) == carrier.Normalize(number)
}
