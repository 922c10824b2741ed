package mapping

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// maxConfigSize bounds what Load reads: a mapping of thousands of stores
// is a few megabytes.
const maxConfigSize = 32 << 20

// Load reads a JSON mapping configuration (see Config) and returns a Static
// resolver over it. Decoding is strict: an unknown field, a value of the
// wrong type, a bad location id or URL template is a *ConfigError that
// names the JSON path and line; every problem is reported at once.
func Load(r io.Reader) (*Static, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxConfigSize+1))
	if err != nil {
		return nil, fmt.Errorf("mapping: read configuration: %w", err)
	}
	if len(data) > maxConfigSize {
		return nil, &ConfigError{Problem: fmt.Sprintf("configuration larger than %d bytes", maxConfigSize)}
	}
	root, err := parseTree(data)
	if err != nil {
		return nil, err
	}
	d := decoder{lines: map[string]int{}}
	cfg := d.config(root)
	if len(d.errs) > 0 {
		return nil, errors.Join(d.errs...)
	}
	return build(cfg, d.lines)
}

// LoadFile is Load of the file at path; its errors name the file.
func LoadFile(path string) (*Static, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("mapping: %w", err)
	}
	defer f.Close()
	s, err := Load(f)
	if err != nil {
		setFile(err, path)
		return nil, err
	}
	return s, nil
}

// setFile names the file in every *ConfigError inside err.
func setFile(err error, path string) {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			setFile(e, path)
		}
		return
	}
	var ce *ConfigError
	if errors.As(err, &ce) {
		ce.File = path
	}
}

// decoder turns a parsed tree into a Config, strictly, collecting every
// problem and the line of every path.
type decoder struct {
	lines map[string]int
	errs  []error
}

func (d *decoder) fail(p jsonPath, n *node, problem string) {
	d.errs = append(d.errs, &ConfigError{Path: p.String(), Line: n.line, Problem: problem})
}

// object checks that n is an object and calls fn for each field whose key
// is allowed (all keys when allowed is nil).
func (d *decoder) object(p jsonPath, n *node, allowed []string, fn func(key string, p jsonPath, v *node)) {
	d.lines[p.String()] = n.line
	if n.kind != kindObject {
		d.fail(p, n, "want an object, got "+n.kind.String())
		return
	}
	for _, f := range n.fields {
		fp := p.child(f.key)
		if allowed != nil && !contains(allowed, f.key) {
			d.fail(fp, f.val, fmt.Sprintf("unknown field %q; want one of %q", f.key, allowed))
			continue
		}
		d.lines[fp.String()] = f.line
		fn(f.key, fp, f.val)
	}
}

func (d *decoder) str(p jsonPath, n *node) string {
	if n.kind != kindString {
		d.fail(p, n, "want a string, got "+n.kind.String())
		return ""
	}
	return n.str
}

func (d *decoder) config(root *node) Config {
	var cfg Config
	d.object(nil, root, []string{"shopify", "amazon", "channels"}, func(key string, p jsonPath, v *node) {
		switch key {
		case "shopify":
			cfg.Shopify = map[string]ShopifyStore{}
			d.object(p, v, nil, func(store string, p jsonPath, v *node) { cfg.Shopify[store] = d.shopifyStore(p, v) })
		case "amazon":
			cfg.Amazon = map[string]AmazonStore{}
			d.object(p, v, nil, func(store string, p jsonPath, v *node) { cfg.Amazon[store] = d.amazonStore(p, v) })
		case "channels":
			cfg.Channels = map[string]ChannelConfig{}
			d.object(p, v, nil, func(ch string, p jsonPath, v *node) { cfg.Channels[ch] = d.channel(p, v) })
		}
	})
	return cfg
}

func (d *decoder) shopifyStore(p jsonPath, n *node) ShopifyStore {
	locs, carriers := decodeStore(d, p, n, `"gid://shopify/Location/<n>" or a number`, func(c *ShopifyCarrier) map[string]*string {
		return map[string]*string{"carrier": &c.Carrier, "company": &c.Company, "url": &c.URL}
	})
	return ShopifyStore{Locations: locs, Carriers: carriers}
}

func (d *decoder) amazonStore(p jsonPath, n *node) AmazonStore {
	_, carriers := decodeStore(d, p, n, "", func(c *AmazonCarrier) map[string]*string {
		return map[string]*string{"carrier": &c.Carrier, "code": &c.Code, "name": &c.Name, "shipping_method": &c.ShippingMethod}
	})
	return AmazonStore{Carriers: carriers}
}

func (d *decoder) channel(p jsonPath, n *node) ChannelConfig {
	var ch ChannelConfig
	d.object(p, n, []string{"require_location", "stores"}, func(key string, p jsonPath, v *node) {
		switch key {
		case "require_location":
			ch.RequireLocation = d.bool(p, v)
		case "stores":
			ch.Stores = map[string]ChannelStore{}
			d.object(p, v, nil, func(store string, p jsonPath, v *node) {
				locs, carriers := decodeStore(d, p, v, "a string or a number", func(c *ChannelCarrier) map[string]*string {
					return map[string]*string{"carrier": &c.Carrier, "code": &c.Code, "name": &c.Name, "service": &c.Service, "url": &c.URL}
				})
				ch.Stores[store] = ChannelStore{Locations: locs, Carriers: carriers}
			})
		}
	})
	return ch
}

// storeFields are the fields of a store; a channel without locations has
// the last only.
var storeFields = []string{"locations", "carriers"}

// decodeStore decodes the "locations" and "carriers" of a store, every
// channel's store having that shape. locationID describes a valid location
// id; "" for a channel that takes no location (Amazon), whose stores then
// have no "locations". fields names the string fields of a carrier entry.
func decodeStore[C any](d *decoder, p jsonPath, n *node, locationID string, fields func(*C) map[string]*string) (map[string]string, map[string]C) {
	allowed := storeFields
	if locationID == "" {
		allowed = storeFields[1:]
	}
	var locs map[string]string
	var carriers map[string]C
	d.object(p, n, allowed, func(key string, p jsonPath, v *node) {
		switch key {
		case "locations":
			locs = d.locations(p, v, locationID)
		case "carriers":
			carriers = map[string]C{}
			d.object(p, v, nil, func(code string, p jsonPath, v *node) {
				var c C
				d.strings(p, v, fields(&c))
				carriers[code] = c
			})
		}
	})
	return locs, carriers
}

// locations decodes warehouse → location id; a number stands for its
// digits, and build checks the ids. want describes a valid id.
func (d *decoder) locations(p jsonPath, n *node, want string) map[string]string {
	out := map[string]string{}
	d.object(p, n, nil, func(wh string, p jsonPath, v *node) {
		switch v.kind {
		case kindString:
			out[wh] = v.str
		case kindNumber:
			out[wh] = v.num.String()
		default:
			d.fail(p, v, "want a location id ("+want+"), got "+v.kind.String())
		}
	})
	return out
}

func (d *decoder) bool(p jsonPath, n *node) bool {
	if n.kind != kindBool {
		d.fail(p, n, "want true or false, got "+n.kind.String())
		return false
	}
	return n.bool
}

// strings decodes an object whose fields are all strings into the targets
// named by their keys; any other key is an unknown field.
func (d *decoder) strings(p jsonPath, n *node, targets map[string]*string) {
	d.object(p, n, sortedKeys(targets), func(key string, p jsonPath, v *node) { *targets[key] = d.str(p, v) })
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
