package mapping

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// manyStores is a valid configuration of n Shopify shops, one per line
// group of three lines.
func manyStores(n int) []byte {
	var b bytes.Buffer
	b.WriteString("{\"shopify\": {\n")
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "\"shop-%d.myshopify.com\": {\n\"locations\": {\"AMS\": %d}}", i, i+1)
	}
	b.WriteString("\n}}\n")
	return b.Bytes()
}

// Numbering the lines of every token must look at each input byte a
// bounded number of times: counting from the start for every token made a
// 4.6 MB configuration take seconds to load.
func TestParseTreeNumbersLinesInLinearWork(t *testing.T) {
	for _, n := range []int{10, 1000, 10000} {
		data := manyStores(n)
		p := newTreeParser(data)
		root, err := p.parse()
		require.NoError(t, err)
		require.LessOrEqual(t, p.lines.scanned, 2*len(data), "%d stores: %d bytes scanned for %d bytes of input", n, p.lines.scanned, len(data))

		last := root.fields[0].val.fields[n-1]
		require.Equal(t, fmt.Sprintf("shop-%d.myshopify.com", n-1), last.key)
		require.Equal(t, 2+2*(n-1), last.line, "line of the last shop")
		require.Equal(t, 3+2*(n-1), last.val.fields[0].line, "line of its locations")
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
