package mapping

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/carrier"
)

// Static is the mapping over a fixed Config, checked and indexed once: it
// is the shopify.Mapping and the amazon.Mapping of the exporters, serves
// every other channel through Location and Carrier, and is the Checker of
// Validate. It is immutable and safe for concurrent use; to change the
// mapping, build a new one and swap it in.
type Static struct {
	shopify  map[string]shopifyStore // by lower-cased shop domain
	amazon   map[string]AmazonStore  // by "seller/marketplace" or "seller"
	channels map[tracking.Channel]channelMapping
}

type shopifyStore struct {
	key       string            // as configured, for hints
	locations map[string]string // warehouse → normalized location gid
	carriers  map[string]ShopifyCarrier
}

var _ Resolver = (*Static)(nil) // so that code written against Resolver keeps working

// New checks cfg and returns a Static resolver over it. Every problem is
// reported at once, as joined *ConfigError (errors.Is ErrInvalidConfig).
func New(cfg Config) (*Static, error) {
	return build(cfg, nil)
}

// build checks cfg; lines, when known, gives the input line of a path.
func build(cfg Config, lines map[string]int) (*Static, error) {
	c := checker{lines: lines}
	s := &Static{shopify: map[string]shopifyStore{}, amazon: map[string]AmazonStore{}, channels: map[tracking.Channel]channelMapping{}}
	for _, store := range sortedKeys(cfg.Shopify) {
		st := cfg.Shopify[store]
		p := jsonPath{"shopify", store}
		lower := strings.ToLower(strings.TrimSpace(store))
		if lower == "" {
			c.fail(p, "the shop domain is empty")
			continue
		}
		if prev, dup := s.shopify[lower]; dup {
			c.fail(p, fmt.Sprintf("the same shop as %q (shop domains ignore case)", prev.key))
			continue
		}
		out := shopifyStore{key: store, locations: map[string]string{}, carriers: st.Carriers}
		for _, wh := range sortedKeys(st.Locations) {
			lp := p.child("locations").child(wh)
			if wh == "" {
				c.fail(lp, "the warehouse code is empty")
				continue
			}
			gid, ok := locationGID(st.Locations[wh])
			if !ok {
				c.fail(lp, fmt.Sprintf("%q is not a Shopify location id; want \"gid://shopify/Location/<n>\" or the number", st.Locations[wh]))
				continue
			}
			out.locations[wh] = gid
		}
		for _, key := range sortedKeys(st.Carriers) {
			c.shopifyCarrier(p.child("carriers").child(key), key, st.Carriers[key])
		}
		s.shopify[lower] = out
	}
	for _, store := range sortedKeys(cfg.Amazon) {
		st := cfg.Amazon[store]
		p := jsonPath{"amazon", store}
		if seller, mkt, ok := strings.Cut(store, "/"); store == "" || seller == "" || (ok && (mkt == "" || strings.Contains(mkt, "/"))) {
			c.fail(p, "want \"sellerID\" or \"sellerID/marketplaceID\"")
			continue
		}
		for _, key := range sortedKeys(st.Carriers) {
			c.amazonCarrier(p.child("carriers").child(key), key, st.Carriers[key])
		}
		s.amazon[store] = st
	}
	for _, name := range sortedKeys(cfg.Channels) {
		if ch, ok := c.channel(name, cfg.Channels[name]); ok {
			s.channels[tracking.Channel(name)] = ch
		}
	}
	if err := errors.Join(c.errs...); err != nil {
		return nil, err
	}
	return s, nil
}

type checker struct {
	lines map[string]int
	errs  []error
}

func (c *checker) fail(p jsonPath, problem string) {
	path := p.String()
	c.errs = append(c.errs, &ConfigError{Path: path, Line: c.lines[path], Problem: problem})
}

func (c *checker) carrierKey(p jsonPath, key string) bool {
	code, service, hasService := strings.Cut(key, "/")
	if code == "" || (hasService && (service == "" || strings.Contains(service, "/"))) {
		c.fail(p, "want a host carrier code, or \"code/service\"")
		return false
	}
	return true
}

