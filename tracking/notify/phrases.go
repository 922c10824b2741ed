package notify

import "fmt"

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

// phraseFuncs returns the functions the built-in templates of one locale
// and trigger call: t looks up a phrase (the trigger's own first) and
// fills in its arguments; greeting picks the named or anonymous greeting.
func phraseFuncs(locale, trigger string) map[string]any {
	table := phrases[locale]
	lookup := func(key string) string {
		if p, ok := table[trigger+"."+key]; ok {
			return p
		}
		return table[key]
	}
	return map[string]any{
		"t": func(key string, args ...any) string {
			if len(args) == 0 {
				return lookup(key)
			}
			return fmt.Sprintf(lookup(key), args...)
		},
		"greeting": func(name string) string {
			if name == "" {
				return lookup("greeting.anonymous")
			}
			return fmt.Sprintf(lookup("greeting"), name)
		},
		"inc": func(i int) int { return i + 1 },
	}
}
