package carrier

// This file holds the check-digit algorithms. They are written from the
// descriptions in github.com/jkeen/tracking_number_data (MIT,
// CHECKSUM_ALGORITHMS.md and couriers/*.json), the UPU S10 standard, DPD's
// parcel label specification (ISO/IEC 7064 MOD 37,36) and, for DHL Paket,
// the published numbers cited in catalogue.go. None of them allocates: they
// run on every Validate and Detect call.

// algorithm names a check-digit scheme. The zero value means "no public check
// digit": the format is validated by its shape only.
type algorithm uint8

const (
	// algoNone: the carrier publishes no check digit for the format.
	algoNone algorithm = iota
	// algoMod10: weighted sum mod 10; check = (10 - sum%10) % 10. Letters
	// count as (ASCII-3)%10, the UPS rule that also yields OnTrac's implied
	// leading 4 (C) and 5 (D). Products are summed as they are, without the
	// digit sums of Luhn.
	algoMod10
	// algoMod11: weighted sum mod 11 mod 10 (FedEx): a remainder of 10
	// gives check digit 0.
	algoMod11
	// algoMod7: the data read as a decimal number, mod 7 (DHL Express).
	algoMod7
	// algoS10: UPU S10 weights 8,6,4,2,3,5,9,7 mod 11, remainder 0 -> 5,
	// 1 -> 0, else 11-remainder.
	algoS10
	// algoMod3736: ISO/IEC 7064 MOD 37,36 hybrid system (DPD); the check
	// character is 0-9 or A-Z.
	algoMod3736
)

// String names the algorithm for error reasons and test output.
func (a algorithm) String() string {
	switch a {
	case algoMod10:
		return "mod 10"
	case algoMod11:
		return "mod 11"
	case algoMod7:
		return "mod 7"
	case algoS10:
		return "UPU S10 mod 11"
	case algoMod3736:
		return "ISO 7064 MOD 37,36"
	default:
		return "none"
	}
}

// s10Weights are the UPU S10 weights for the eight serial digits.
var s10Weights = []int{8, 6, 4, 2, 3, 5, 9, 7}

// checkDigit describes where a format keeps its check character and how it is
// computed. The checked body is number[start : len(number)-end]; its last
// character is the check character and the characters before it are the data.
// Offsets instead of regexp submatches keep Validate free of allocations.
type checkDigit struct {
	algo    algorithm
	weights []int
	// fromRight aligns weights[0] with the data character next to the check
	// character instead of the first one (GS1 style).
	fromRight bool
	// prefix is prepended to the data before weighting; USPS computes the
	// check digit of 20-digit legacy numbers over an implied "91".
	prefix string
	start  int
	end    int
}

// has reports whether the format carries a verifiable check character.
func (c checkDigit) has() bool { return c.algo != algoNone }

// body returns the checked slice of a normalized number, or false when the
// number is too short for the offsets (the caller's regexp normally rules that
// out, but Validate must never panic).
func (c checkDigit) body(number string) (string, bool) {
	hi := len(number) - c.end
	if c.start < 0 || hi-c.start < 2 {
		return "", false
	}
	return number[c.start:hi], true
}

// verify reports whether the check character of number is correct.
func (c checkDigit) verify(number string) bool {
	body, ok := c.body(number)
	if !ok {
		return false
	}
	want, ok := c.compute(body[:len(body)-1])
	return ok && want == body[len(body)-1]
}

// compute returns the check character for data, or false when data holds a
// character the algorithm does not accept.
func (c checkDigit) compute(data string) (byte, bool) {
	switch c.algo {
	case algoMod10:
		sum, ok := c.weightedSum(data, mod10Value)
		if !ok {
			return 0, false
		}
		return byte('0' + (10-sum%10)%10), true
	case algoMod11:
		sum, ok := c.weightedSum(data, digitValue)
		if !ok {
			return 0, false
		}
		return byte('0' + sum%11%10), true
	case algoMod7:
		return mod7(c.prefix, data)
	case algoS10:
		return s10(data)
	case algoMod3736:
		return mod3736(data)
	default:
		return 0, false
	}
}

