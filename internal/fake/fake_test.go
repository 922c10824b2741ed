package fake

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestFaultsAreConsumedInOrder(t *testing.T) {
	var q Faults[string]
	q.Add("a", 2)
	q.Add("b", 0) // at least once
	any := func(string) bool { return true }
	onlyB := func(f string) bool { return f == "b" }

	f, ok := q.Take(onlyB)
	require.True(t, ok)
	require.Equal(t, "b", f)
	_, ok = q.Take(onlyB)
	require.False(t, ok, "b fired its once")
	for range 2 {
		f, ok = q.Take(any)
		require.True(t, ok)
		require.Equal(t, "a", f)
	}
	_, ok = q.Take(any)
	require.False(t, ok)
}
