package notify

import (
	"bytes"
	"embed"
	"errors"
	htemplate "html/template"
	"maps"
	"slices"
	"strings"
	"sync"
	ttemplate "text/template"
)

// Template overrides the built-in templates of a store (StoreConfig) or
// gives a custom Trigger its own. Subject and Text are text/template, HTML
// is html/template (which escapes every value for where it stands); all
// three see Data. A part left empty falls through to the next template that
// applies, then to the built-in one.
//
// For a trigger and locale the parts are looked up in this order: the
// store's template for that trigger and locale, for that trigger and any
// locale, for any trigger and that locale, for any trigger and any locale;
// then the trigger's own (Trigger.Templates) for that locale and for any;
// then the built-in one. A template that does not parse, or that fails on
// sample data (a field Data does not have), makes New fail.
type Template struct {
	Trigger string // the trigger it is for; "" for every trigger
	Locale  string // the locale it is written in ("nl", "de-at"); "" for every locale
	Subject string
	Text    string
	HTML    string
}

// builtinLocales are the locales of the built-in templates.
var builtinLocales = []string{"de", "en", "fr", "nl"}

//go:embed builtin/*.tmpl
var builtinFS embed.FS

// parts is one email's three templates, compiled.
type parts struct {
	subject *ttemplate.Template
	text    *ttemplate.Template
	html    *htemplate.Template
}

// fill sets the parts p lacks from q.
func (p parts) fill(q parts) parts {
	if p.subject == nil {
		p.subject = q.subject
	}
	if p.text == nil {
		p.text = q.text
	}
	if p.html == nil {
		p.html = q.html
	}
	return p
}

// builtinKey names one built-in template set.
type builtinKey struct{ trigger, locale string }

// builtinFuncs are the functions the built-in templates call besides the
// phrases: inc numbers the packages from 1.
var builtinFuncs = map[string]any{"inc": func(i int) int { return i + 1 }}

// builtins parses the built-in templates of every built-in trigger and
// locale once per process.
var builtins = sync.OnceValues(func() (map[builtinKey]parts, error) {
	read := func(name string) string {
		b, err := builtinFS.ReadFile("builtin/" + name)
		if err != nil {
			panic("notify: built-in template missing: " + name) // embedded at build time
		}
		return string(b)
	}
	subject, text, html := read("subject.tmpl"), read("text.tmpl"), read("html.tmpl")
	out := map[builtinKey]parts{}
	same := func(s string) string { return s }
	for _, trig := range builtinTriggers() {
		for _, loc := range builtinLocales {
			var t Template
			var errs [3]error
			t.Subject, errs[0] = expandPhrases(subject, loc, trig.Name, same)
			t.Text, errs[1] = expandPhrases(text, loc, trig.Name, same)
			t.HTML, errs[2] = expandPhrases(html, loc, trig.Name, htemplate.HTMLEscapeString)
			if err := errors.Join(errs[:]...); err != nil {
				return nil, err
			}
			p, err := compile(t, builtinFuncs)
			if err != nil {
				return nil, err
			}
			out[builtinKey{trig.Name, loc}] = p
		}
	}
	return out, nil
})

// compile parses the parts a Template sets.
func compile(t Template, funcs map[string]any) (parts, error) {
	var p parts
	var err error
	if t.Subject != "" {
		if p.subject, err = ttemplate.New("subject").Funcs(funcs).Parse(t.Subject); err != nil {
			return p, &ConfigError{Setting: "subject template", Problem: "does not parse", Err: err}
		}
	}
	if t.Text != "" {
		if p.text, err = ttemplate.New("text").Funcs(funcs).Parse(t.Text); err != nil {
			return p, &ConfigError{Setting: "text template", Problem: "does not parse", Err: err}
		}
	}
	if t.HTML != "" {
		if p.html, err = htemplate.New("html").Funcs(funcs).Parse(t.HTML); err != nil {
			return p, &ConfigError{Setting: "html template", Problem: "does not parse", Err: err}
		}
	}
	return p, nil
}

// catalog holds a store's resolved templates: per trigger, per locale,
// every part set and checked.
type catalog map[string]map[string]parts

// choose returns the templates for the first locale of chain that trigger
// has, and that locale.
func (c catalog) choose(trigger string, chain []string) (parts, string) {
	byLocale := c[trigger]
	loc := pickLocale(chain, func(l string) bool { _, ok := byLocale[l]; return ok })
	return byLocale[loc], loc
}

// source is a compiled Template with where it applies.
type source struct {
	trigger, locale string
	parts           parts
}

