package carrier_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/shopctrl/tracksync/tracking/carrier"
)

// A number pasted from a label: detect the carrier, validate it for the
// carrier the merchant picked, and link to the tracking page.
func Example() {
	pasted := "1z 999 aa1 01 2345 6784"

	for _, m := range carrier.Detect(pasted) {
		fmt.Printf("candidate: %s (%s, verified %v)\n", m.Carrier.Name, m.Format, m.Verified)
	}

	ups, _ := carrier.Lookup("ups")
	if err := ups.Validate(pasted); err == nil {
		fmt.Println("valid:", carrier.Normalize(pasted))
	}
	fmt.Println(ups.TrackingURL(pasted))

	err := ups.Validate("1Z999AA10123456785") // last digit mistyped
	fmt.Println(errors.Is(err, carrier.ErrCheckDigit))

	// Output:
	// candidate: UPS (UPS 1Z, verified true)
	// valid: 1Z999AA10123456784
	// https://www.ups.com/track?tracknum=1Z999AA10123456784
	// true
}

// Exporters apply the merchant's policy before pushing a number.
func ExamplePolicy_Check() {
	policy, _ := carrier.ParsePolicy("warn")
	dhl, _ := carrier.Lookup("dhl-paket")

	warning, err := policy.Check(dhl, "00340434161094042558")
	fmt.Println(err)
	fmt.Println(warning)

	// Output:
	// <nil>
	// invalid dhl-paket tracking number "00340434161094042558": the DHL Paket 20-digit (SSCC) check digit (mod 10) does not match; pushed anyway
}

// The tracking-number step of an exporter: one call per shipment, the
// same on every channel. Under PolicyStrict the wrong number fails the
// shipment; under PolicyWarn it is pushed with a warning.
func ExamplePolicy_Vet() {
	ctx := context.Background()
	ups, _ := carrier.Lookup("ups")
	for _, policy := range []carrier.Policy{carrier.PolicyWarn, carrier.PolicyStrict} {
		warnings, err := policy.Vet(ctx, nil, ups, "1Z999AA10123456785", "order", "O1", "shipment", "S1")
		fmt.Printf("%s: warnings %d, error %v\n", policy, len(warnings), err)
	}

	// Output:
	// warn: warnings 1, error <nil>
	// strict: warnings 0, error invalid ups tracking number "1Z999AA10123456785": the UPS 1Z check digit (mod 10) does not match
}

// PostNL's full tracking page needs the destination country and postcode.
func ExampleCarrier_TrackingURLFor() {
	postnl, _ := carrier.Lookup("postnl")
	fmt.Println(postnl.TrackingURLFor("3S TUNM 283054292", carrier.Destination{Country: "NL", Postcode: "1234 AB"}))
	fmt.Println(postnl.TrackingURL("3S TUNM 283054292"))

	// Output:
	// https://jouw.postnl.nl/track-and-trace/3STUNM283054292-NL-1234AB
	// https://jouw.postnl.nl/track-and-trace/3STUNM283054292
}
