package notify

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strings"
)

// StoreConfig is how one store emails its customers (WithStore,
// WithDefaultStore).
type StoreConfig struct {
	// Name is the store's name as customers know it, shown in emails.
	Name string
	// From is the sender: "Demo Shop <shop@demo.example>" or an address.
	// Required. Its domain also names the Message-IDs.
	From string
	// ReplyTo, if set, is where customers' replies go.
	ReplyTo string
	// Locale is the store's default locale, used when the customer's has
	// no templates: a customer's "nl-BE" tries nl-be, nl, this locale (and
	// its language), then en. Default: en.
	Locale string
	// ListUnsubscribe are the https: or mailto: URIs of the
	// List-Unsubscribe header (RFC 2369); none: no header. Transactional
	// emails need none, but some stores offer one anyway.
	ListUnsubscribe []string
	// Triggers switches triggers by name: Off, On, or AfterChannel (wait
	// until the order's channel holds the package). A trigger the map does
	// not name keeps its Trigger.Default.
	Triggers map[string]Mode
	// Templates override the built-in templates (see Template).
	Templates []Template
}

// store is a checked StoreConfig with its resolved templates and modes.
type store struct {
	key     string
	cfg     StoreConfig
	locale  string
	modes   map[string]Mode // every trigger's resolved mode
	catalog catalog
}

// compileStore checks cfg for the store key ("" for the default store)
// and resolves its templates; it returns every problem at once.
func compileStore(key string, cfg StoreConfig, triggers []*Trigger) (*store, []error) {
	var errs []error
	bad := func(setting, problem string) {
		errs = append(errs, &ConfigError{Store: key, Setting: setting, Problem: problem})
	}
	if err := checkAddress(cfg.From); err != nil {
		bad("from", err.Error())
	}
	if cfg.ReplyTo != "" {
		if err := checkAddress(cfg.ReplyTo); err != nil {
			bad("reply-to", err.Error())
		}
	}
	st := &store{key: key, cfg: cfg, locale: normalizeLocale(cfg.Locale), modes: map[string]Mode{}}
	if cfg.Locale != "" && st.locale == "" {
		bad("locale", fmt.Sprintf("%q is not a language tag such as \"nl\" or \"de-AT\"", cfg.Locale))
	}
	for _, u := range cfg.ListUnsubscribe {
		if err := checkUnsubscribe(u); err != nil {
			bad("list-unsubscribe", err.Error())
		}
	}
	known := map[string]*Trigger{}
	for _, t := range triggers {
		known[t.Name] = t
		st.modes[t.Name] = cfg.Triggers[t.Name].resolve(t.Default)
	}
	for name, m := range cfg.Triggers {
		if known[name] == nil {
			bad("triggers", fmt.Sprintf("unknown trigger %q; the Notifier has %s", name, triggerNames(triggers)))
		}
		if m > AfterChannel {
			bad("triggers", fmt.Sprintf("trigger %q has unknown mode %d", name, m))
		}
	}
	cat, terrs := buildCatalog(key, triggers, cfg.Templates)
	st.catalog = cat
	return st, append(errs, terrs...)
}

func triggerNames(triggers []*Trigger) string {
	names := make([]string, len(triggers))
	for i, t := range triggers {
		names[i] = fmt.Sprintf("%q", t.Name)
	}
	return strings.Join(names, ", ")
}

// checkAddress accepts "Name <address>" or an address.
func checkAddress(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("is empty: set a sender such as \"Demo Shop <shop@demo.example>\"")
	}
	if _, err := mail.ParseAddress(s); err != nil {
		return fmt.Errorf("%q is not an email address: %v", s, err)
	}
	return nil
}

// checkUnsubscribe accepts an https: URL with a host or a mailto: URI,
// without the characters that would break out of the header's <…>.
func checkUnsubscribe(raw string) error {
	if strings.ContainsAny(raw, "<>\r\n\t ,") {
		return fmt.Errorf("%q holds a character not allowed in the header (<, >, comma, space or a line break)", raw)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not a URI", raw)
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		if u.Host == "" || u.User != nil {
			return fmt.Errorf("%q: an https URL needs a host and no user info", raw)
		}
	case "mailto":
		if _, err := mail.ParseAddress(u.Opaque); err != nil {
			return fmt.Errorf("%q: the mailto address is malformed", raw)
		}
	default:
		return fmt.Errorf("%q: want an https: URL or a mailto: URI", raw)
	}
	return nil
}
