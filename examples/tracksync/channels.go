package main

// This file holds everything the command knows of the channel packages:
// the credentials each store needs, how the clients are built and pointed
// at test servers or at the dry run's simulation, and which exporters a
// run uses. The fakes' side is in fakes.go.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/shopctrl/tracksync/amazon"
	"github.com/shopctrl/tracksync/mapping"
	"github.com/shopctrl/tracksync/shopify"
	"github.com/shopctrl/tracksync/tracking"
)

// channelConfig is how the clients reach the channels.
type channelConfig struct {
	shopifyURL, amazonURL string            // loopback test servers (-shopify-url, -amazon-url, -fake)
	amazonLWA             string            // with amazonURL: the test server's Login with Amazon endpoint
	shopifyTransport      http.RoundTripper // nil: the default; set by -fake and the dry run
	amazonTransport       http.RoundTripper
	shopifyVersion        string // "" for the client's default
	feeds                 bool   // Amazon confirmations in bulk through the Feeds API
	feedBatch             int    // packages per feed: the Syncer's concurrency, so that a batch fills at once
	feedPoll              time.Duration
}

// storeCredentials are the clients' credentials of the orders' stores.
type storeCredentials struct {
	shopify map[string]string        // shop domain → access token
	amazon  map[string]amazon.Seller // seller id → credentials and region
}

// resolveCredentials finds the credentials of every store the orders
// name. What is missing is a problem that names the variable to set.
func resolveCredentials(orders []tracking.Order, creds *credentials) (storeCredentials, problems) {
	sc := storeCredentials{shopify: map[string]string{}, amazon: map[string]amazon.Seller{}}
	var ps problems
	regions := map[string][]amazon.Region{} // seller → regions of its marketplaces in the orders
	for _, o := range orders {
		switch o.Channel {
		case tracking.ChannelShopify:
			shop, err := shopify.NormalizeShop(o.Store)
			if err != nil || hasKey(sc.shopify, shop) {
				continue // a bad store is the order's problem (the exporter reports it); a known one is done
			}
			tok, env := creds.shopifyToken(shop)
			if tok == "" {
				ps.add("credentials", "", "", "shop %s has no access token: set %s, or add it under \"shopify\" in the credentials file", shop, env)
			}
			sc.shopify[shop] = tok.reveal()
		case tracking.ChannelAmazon:
			seller, mkt, err := amazon.SplitStore(o.Store)
			if err != nil {
				continue
			}
			if m, ok := amazon.LookupMarketplace(mkt); ok && !slices.Contains(regions[seller], m.Region) {
				regions[seller] = append(regions[seller], m.Region)
			}
		}
	}
	for shop, tok := range sc.shopify {
		if tok == "" {
			delete(sc.shopify, shop)
		}
	}
	for _, seller := range sortedKeys(regions) {
		s, p := amazonSeller(seller, regions[seller], creds)
		ps = append(ps, p...)
		if len(p) == 0 {
			sc.amazon[seller] = s
		}
	}
	return sc, ps
}

// amazonSeller is one seller's credentials and region: the one its
// credentials name, else the region of its marketplaces.
func amazonSeller(seller string, regions []amazon.Region, creds *credentials) (amazon.Seller, problems) {
	var ps problems
	a, missing := creds.amazonSeller(seller)
	if len(missing) > 0 {
		ps.add("credentials", "", "", "Amazon seller %s has no %s: set %s, or add it under \"amazon\" in the credentials file (%s and %s without the seller apply to every seller)",
			seller, strings.Join(missingFields(missing), ", "), strings.Join(missing, ", "), envAmazonClientID, envAmazonSecret)
	}
	var region amazon.Region
	switch {
	case a.Region != "":
		r, ok := regionNamed(a.Region)
		if !ok {
			ps.add("credentials", "", "", "Amazon seller %s: region %q; want na, eu or fe", seller, a.Region)
		}
		region = r
	case len(regions) == 1:
		region = regions[0]
	default:
		ps.add("credentials", "", "", "Amazon seller %s sells in marketplaces of several regions, and a refresh token serves one: set %s_%s to na, eu or fe, and run once per region",
			seller, envAmazonRegion, envName(seller))
	}
	if len(ps) > 0 {
		return amazon.Seller{}, ps
	}
	s := amazon.Seller{Credentials: amazon.Credentials{ClientID: a.ClientID, ClientSecret: a.ClientSecret.reveal(), RefreshToken: a.RefreshToken.reveal()}, Region: region}
	if _, err := amazon.NewClient(s.Credentials, s.Region); err != nil { // the credentials' shape; its errors hold no secret
		ps.add("credentials", "", "", "Amazon seller %s: %v", seller, err)
	}
	return s, ps
}

