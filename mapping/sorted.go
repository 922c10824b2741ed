package mapping

import (
	"maps"
	"slices"
)

// sortedKeys returns the keys of m in order, so that errors come out in
// the same order every time.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