// buildCatalog resolves the templates of one store for every trigger. It
// returns every problem at once, as *ConfigError values.
func buildCatalog(store string, triggers []*Trigger, overrides []Template) (catalog, []error) {
	var errs []error
	fail := func(err error, trigger, locale string) {
		if ce, ok := err.(*ConfigError); ok {
			ce.Store, ce.Trigger, ce.Locale = store, trigger, locale
		}
		errs = append(errs, err)
	}
	known := map[string]bool{}
	for _, t := range triggers {
		known[t.Name] = true
	}
	storeSources := compileAll(overrides, known, func(err error, t Template) { fail(err, t.Trigger, t.Locale) })
	base, err := builtins()
	if err != nil {
		return nil, append(errs, err)
	}
	out := catalog{}
	for _, trig := range triggers {
		own := compileAll(trig.Templates, map[string]bool{trig.Name: true}, func(err error, t Template) { fail(err, trig.Name, t.Locale) })
		byLocale := map[string]parts{}
		for _, loc := range availableLocales(trig.Name, storeSources, own, base) {
			p := resolve(trig.Name, loc, storeSources, own, base)
			if missing := missingParts(p); missing != "" {
				fail(&ConfigError{Setting: missing + " template", Problem: "none is set for this trigger and locale, and there is no built-in one: add a Template with it"}, trig.Name, loc)
				continue
			}
			if err := check(p, trig.Name, loc); err != nil {
				fail(err, trig.Name, loc)
				continue
			}
			byLocale[loc] = p
		}
		out[trig.Name] = byLocale
	}
	return out, errs
}

// compileAll compiles templates, reporting those that name an unknown
// trigger, a malformed locale or that do not parse.
func compileAll(ts []Template, known map[string]bool, fail func(error, Template)) []source {
	out := make([]source, 0, len(ts))
	for _, t := range ts {
		loc := normalizeLocale(t.Locale)
		switch {
		case t.Trigger != "" && !known[t.Trigger]:
			fail(&ConfigError{Setting: "template", Problem: "names a trigger the Notifier does not have; add it with WithTriggers"}, t)
			continue
		case t.Locale != "" && loc == "":
			fail(&ConfigError{Setting: "template", Problem: "the locale is not a language tag such as \"nl\" or \"de-AT\""}, t)
			continue
		case t.Subject == "" && t.Text == "" && t.HTML == "":
			fail(&ConfigError{Setting: "template", Problem: "sets no part: set Subject, Text or HTML"}, t)
			continue
		}
		p, err := compile(t, nil)
		if err != nil {
			fail(err, t)
			continue
		}
		out = append(out, source{trigger: t.Trigger, locale: loc, parts: p})
	}
	return out
}

// availableLocales lists the locales a trigger has templates for: those a
// template names, the built-in ones and English.
func availableLocales(trigger string, store, own []source, base map[builtinKey]parts) []string {
	set := map[string]bool{fallbackLocale: true}
	for _, s := range append(slices.Clip(store), own...) {
		if s.locale != "" && (s.trigger == "" || s.trigger == trigger) {
			set[s.locale] = true
		}
	}
	for k := range base {
		if k.trigger == trigger {
			set[k.locale] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// resolve fills a trigger's parts for one locale in the documented order.
func resolve(trigger, locale string, store, own []source, base map[builtinKey]parts) parts {
	var p parts
	for _, want := range []struct{ trigger, locale string }{{trigger, locale}, {trigger, ""}, {"", locale}, {"", ""}} {
		for _, s := range store {
			if s.trigger == want.trigger && s.locale == want.locale {
				p = p.fill(s.parts)
			}
		}
	}
	for _, want := range []string{locale, ""} {
		for _, s := range own {
			if s.locale == want {
				p = p.fill(s.parts)
			}
		}
	}
	return p.fill(base[builtinKey{trigger, locale}])
}

func missingParts(p parts) string {
	var missing []string
	if p.subject == nil {
		missing = append(missing, "subject")
	}
	if p.text == nil {
		missing = append(missing, "text")
	}
	if p.html == nil {
		missing = append(missing, "html")
	}
	return strings.Join(missing, ", ")
}

// check renders the parts with full and with empty sample data, so that a
// template naming a field Data lacks, or one that breaks on a missing
// value, fails now.
func check(p parts, trigger, locale string) error {
	full := sampleData(trigger, locale)
	empty := Data{Trigger: trigger, Locale: locale}
	for _, d := range []*Data{&full, &empty} {
		out, err := p.render(d)
		if err != nil {
			return err
		}
		if d == &full && out.subject == "" {
			return &ConfigError{Setting: "subject template", Problem: "renders an empty subject"}
		}
	}
	return nil
}

// rendered is one email's rendered parts.
type rendered struct{ subject, text, html string }

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render executes the three parts.
func (p parts) render(d *Data) (rendered, error) {
	buf := bufPool.Get().(*bytes.Buffer)
	defer bufPool.Put(buf)
	var out rendered
	run := func(setting string, exec func() error) (string, error) {
		buf.Reset()
		if err := exec(); err != nil {
			return "", &ConfigError{Setting: setting, Problem: "fails to render", Err: err}
		}
		return buf.String(), nil
	}
	var err error
	if out.subject, err = run("subject template", func() error { return p.subject.Execute(buf, d) }); err != nil {
		return out, err
	}
	out.subject = cleanHeader(out.subject)
	if out.text, err = run("text template", func() error { return p.text.Execute(buf, d) }); err != nil {
		return out, err
	}
	if out.html, err = run("html template", func() error { return p.html.Execute(buf, d) }); err != nil {
		return out, err
	}
	return out, nil
}
