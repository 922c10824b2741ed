package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

// Credentials come from a JSON file (-credentials, or the file named by
// TRACKSYNC_CREDENTIALS) and from environment variables, never from flags:
// flags end up in shell history and process listings.
//
//	{
//	  "shopify": {"demo-shop.myshopify.com": {"access_token": "shpat_…"}},
//	  "amazon":  {"A2EXAMPLESELLER": {"client_id": "amzn1.application-oa2-client.…",
//	                                  "client_secret": "…", "refresh_token": "Atzr|…", "region": "eu"}}
//	}
//
// Environment variables override the file, field by field:
//
//	TRACKSYNC_SHOPIFY_TOKEN_<SHOP>           <SHOP>: the shop name without .myshopify.com,
//	                                         upper case, '-' as '_' (DEMO_SHOP)
//	TRACKSYNC_AMAZON_REFRESH_TOKEN_<SELLER>  <SELLER>: the seller id, upper case
//	TRACKSYNC_AMAZON_CLIENT_ID_<SELLER>      the LWA app's client id and secret; without
//	TRACKSYNC_AMAZON_CLIENT_SECRET_<SELLER>  _<SELLER>, for every seller that has none
//	TRACKSYNC_AMAZON_REGION_<SELLER>         na, eu or fe; default: the region of the
//	                                         seller's marketplaces in the orders
const (
	envCredentials      = "TRACKSYNC_CREDENTIALS"
	envShopifyToken     = "TRACKSYNC_SHOPIFY_TOKEN"
	envAmazonClientID   = "TRACKSYNC_AMAZON_CLIENT_ID"
	envAmazonSecret     = "TRACKSYNC_AMAZON_CLIENT_SECRET"
	envAmazonRefresh    = "TRACKSYNC_AMAZON_REFRESH_TOKEN"
	envAmazonRegion     = "TRACKSYNC_AMAZON_REGION"
	maxCredentialsBytes = 1 << 20
)

// secret is a credential. However it is printed or encoded, it shows
// "REDACTED"; only reveal gives the value, for the client that sends it.
type secret string

const redacted = "REDACTED"

func (s secret) String() string   { return redacted }
func (s secret) GoString() string { return redacted }

// Format keeps the value out of every fmt verb (%v, %s, %q, %x, …).
func (s secret) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, redacted) }

// MarshalJSON keeps the value out of JSON output.
func (s secret) MarshalJSON() ([]byte, error) { return json.Marshal(redacted) }

func (s secret) reveal() string { return string(s) }

// Set implements flag.Value, for a flag that takes a secret (-postgres).
func (s *secret) Set(v string) error {
	*s = secret(v)
	return nil
}

// credentials is the credentials file's content.
type credentials struct {
	Shopify map[string]shopifyCredentials `json:"shopify,omitempty"`
	Amazon  map[string]amazonCredentials  `json:"amazon,omitempty"`
	getenv  func(string) string
}

type shopifyCredentials struct {
	AccessToken secret `json:"access_token"`
}

type amazonCredentials struct {
	ClientID     string `json:"client_id"`
	ClientSecret secret `json:"client_secret"`
	RefreshToken secret `json:"refresh_token"`
	Region       string `json:"region,omitempty"` // na, eu, fe
}

// loadCredentials reads the credentials file at path ("" for none: the
// environment alone) and warns on warn when others may read it. Its
// errors never quote the file's content.
func loadCredentials(path string, getenv func(string) string, warn io.Writer) (*credentials, error) {
	c := &credentials{getenv: getenv}
	if path == "" {
		path = getenv(envCredentials)
	}
	if path == "" {
		return c, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Mode().Perm()&0o077 != 0 {
		fmt.Fprintf(warn, "warning: credentials file %s can be read by other users (mode %s); run: chmod 600 %s\n", path, fi.Mode().Perm(), path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxCredentialsBytes+1))
	if err != nil {
		return nil, fmt.Errorf("credentials: %s: %w", path, err)
	}
	if len(data) > maxCredentialsBytes {
		return nil, fmt.Errorf("credentials: %s is larger than 1 MiB; is it the right file?", path)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(c); err != nil {
		// encoding/json's messages name types and fields, never values.
		return nil, fmt.Errorf("credentials: %s: %w (want {\"shopify\": {\"<shop>\": {\"access_token\": …}}, \"amazon\": {\"<seller>\": {\"client_id\", \"client_secret\", \"refresh_token\"}}})", path, err)
	}
	return c, nil
}

// envName turns a shop name or seller id into the suffix of its variables.
func envName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			return r
		}
		return '_'
	}, s)
}

// shopName is a shop domain without .myshopify.com, lower case: how file
// keys and orders' stores are compared.
func shopName(domain string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(domain)), ".myshopify.com")
}

// shopifyToken returns the access token of a shop, and the variable that
// would set it (for the problem when there is none).
func (c *credentials) shopifyToken(shop string) (secret, string) {
	name := envShopifyToken + "_" + envName(shopName(shop))
	if v := c.getenv(name); v != "" {
		return secret(v), name
	}
	for k, v := range c.Shopify {
		if shopName(k) == shopName(shop) {
			return v.AccessToken, name
		}
	}
	return "", name
}

// amazonSeller returns a seller's credentials and the variables of the
// fields still missing.
func (c *credentials) amazonSeller(seller string) (amazonCredentials, []string) {
	var a amazonCredentials
	for k, v := range c.Amazon {
		if strings.EqualFold(k, seller) {
			a = v
		}
	}
	sfx := "_" + envName(seller)
	override := func(dst *string, name, fallback string) {
		if v := c.getenv(name + sfx); v != "" {
			*dst = v
		} else if *dst == "" && fallback != "" {
			*dst = c.getenv(fallback)
		}
	}
	override(&a.ClientID, envAmazonClientID, envAmazonClientID)
	override((*string)(&a.ClientSecret), envAmazonSecret, envAmazonSecret)
	override((*string)(&a.RefreshToken), envAmazonRefresh, "")
	override(&a.Region, envAmazonRegion, "")
	var missing []string
	if a.ClientID == "" {
		missing = append(missing, envAmazonClientID+sfx)
	}
	if a.ClientSecret == "" {
		missing = append(missing, envAmazonSecret+sfx)
	}
	if a.RefreshToken == "" {
		missing = append(missing, envAmazonRefresh+sfx)
	}
	return a, missing
}
