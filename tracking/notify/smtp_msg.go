package notify

import (
	"errors"
	"fmt"
	netmail "net/mail"

	mail "github.com/wneessen/go-mail"
)

// buildMsg turns a Message into go-mail's: multipart/alternative with the
// text part first and the HTML part last (RFC 2046 §5.1.4: the last is the
// richest), quoted-printable UTF-8, Message-ID, Date and, when the store
// has one, List-Unsubscribe. Header values are encoded by go-mail (RFC
// 2047), so a subject or name cannot add header lines.
func buildMsg(m *Message) (*mail.Msg, error) {
	gm := mail.NewMsg(mail.WithNoDefaultUserAgent())
	if err := gm.From(m.From); err != nil {
		return nil, fmt.Errorf("from address %q: %w", m.From, err)
	}
	to, err := netmail.ParseAddress(m.To)
	if err != nil || to.Name != "" {
		return nil, fmt.Errorf("recipient address %q is not a bare address", m.To)
	}
	// The name goes in as a value, not as text to parse: net/mail quotes
	// and encodes whatever it holds.
	to.Name = m.ToName
	gm.ToMailAddress(to)
	if m.ReplyTo != "" {
		if err := gm.ReplyTo(m.ReplyTo); err != nil {
			return nil, fmt.Errorf("reply-to address %q: %w", m.ReplyTo, err)
		}
	}
	if m.MessageID == "" {
		return nil, errors.New("the message has no Message-ID")
	}
	gm.Subject(m.Subject)
	gm.SetMessageIDWithValue(m.MessageID)
	gm.SetDateWithValue(m.Date)
	if len(m.ListUnsubscribe) > 0 {
		gm.SetListUnsubscribe(m.ListUnsubscribe...)
	}
	gm.SetBodyString(mail.TypeTextPlain, m.Text)
	gm.AddAlternativeString(mail.TypeTextHTML, m.HTML)
	return gm, nil
}
