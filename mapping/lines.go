package mapping

import "bytes"

// lineIndex gives the 1-based line of a byte offset of the input.
type lineIndex struct {
	data []byte
	// scanned counts the bytes examined so far, so that a test can check
	// that numbering every token of a large input stays linear.
	scanned int
}

// at returns the line of offset off, clamped to the input.
func (x *lineIndex) at(off int64) int {
	end := min(max(int(off), 0), len(x.data))
	x.scanned += end
	return bytes.Count(x.data[:end], []byte{'\n'}) + 1
}
