package notify

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// phrases are the built-in templates' words, per locale. Keys prefixed
// with a trigger name ("shipment-shipped.subject") belong to that trigger;
// the built-in templates ask for "subject" and "intro" and get the
// trigger's. Every locale has every key (TestPhrasesComplete).
//
// Dutch addresses the customer as "je", as Dutch web shops do; German and
// French use the formal "Sie" and "vous".
var phrases = map[string]map[string]string{
	"en": {
		"greeting":                    "Hello %s,",
		"greeting.anonymous":          "Hello,",
		"shipment-shipped.subject":    "Your order %s is on its way",
		"shipment-shipped.intro":      "Good news: a package of your order %s has shipped.",
		"order-fully-shipped.subject": "Your order %s has shipped in full",
		"order-fully-shipped.intro":   "Every package of your order %s has shipped.",
		"tracking-updated.subject":    "New tracking number for your order %s",
		"tracking-updated.intro":      "The tracking number of a package of your order %s has changed. Please use the new one below.",
		"package":                     "Package %d of %d",
		"carrier":                     "Carrier",
		"number":                      "Tracking number",
		"previous":                    "Previous number",
		"track":                       "Track your package",
		"contents":                    "Contents",
		"closing":                     "Kind regards,",
	},
	"nl": {
		"greeting":                    "Beste %s,",
		"greeting.anonymous":          "Hallo,",
		"shipment-shipped.subject":    "Je bestelling %s is onderweg",
		"shipment-shipped.intro":      "Goed nieuws: een pakket van je bestelling %s is verzonden.",
		"order-fully-shipped.subject": "Je bestelling %s is volledig verzonden",
		"order-fully-shipped.intro":   "Alle pakketten van je bestelling %s zijn verzonden.",
		"tracking-updated.subject":    "Nieuwe track & trace-code voor je bestelling %s",
		"tracking-updated.intro":      "De track & trace-code van een pakket van je bestelling %s is gewijzigd. Gebruik de nieuwe code hieronder.",
		"package":                     "Pakket %d van %d",
		"carrier":                     "Vervoerder",
		"number":                      "Track & trace-code",
		"previous":                    "Vorige code",
		"track":                       "Volg je pakket",
		"contents":                    "Inhoud",
		"closing":                     "Met vriendelijke groet,",
	},
	"de": {
		"greeting":                    "Hallo %s,",
		"greeting.anonymous":          "Guten Tag,",
		"shipment-shipped.subject":    "Ihre Bestellung %s ist unterwegs",
		"shipment-shipped.intro":      "Gute Nachricht: Ein Paket Ihrer Bestellung %s wurde versandt.",
		"order-fully-shipped.subject": "Ihre Bestellung %s wurde vollständig versandt",
		"order-fully-shipped.intro":   "Alle Pakete Ihrer Bestellung %s wurden versandt.",
		"tracking-updated.subject":    "Neue Sendungsnummer für Ihre Bestellung %s",
		"tracking-updated.intro":      "Die Sendungsnummer eines Pakets Ihrer Bestellung %s hat sich geändert. Bitte verwenden Sie die neue Nummer unten.",
		"package":                     "Paket %d von %d",
		"carrier":                     "Versanddienstleister",
		"number":                      "Sendungsnummer",
		"previous":                    "Bisherige Nummer",
		"track":                       "Sendung verfolgen",
		"contents":                    "Inhalt",
		"closing":                     "Viele Grüße",
	},
	"fr": {
		"greeting":                    "Bonjour %s,",
		"greeting.anonymous":          "Bonjour,",
		"shipment-shipped.subject":    "Votre commande %s est en route",
		"shipment-shipped.intro":      "Bonne nouvelle : un colis de votre commande %s a été expédié.",
		"order-fully-shipped.subject": "Votre commande %s a été entièrement expédiée",
		"order-fully-shipped.intro":   "Tous les colis de votre commande %s ont été expédiés.",
		"tracking-updated.subject":    "Nouveau numéro de suivi pour votre commande %s",
		"tracking-updated.intro":      "Le numéro de suivi d'un colis de votre commande %s a changé. Veuillez utiliser le nouveau numéro ci-dessous.",
		"package":                     "Colis %d sur %d",
		"carrier":                     "Transporteur",
		"number":                      "Numéro de suivi",
		"previous":                    "Ancien numéro",
		"track":                       "Suivre votre colis",
		"contents":                    "Contenu",
		"closing":                     "Cordialement,",
	},
}

// phraseCall matches the phrase macros of the built-in templates:
// {{t "key" args…}} and {{greeting name}}.
var (
	phraseCall = regexp.MustCompile(`\{\{(t|greeting) ([^{}]*)\}\}`)
	phraseArgs = regexp.MustCompile(`\([^()]*\)|"[^"]*"|\S+`)
	phraseVerb = regexp.MustCompile(`%[sd]`)
)

// expandPhrases writes a locale's words into a built-in template before
// it is parsed: {{t "intro" .Order.Reference}} becomes the phrase's text
// with {{.Order.Reference}} where its %s stands, and {{greeting X}} an
// {{if X}}…{{else}}…{{end}}. The words are then literal template text —
// escaped by escape for the HTML template — and rendering calls no
// function for them, which keeps an email well under 50 µs.
func expandPhrases(src, locale, trigger string, escape func(string) string) (string, error) {
	table := phrases[locale]
	lookup := func(key string) (string, error) {
		if p, ok := table[trigger+"."+key]; ok {
			return p, nil
		}
		if p, ok := table[key]; ok {
			return p, nil
		}
		return "", fmt.Errorf("phrase %q missing", key)
	}
	var firstErr error
	out := phraseCall.ReplaceAllStringFunc(src, func(call string) string {
		m := phraseCall.FindStringSubmatch(call)
		text, err := expandOne(m[1], phraseArgs.FindAllString(m[2], -1), lookup, escape)
		if err != nil && firstErr == nil {
			firstErr = fmt.Errorf("notify: built-in %s for locale %q: %w", call, locale, err)
		}
		return text
	})
	return out, firstErr
}

// expandOne expands one macro call.
func expandOne(macro string, args []string, lookup func(string) (string, error), escape func(string) string) (string, error) {
	if macro == "greeting" {
		named, err1 := lookup("greeting")
		anon, err2 := lookup("greeting.anonymous")
		if err := errors.Join(err1, err2); err != nil {
			return "", err
		}
		if len(args) != 1 {
			return "", errors.New("greeting takes the name")
		}
		return "{{if " + args[0] + "}}" + fill(named, args, escape) + "{{else}}" + escape(anon) + "{{end}}", nil
	}
	if len(args) == 0 {
		return "", errors.New("t takes a phrase key")
	}
	text, err := lookup(strings.Trim(args[0], `"`))
	if err != nil {
		return "", err
	}
	args = args[1:]
	if n := len(phraseVerb.FindAllString(text, -1)); n != len(args) {
		return "", fmt.Errorf("the phrase takes %d values, the template gives %d", n, len(args))
	}
	return fill(text, args, escape), nil
}

// fill escapes a phrase's words and puts a template action for each
// argument where its verb stands.
func fill(phrase string, args []string, escape func(string) string) string {
	var b strings.Builder
	for i, lit := range phraseVerb.Split(phrase, -1) {
		if i > 0 {
			b.WriteString("{{" + args[i-1] + "}}")
		}
		b.WriteString(escape(lit))
	}
	return b.String()
}
