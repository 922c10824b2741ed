package mapping

import "bytes"

// lineIndex gives the 1-based line of a byte offset of the input. The
// parser asks for every token, at offsets that only grow, so it counts
// onwards from the last offset it answered: counting from the start each
// time made loading quadratic in the input size.
type lineIndex struct {
	data []byte
	off  int // the last offset answered
	line int // its line, less one (0 before the first call)
	// scanned counts the bytes examined so far, so that a test can check
	// that numbering every token of a large input stays linear.
	scanned int
}

// at returns the line of offset off, clamped to the input. An offset
// before the last one (a syntax error's, reported once) is counted from
// the start.
func (x *lineIndex) at(off int64) int {
	end := min(max(int(off), 0), len(x.data))
	if end < x.off {
		x.off, x.line = 0, 0
	}
	x.scanned += end - x.off
	x.line += bytes.Count(x.data[x.off:end], []byte{'\n'})
	x.off = end
	return x.line + 1
}
