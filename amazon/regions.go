package amazon

import (
	"fmt"
	"strings"
)

// Region is an SP-API region: where a seller's requests go.
// https://developer-docs.amazon.com/sp-api/docs/sp-api-endpoints
type Region struct {
	Name     string // "na", "eu", "fe"
	Endpoint string // production host URL
	Sandbox  string // static sandbox host URL
}

// The SP-API regions.
var (
	NorthAmerica = Region{Name: "na", Endpoint: "https://sellingpartnerapi-na.amazon.com", Sandbox: "https://sandbox.sellingpartnerapi-na.amazon.com"}
	Europe       = Region{Name: "eu", Endpoint: "https://sellingpartnerapi-eu.amazon.com", Sandbox: "https://sandbox.sellingpartnerapi-eu.amazon.com"}
	FarEast      = Region{Name: "fe", Endpoint: "https://sellingpartnerapi-fe.amazon.com", Sandbox: "https://sandbox.sellingpartnerapi-fe.amazon.com"}
)

// Marketplace is an Amazon marketplace and the region that serves it.
type Marketplace struct {
	ID      string
	Country string // ISO 3166-1 alpha-2
	Region  Region
}

// marketplaces are Amazon's published marketplace ids
// (https://developer-docs.amazon.com/sp-api/docs/marketplace-ids).
var marketplaces = map[string]Marketplace{}

func init() {
	for region, ids := range map[Region]map[string]string{
		NorthAmerica: {"US": "ATVPDKIKX0DER", "CA": "A2EUQ1WTGCTBG2", "MX": "A1AM78C64UM0Y8", "BR": "A2Q3Y263D00KWC"},
		Europe: {"GB": "A1F83G8C2ARO7P", "DE": "A1PA6795UKMFR9", "FR": "A13V1IB3VIYZZH", "IT": "APJ6JRA9NG5V4",
			"ES": "A1RKKUPIHCS9HS", "NL": "A1805IZSGTT6HS", "SE": "A2NODRKZP88ZB9", "PL": "A1C3SOZRARQ6R3",
			"BE": "AMEN7PMS3EDWL", "IE": "A28R8C7NBKEWEA", "TR": "A33AVAJ2PDY3EV", "EG": "ARBP9OOSHTCHU",
			"SA": "A17E79C6D8DWNP", "AE": "A2VIGQ35RCS4UG", "IN": "A21TJRUUN4KGV", "ZA": "AE08WJ6YKNBMC"},
		FarEast: {"JP": "A1VC38T7YXB528", "AU": "A39IBJ37TRP1C6", "SG": "A19VAU5U5O7RUS"},
	} {
		for country, id := range ids {
			marketplaces[id] = Marketplace{ID: id, Country: country, Region: region}
		}
	}
}

// LookupMarketplace returns the marketplace with the given id.
func LookupMarketplace(id string) (Marketplace, bool) {
	m, ok := marketplaces[strings.TrimSpace(id)]
	return m, ok
}

// ErrMarketplace reports an unknown marketplace, or one used against a
// region that does not serve it.
var ErrMarketplace error = &permanent{"amazon: marketplace"}

// checkMarketplace refuses, before any call, a marketplace the client's
// region does not serve: Amazon would answer with an authorization error
// that hides the real mistake.
func (r Region) checkMarketplace(id string) error {
	m, ok := LookupMarketplace(id)
	if !ok {
		return fmt.Errorf("%w %q is unknown; see https://developer-docs.amazon.com/sp-api/docs/marketplace-ids", ErrMarketplace, id)
	}
	if m.Region.Name != r.Name {
		return fmt.Errorf("%w %s (%s) belongs to region %s, but the client is for region %s: use a client (and refresh token) of that region",
			ErrMarketplace, id, m.Country, m.Region.Name, r.Name)
	}
	return nil
}

// SplitStore splits a tracking.Order.Store of an Amazon order,
// "sellerID/marketplaceID", into its parts.
func SplitStore(store string) (sellerID, marketplaceID string, err error) {
	seller, mkt, ok := strings.Cut(strings.TrimSpace(store), "/")
	if !ok || seller == "" || mkt == "" || strings.Contains(mkt, "/") {
		return "", "", fmt.Errorf("amazon: store %q: want \"sellerID/marketplaceID\"", store)
	}
	return seller, mkt, nil
}
