package mapping

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// Numbering the lines of every token must look at each input byte a
// bounded number of times: counting from the start for every token made a
// 4.6 MB configuration take seconds to load.
func TestParseTreeNumbersLinesInLinearWork(t *testing.T) {
	for _, n := range []int{10, 1000, 5000} {
		data := largeConfig(n)
		p := newTreeParser(data)
		root, err := p.parse()
		require.NoError(t, err)
		require.LessOrEqual(t, p.lines.scanned, 2*len(data), "%d stores: %d bytes scanned for %d bytes of input", n, p.lines.scanned, len(data))

		// The numbers stay right: the line of the last shop's key.
		last := root.fields[0].val.fields[n-1]
		key := fmt.Sprintf("shop-%d.myshopify.com", n-1)
		require.Equal(t, key, last.key)
		require.Equal(t, bytes.Count(data[:bytes.Index(data, []byte(`"`+key+`"`))], []byte{'\n'})+1, last.line)
	}
}

func TestLineIndexAt(t *testing.T) {
	x := lineIndex{data: []byte("a\nb\n\nc")}
	tests := []struct {
		off  int64
		want int
	}{
		{0, 1}, {1, 1}, {2, 2}, {4, 3}, {5, 4}, {6, 4}, {99, 4}, // forwards, then past the end
		{3, 2}, {-1, 1}, {5, 4}, // backwards (a syntax error's offset), then forwards again
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, x.at(tt.off), "offset %d", tt.off)
	}
}
