package mapping

import (
	"bytes"
	"fmt"
	"testing"
)

// largeConfig builds a valid configuration of shops Shopify shops and as
// many Amazon sellers, each with a few warehouses and carriers: about
// 660 bytes per shop and seller, so 7000 make the 4.6 MB of a large host.
func largeConfig(shops int) []byte {
	var b bytes.Buffer
	b.WriteString("{\n  \"shopify\": {\n")
	for i := range shops {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "    \"shop-%d.myshopify.com\": {\n      \"locations\": {\"AMS\": \"gid://shopify/Location/%d\", \"BER\": %d, \"RTM\": %d},\n", i, 1000+i, 2000+i, 3000+i)
		b.WriteString("      \"carriers\": {\n")
		b.WriteString("        \"own-dhl\": {\"carrier\": \"dhl-express\"},\n")
		b.WriteString("        \"bike\": {\"company\": \"Fietskoerier\", \"url\": \"https://track.example.com/parcel?id={number}&lang=nl\"},\n")
		b.WriteString("        \"postnl/evening\": {\"company\": \"PostNL\", \"url\": \"https://jouw.postnl.nl/track-and-trace/{number}-NL\"}\n")
		b.WriteString("      }\n    }")
	}
	b.WriteString("\n  },\n  \"amazon\": {\n")
	for i := range shops {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "    \"A%dSELLER/A1PA6795UKMFR9\": {\n      \"carriers\": {\n", i)
		b.WriteString("        \"bike\": {\"code\": \"Other\", \"name\": \"Fietskoerier\", \"shipping_method\": \"Same day\"},\n")
		b.WriteString("        \"ups/express\": {\"carrier\": \"ups\", \"shipping_method\": \"UPS Express Saver\"}\n")
		b.WriteString("      }\n    }")
	}
	b.WriteString("\n  }\n}\n")
	return b.Bytes()
}

// BenchmarkLoadLarge loads a 4.6 MB configuration, the size whose load
// once took seconds because every token counted the lines before it.
func BenchmarkLoadLarge(b *testing.B) {
	data := largeConfig(7000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
