// Package carrier is tracksync's carrier catalogue: which carriers exist,
// what their tracking numbers look like, how to check them, where to track
// them, and what each sales channel calls them.
//
// The Shopify and Amazon exporters and the mapping package use it to
//
//   - find a carrier by its stable code (Lookup, All);
//   - check a number before pushing it (Carrier.Validate, and Policy to decide
//     between warning, failing and not checking; Policy.Vet is that step as
//     every exporter runs it);
//   - guess the carrier of a bare number (Detect), most likely first;
//   - link to the carrier's public tracking page (Carrier.TrackingURL, and
//     Carrier.TrackingURLFor for carriers such as PostNL whose full page needs
//     the destination country and postcode);
//   - name the carrier the way Shopify and Amazon expect (Carrier.ShopifyCompany,
//     Carrier.AmazonCode; "" when the channel does not know the carrier).
//
// Only Shopify and Amazon have a column: the mapping checks configurations
// against those names when it loads, and each value cites the channel's
// list. Another channel keeps its names for catalogue carriers in its own
// package, or takes them from its mapping section; adding a channel
// changes nothing here (CONTRIBUTING.md, "Design notes", says why).
//
// Numbers are normalized first (Normalize): spaces, dashes and dots are
// removed and letters upper-cased, so pasted input such as
// "1z 999 aa1 01 2345 6784" works everywhere.
//
// # Check digits
//
// A carrier's number is "verified" only when a published check-digit
// algorithm confirms it. These formats have one:
//
//   - UPS 1Z and waybill numbers (mod 10, weights 1,2, letters mapped);
//   - FedEx 12-digit and 34-digit Express and ASTRA (mod 11), Ground 15-digit,
//     SSCC-18 and 96 22-digit (mod 10), Ground GSN 34-digit (mod 11);
//   - USPS IMpb 22/26-digit with or without 420 ZIP routing, and 20-digit
//     numbers (mod 10, weights 3,1);
//   - UPU S10 international numbers (weights 8,6,4,2,3,5,9,7, mod 11) of
//     postnl, royal-mail, deutsche-post, la-poste, bpost, poste-italiane,
//     correos, canada-post, australia-post and usps, and the S10 parcel series
//     of dhl-paket and colissimo;
//   - DHL Express waybills (mod 7);
//   - DHL Paket 20-digit SSCC numbers (mod 10, weights 3,1) and 12-digit
//     Identcodes (mod 10, weights 4,9);
//   - DPD 15- and 28-character numbers (ISO/IEC 7064 MOD 37,36);
//   - Hermes (Germany) 14-digit numbers (mod 10, weights 3,1);
//   - Canada Post 16-digit numbers (mod 10, weights 3,1);
//   - OnTrac C/D numbers (mod 10, weights 1,2, UPS letter rule).
//
// All other formats are checked by shape only, because the carrier publishes
// no check digit: Amazon Logistics TBA, PostNL 3S, DHL Parcel JVGL/3S, DHL
// eCommerce GM, Asian-prefix and 14-digit numbers (its US IMpb labels carry the USPS check
// digit), DHL Express piece ids, DHL Paket JJD, GLS, Evri, Hermes 16-digit,
// Colissimo and La Poste domestic, Correos Paq, Budbee, bare DPD parcel
// numbers and Australia Post domestic ids. The "other" carrier accepts any
// non-empty number and has no tracking page.
//
// The formats, algorithms and most test numbers come from
// github.com/jkeen/tracking_number_data (MIT); catalogue.go cites the source
// of every row, channel name and URL.
package carrier
