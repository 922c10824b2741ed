package notify

import (
	"crypto/sha256"
	"encoding/base32"
	"strings"
	"time"
)

// Message is one rendered email, ready for a Mailer.
type Message struct {
	From    string // the sender, "Name <address>" or an address (StoreConfig.From)
	ReplyTo string // "" for none
	To      string // the customer's address
	ToName  string // the customer's name, for the To header; may be ""
	Subject string
	Text    string // the text/plain part
	HTML    string // the text/html part
	// MessageID is the Message-ID without angle brackets. It is derived
	// from the store, order, package, trigger and tracking numbers, so the
	// same email sent twice (see the package documentation on crashes)
	// carries the same id, which many mail clients show once.
	MessageID string
	Date      time.Time
	// ListUnsubscribe are the URIs of the List-Unsubscribe header
	// (StoreConfig.ListUnsubscribe); none: no header.
	ListUnsubscribe []string

	// Where the email comes from, for logs and errors.
	Store, OrderID, ShipmentID, Trigger, Locale string
}

var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// messageID derives a Message-ID from what identifies one email: the
// ledger key's parts and the tracking numbers it announces.
func messageID(from, store, orderID, shipmentID, trigger, numbers string) string {
	h := sha256.New()
	for _, part := range []string{store, orderID, shipmentID, trigger, numbers} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	sum := h.Sum(nil)
	return strings.ToLower(idEncoding.EncodeToString(sum[:20])) + ".tracksync@" + domainOf(from)
}

// domainOf returns the domain of an address ("Shop <a@shop.example>" →
// "shop.example"), or "localhost" when there is none.
func domainOf(address string) string {
	address = strings.TrimSuffix(strings.TrimSpace(address), ">")
	at := strings.LastIndexByte(address, '@')
	if at < 0 || at == len(address)-1 {
		return "localhost"
	}
	return address[at+1:]
}
