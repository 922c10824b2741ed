package carrier

import "testing"

// benchCorpus mixes carriers, pasted and clean input, hits and misses, the
// way an order import delivers them.
var benchCorpus = []string{
	"1Z5R89390357567127",
	"1z 999 aa1 01 2345 6784",
	"986578788855",
	"9400 1112 0108 0805 4830 16",
	"420902459261290336128704042634",
	"00340434161094042557",
	"RB123456785GB",
	"LX473124829NL",
	"3STUNM283054292",
	"TBA000000000000",
	"0998 0000 0200 34D",
	"3318810025",
	"C11031500001879",
	"0073938000549297",
	"JVGL0627463317265600",
	"not a tracking number",
}

func BenchmarkDetect(b *testing.B) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_ = Detect(benchCorpus[i%len(benchCorpus)])
		i++
	}
}

func BenchmarkValidate(b *testing.B) {
	ups, _ := Lookup("ups")
	b.ReportAllocs()
	for b.Loop() {
		if err := ups.Validate("1Z999AA10123456784"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidateUSPSRouted(b *testing.B) {
	usps, _ := Lookup("usps")
	b.ReportAllocs()
	for b.Loop() {
		if err := usps.Validate("420902459261290336128704042634"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNormalizePasted(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = Normalize("1z 999 aa1 01 2345 6784")
	}
}