// weightedSum sums value(ch)*weight over prefix+data, aligning the weights
// from the left or, with fromRight, from the right.
func (c checkDigit) weightedSum(data string, value func(byte) (int, bool)) (int, bool) {
	if len(c.weights) == 0 {
		return 0, false
	}
	n := len(c.prefix) + len(data)
	sum := 0
	for i := 0; i < n; i++ {
		var ch byte
		if i < len(c.prefix) {
			ch = c.prefix[i]
		} else {
			ch = data[i-len(c.prefix)]
		}
		v, ok := value(ch)
		if !ok {
			return 0, false
		}
		pos := i
		if c.fromRight {
			pos = n - 1 - i
		}
		sum += v * c.weights[pos%len(c.weights)]
	}
	return sum, true
}

// digitValue accepts decimal digits only.
func digitValue(ch byte) (int, bool) {
	if ch >= '0' && ch <= '9' {
		return int(ch - '0'), true
	}
	return 0, false
}

// mod10Value accepts digits and upper-case letters; a letter counts as
// (ASCII-3)%10, as the UPS algorithm defines it.
func mod10Value(ch byte) (int, bool) {
	switch {
	case ch >= '0' && ch <= '9':
		return int(ch - '0'), true
	case ch >= 'A' && ch <= 'Z':
		return int(ch-3) % 10, true
	}
	return 0, false
}

// mod7 reads prefix+data as a decimal number and returns it mod 7, digit by
// digit so that long numbers cannot overflow.
func mod7(prefix, data string) (byte, bool) {
	r := 0
	for _, s := range [2]string{prefix, data} {
		for i := 0; i < len(s); i++ {
			d, ok := digitValue(s[i])
			if !ok {
				return 0, false
			}
			r = (r*10 + d) % 7
		}
	}
	return byte('0' + r), true
}

// s10 computes the UPU S10 check digit of the eight serial digits.
func s10(data string) (byte, bool) {
	if len(data) != len(s10Weights) {
		return 0, false
	}
	sum := 0
	for i := 0; i < len(data); i++ {
		d, ok := digitValue(data[i])
		if !ok {
			return 0, false
		}
		sum += d * s10Weights[i]
	}
	switch r := sum % 11; r {
	case 0:
		return '5', true
	case 1:
		return '0', true
	default:
		return byte('0' + 11 - r), true
	}
}

// mod3736 computes the ISO/IEC 7064 MOD 37,36 check character as DPD's label
// specification describes it: start at 36; per character add its value
// (0-9, A=10 ... Z=35), reduce mod 36 into 1..36, double, reduce mod 37; the
// check value is 37 minus the result, 36 meaning 0.
func mod3736(data string) (byte, bool) {
	const mod = 36
	cd := mod
	for i := 0; i < len(data); i++ {
		v, ok := alnumValue(data[i])
		if !ok {
			return 0, false
		}
		cd += v
		if cd > mod {
			cd -= mod
		}
		cd *= 2
		if cd > mod {
			cd -= mod + 1
		}
	}
	cd = mod + 1 - cd
	if cd == mod {
		cd = 0
	}
	return alnumChar(cd), true
}

// alnumValue maps 0-9 to 0..9 and A-Z to 10..35.
func alnumValue(ch byte) (int, bool) {
	switch {
	case ch >= '0' && ch <= '9':
		return int(ch - '0'), true
	case ch >= 'A' && ch <= 'Z':
		return int(ch-'A') + 10, true
	}
	return 0, false
}

// alnumChar is the inverse of alnumValue for 0..35.
func alnumChar(v int) byte {
	if v < 10 {
		return byte('0' + v)
	}
	return byte('A' + v - 10)
}
