package notifytest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
)

// maxPartDepth bounds how deeply multipart bodies are unpacked.
const maxPartDepth = 5

// Message is one message the server received.
type Message struct {
	From string   // the MAIL FROM address
	To   []string // the RCPT TO addresses
	Conn int      // the connection that carried it, 1-based in order of acceptance
	TLS  bool     // the session was encrypted (STARTTLS or implicit TLS)
	User string   // the AUTH username of the session

	Raw    []byte      // the message as received, headers and body
	Header mail.Header // the top-level header fields
	// Subject is the Subject header with RFC 2047 encoded words decoded.
	Subject string
	// Text and HTML are the decoded text/plain and text/html parts (the
	// first of each, at any depth); "" when the message has none.
	Text, HTML string
	// ContentType is the top-level media type, such as
	// "multipart/alternative".
	ContentType string
	// Parts lists the media types of the leaf parts, in order.
	Parts []string
	// ParseError says why the message could not be parsed as MIME; the
	// fields above are then as far as parsing got.
	ParseError string
}

// parse reads a received message. It never fails: what it cannot read is
// reported in ParseError, so a test can assert on it.
func parse(raw []byte) Message {
	m := Message{Raw: raw}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		m.ParseError = err.Error()
		return m
	}
	m.Header = msg.Header
	dec := new(mime.WordDecoder)
	if m.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		m.ParseError = "subject: " + err.Error()
	}
	ct := msg.Header.Get("Content-Type")
	if ct == "" {
		ct = "text/plain"
	}
	m.ContentType, _, _ = mime.ParseMediaType(ct)
	if err := m.readPart(ct, msg.Header.Get("Content-Transfer-Encoding"), msg.Body, 0); err != nil && m.ParseError == "" {
		m.ParseError = err.Error()
	}
	return m
}

// readPart reads one body of the given Content-Type and transfer encoding,
// descending into multipart bodies.
func (m *Message) readPart(contentType, encoding string, body io.Reader, depth int) error {
	media, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return fmt.Errorf("content type %q: %w", contentType, err)
	}
	if strings.HasPrefix(media, "multipart/") {
		if depth >= maxPartDepth {
			return fmt.Errorf("multipart nested deeper than %d", maxPartDepth)
		}
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("%s: %w", media, err)
			}
			pct := p.Header.Get("Content-Type")
			if pct == "" {
				pct = "text/plain"
			}
			if err := m.readPart(pct, p.Header.Get("Content-Transfer-Encoding"), p, depth+1); err != nil {
				return err
			}
		}
	}
	m.Parts = append(m.Parts, media)
	data, err := io.ReadAll(decoder(encoding, body))
	if err != nil {
		return fmt.Errorf("%s body: %w", media, err)
	}
	switch {
	case media == "text/plain" && m.Text == "":
		m.Text = string(data)
	case media == "text/html" && m.HTML == "":
		m.HTML = string(data)
	}
	return nil
}

// decoder undoes a Content-Transfer-Encoding.
func decoder(encoding string, r io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, &lineStripper{r: r})
	}
	return r
}

// lineStripper drops CR and LF, which base64 bodies are wrapped with.
type lineStripper struct{ r io.Reader }

func (l *lineStripper) Read(p []byte) (int, error) {
	for {
		n, err := l.r.Read(p)
		j := 0
		for _, b := range p[:n] {
			if b != '\r' && b != '\n' {
				p[j] = b
				j++
			}
		}
		if j > 0 || err != nil {
			return j, err
		}
	}
}