// catalogue returns the catalogue carrier an entry names, or the one the
// host code is, if any. "other" is a catch-all, never a default.
func catalogue(named, hostCode string) (carrier.Carrier, bool) {
	code := named
	if code == "" {
		code, _, _ = strings.Cut(hostCode, "/")
	}
	cr, ok := carrier.Lookup(code)
	if !ok || cr.Code == "other" {
		return carrier.Carrier{}, false
	}
	return cr, true
}

// entryBase checks an entry's key and the catalogue carrier it names, and
// returns the catalogue carrier whose defaults apply to it.
func (c *checker) entryBase(p jsonPath, key, named string) (carrier.Carrier, bool) {
	if !c.carrierKey(p, key) {
		return carrier.Carrier{}, false
	}
	if named != "" {
		if _, ok := carrier.Lookup(named); !ok {
			c.fail(p.child("carrier"), fmt.Sprintf("unknown catalogue carrier %q (see tracking/carrier.All for the codes)", named))
			return carrier.Carrier{}, false
		}
	}
	base, _ := catalogue(named, key)
	return base, true
}

func (c *checker) shopifyCarrier(p jsonPath, key string, e ShopifyCarrier) {
	base, ok := c.entryBase(p, key, e.Carrier)
	if !ok {
		return
	}
	if e.Company == "" && base.ShopifyCompany == "" {
		c.fail(p, "no Shopify company: set \"company\" (and \"url\")")
		return
	}
	if e.URL != "" {
		if err := checkTemplate(e.URL); err != nil {
			c.fail(p.child("url"), fmt.Sprintf("%q %v", e.URL, err))
		}
		return
	}
	if e.Company != "" && !shopifyKnows(e.Company) && base.Code == "" {
		c.fail(p, fmt.Sprintf("company %q is not one Shopify links by itself: set \"url\" to a template with {number}", e.Company))
	}
}

func (c *checker) amazonCarrier(p jsonPath, key string, e AmazonCarrier) {
	base, ok := c.entryBase(p, key, e.Carrier)
	if !ok {
		return
	}
	if _, err := amazonFields(e, base); err != nil {
		c.fail(p, err.Error())
	}
}

// amazonFields works out the carrier fields of an entry over its catalogue
// carrier: the entry's code, else the catalogue's code, else "Other" with
// a name.
func amazonFields(e AmazonCarrier, base carrier.Carrier) (AmazonTracking, error) {
	t := AmazonTracking{CarrierCode: e.Code, CarrierName: e.Name, ShippingMethod: e.ShippingMethod, Carrier: base}
	if t.CarrierCode == "" {
		t.CarrierCode = base.AmazonCode
	}
	if t.CarrierCode == "" {
		if base.Code == "" && e.Name == "" {
			return t, errors.New("no Amazon carrier: set \"code\" (Amazon's carrierCode), or \"code\": \"Other\" with \"name\"")
		}
		t.CarrierCode = AmazonOther
	}
	if strings.EqualFold(t.CarrierCode, AmazonOther) {
		t.CarrierCode = AmazonOther
		if t.CarrierName == "" {
			t.CarrierName = base.Name
		}
		if t.CarrierName == "" {
			return t, errors.New("code \"Other\" needs \"name\", the carrier name Amazon shows")
		}
	} else {
		t.CarrierName = "" // Amazon takes carrierName only with "Other"
	}
	return t, nil
}

// shopifyKnows reports whether Shopify links a company's numbers to a
// tracking page by itself: the companies of the catalogue carriers, which
// are spelled as Shopify spells them.
func shopifyKnows(company string) bool {
	for _, c := range carrier.All() {
		if c.ShopifyCompany == company {
			return true
		}
	}
	return false
}

// locationGID normalizes a Shopify location id to its global id.
func locationGID(s string) (string, bool) {
	const prefix = "gid://shopify/Location/"
	n := strings.TrimPrefix(strings.TrimSpace(s), prefix)
	v, err := strconv.ParseUint(n, 10, 64)
	if err != nil || v == 0 || n[0] == '+' {
		return "", false
	}
	return prefix + strconv.FormatUint(v, 10), true
}

