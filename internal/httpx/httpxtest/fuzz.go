package httpxtest

// FinalStatus maps any int a fuzzer produces to a final HTTP status
// (200..599), keeping those that already are one.
func FinalStatus(s int) int {
	if s >= 200 && s <= 599 {
		return s
	}
	return 200 + int(uint(s)%400)
}

// HeaderValue reports whether net/http would send v as a header value (no
// control characters but tab): fuzz targets skip the others, which a real
// server cannot send.
func HeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x20 && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}