func missingFields(envs []string) []string {
	out := make([]string, len(envs))
	for i, e := range envs {
		switch {
		case strings.HasPrefix(e, envAmazonClientID):
			out[i] = "client_id"
		case strings.HasPrefix(e, envAmazonSecret):
			out[i] = "client_secret"
		default:
			out[i] = "refresh_token"
		}
	}
	return out
}

func regionNamed(name string) (amazon.Region, bool) {
	for _, r := range []amazon.Region{amazon.NorthAmerica, amazon.Europe, amazon.FarEast} {
		if strings.EqualFold(r.Name, name) {
			return r, true
		}
	}
	return amazon.Region{}, false
}

// newExporters builds the exporters of a run: Shopify fulfillments, and
// Amazon confirmations one by one or, with feeds, in bulk.
func newExporters(m *mapping.Static, sc storeCredentials, cc channelConfig) ([]tracking.Exporter, error) {
	var sopts []shopify.Option
	if cc.shopifyURL != "" {
		sopts = append(sopts, shopify.WithBaseURL(cc.shopifyURL))
	}
	if cc.shopifyTransport != nil {
		sopts = append(sopts, shopify.WithHTTPClient(&http.Client{Transport: cc.shopifyTransport}))
	}
	if cc.shopifyVersion != "" {
		sopts = append(sopts, shopify.WithAPIVersion(cc.shopifyVersion))
	}
	sopts = append(sopts, shopify.WithUserAgent(userAgent))
	shops, err := shopify.NewShopClients(sc.shopify, sopts...)
	if err != nil {
		return nil, err
	}
	shopifyExporter, err := shopify.NewExporter(shops, m)
	if err != nil {
		return nil, err
	}

	var aopts []amazon.Option
	if cc.amazonURL != "" {
		aopts = append(aopts, amazon.WithTestEndpoints(cc.amazonURL, cc.amazonLWA))
	}
	if cc.amazonTransport != nil {
		aopts = append(aopts, amazon.WithHTTPClient(&http.Client{Transport: cc.amazonTransport}))
	}
	aopts = append(aopts, amazon.WithUserAgent(userAgent))
	sellers, err := amazon.NewSellerClients(sc.amazon, aopts...)
	if err != nil {
		return nil, err
	}
	amazonExporter, err := amazon.NewExporter(sellers, m)
	if err != nil {
		return nil, err
	}
	if !cc.feeds {
		return []tracking.Exporter{shopifyExporter, amazonExporter}, nil
	}
	poll := cc.feedPoll
	if poll <= 0 {
		poll = 30 * time.Second
	}
	feeds, err := amazon.NewFeedExporter(amazonExporter,
		amazon.WithBatchSize(max(cc.feedBatch, 1)), amazon.WithBatchWait(2*time.Second), amazon.WithPolling(poll, max(poll, 5*time.Minute)))
	if err != nil {
		return nil, err
	}
	return []tracking.Exporter{shopifyExporter, feeds}, nil
}

// testLWAEndpoint is the Login with Amazon endpoint of the amazontest
// server at amazonURL (-amazon-url), which answers it on its own URL as
// amazontest.Server.LWAEndpoint says; "" without a test server.
func testLWAEndpoint(amazonURL string) string {
	if amazonURL == "" {
		return ""
	}
	return strings.TrimSuffix(amazonURL, "/") + "/auth/o2/token"
}

// mappingProblems lists every missing mapping of the orders.
func mappingProblems(ctx context.Context, where string, m *mapping.Static, orders []tracking.Order) problems {
	var ps problems
	for _, err := range unjoin(mapping.Validate(ctx, m, orders...)) {
		ps.add(where, "", "", "%v", err)
	}
	return ps
}

// loadMapping reads the mapping file; its problems carry their lines.
func loadMapping(path string) (*mapping.Static, problems) {
	m, err := mapping.LoadFile(path)
	if err == nil {
		return m, nil
	}
	var ps problems
	for _, e := range unjoin(err) {
		var ce *mapping.ConfigError
		if !errors.As(e, &ce) {
			ps.add(path, "", "", "%v", e)
			continue
		}
		where := path
		if ce.Line > 0 {
			where = fmt.Sprintf("%s:%d", path, ce.Line)
		}
		ps.add(where, "", ce.Path, "%s", ce.Problem)
	}
	return nil, ps
}

// userAgent names the command in the channels' logs.
const userAgent = "tracksync-cli/1"

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// storeLabel is how a store appears in the summary.
func storeLabel(ch tracking.Channel, store string) string {
	if ch == tracking.ChannelShopify {
		if d, err := shopify.NormalizeShop(store); err == nil {
			return d
		}
	}
	return store
}