// ShopifyLocation returns the Shopify location id
// ("gid://shopify/Location/<n>") of a host warehouse (shopify.Mapping).
func (s *Static) ShopifyLocation(_ context.Context, store, warehouse string) (string, error) {
	st, ok := s.shopify[strings.ToLower(strings.TrimSpace(store))]
	if gid, found := st.locations[warehouse]; ok && found {
		return gid, nil
	}
	return "", &MissingError{Store: store, Channel: shopifyChannel, Kind: KindLocation, Key: warehouse,
		Hint: fmt.Sprintf("%q: \"gid://shopify/Location/<id>\" under %s", warehouse, jsonPath{"shopify", storeKey(st.key, store), "locations"})}
}

// ShopifyCarrier returns the tracking company and URL of a shipment
// (shopify.Mapping). A shipment without a carrier (not yet
// handed to one) has no tracking company: the zero ShopifyTracking.
func (s *Static) ShopifyCarrier(_ context.Context, store string, sh tracking.Shipment) (ShopifyTracking, error) {
	if sh.Carrier == "" {
		return ShopifyTracking{}, nil
	}
	st := s.shopify[strings.ToLower(strings.TrimSpace(store))]
	e, found := findCarrier(st.carriers, sh.Carrier, sh.Service)
	base, known := catalogue(e.Carrier, sh.Carrier)
	company := e.Company
	if company == "" {
		company = base.ShopifyCompany
	}
	if company == "" {
		reason := fmt.Sprintf("%q is not in the carrier catalogue", sh.Carrier)
		if known {
			reason = fmt.Sprintf("Shopify has no tracking company for %s", base.Name)
		}
		if found {
			reason = ""
		}
		return ShopifyTracking{}, &MissingError{Store: store, Channel: shopifyChannel, Kind: KindCarrier, Key: sh.Carrier, Service: sh.Service, Reason: reason,
			Hint: fmt.Sprintf("%q: {\"company\": \"<Shopify tracking company>\", \"url\": \"https://…{number}\"} under %s", sh.Carrier, jsonPath{"shopify", storeKey(st.key, store), "carriers"})}
	}
	return ShopifyTracking{Company: company, URL: trackingURL(sh, e.URL, base), Carrier: base}, nil
}

// AmazonCarrier returns the carrier fields of a shipment's confirmation
// (amazon.Mapping).
func (s *Static) AmazonCarrier(_ context.Context, store string, sh tracking.Shipment) (AmazonTracking, error) {
	key := store
	st, ok := s.amazon[store]
	if !ok {
		seller, _, _ := strings.Cut(store, "/")
		if st, ok = s.amazon[seller]; ok {
			key = seller
		}
	}
	e, found := findCarrier(st.Carriers, sh.Carrier, sh.Service)
	base, known := catalogue(e.Carrier, sh.Carrier)
	if sh.Carrier == "" || (!found && !known) {
		reason := ""
		if sh.Carrier != "" {
			reason = fmt.Sprintf("%q is not in the carrier catalogue", sh.Carrier)
		}
		return AmazonTracking{}, &MissingError{Store: store, Channel: amazonChannel, Kind: KindCarrier, Key: sh.Carrier, Service: sh.Service, Reason: reason,
			Hint: fmt.Sprintf("%q: {\"code\": \"<Amazon carrierCode>\"} or {\"code\": \"Other\", \"name\": \"<carrier name>\"} under %s", sh.Carrier, jsonPath{"amazon", key, "carriers"})}
	}
	t, err := amazonFields(e, base)
	if err != nil { // only for configs built without New
		return AmazonTracking{}, fmt.Errorf("mapping: amazon store %q carrier %q: %w", store, sh.Carrier, err)
	}
	if t.ShippingMethod == "" {
		t.ShippingMethod = sh.Service
	}
	t.URL = trackingURL(sh, "", base)
	return t, nil
}

// findCarrier returns the entry for code+service, else for code.
func findCarrier[E any](m map[string]E, code, service string) (E, bool) {
	if service != "" {
		if e, ok := m[code+"/"+service]; ok {
			return e, true
		}
	}
	e, ok := m[code]
	return e, ok
}

func storeKey(configured, asked string) string {
	if configured != "" {
		return configured
	}
	return asked
}
