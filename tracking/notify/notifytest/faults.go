package notifytest

import (
	"strings"
	"time"

	"github.com/emersion/go-smtp"
)

// Stage is the SMTP command a Fault answers.
type Stage string

// The stages a Fault can fire at.
const (
	AtMail Stage = "MAIL" // the MAIL FROM command
	AtRcpt Stage = "RCPT" // a RCPT TO command
	AtData Stage = "DATA" // the end of the message data, before it is stored
)

// Fault is a failure the Server injects, to test how a client copes with
// what mail servers do on a bad day. Faults are consumed in the order they
// were injected: a command takes the first one that matches it, and a fault
// that has fired Times times is gone.
type Fault struct {
	// Stage is the command the fault answers.
	Stage Stage
	// To limits the fault to one recipient (compared without regard to
	// case): at AtRcpt the address being added, at AtData any recipient of
	// the message. "" is any.
	To string
	// Times is how many commands the fault answers; 0 means once.
	Times int
	// Code is the reply code, such as 421 (service shutting down: the
	// server closes the connection after the reply), 451 (try again later,
	// greylisting) or 550 (mailbox unavailable). Ignored when Drop is set.
	Code int
	// Message is the reply text; "" picks a typical one for Code. An
	// enhanced status code ("4.7.1 ...") at its start is sent as such.
	Message string
	// Drop closes the connection without a reply: the client sees the
	// connection fail in the middle of the command.
	Drop bool
	// Delay holds the reply (or the drop) back this long.
	Delay time.Duration
}

// InjectFault queues a fault; see Fault for how commands pick one.
func (s *Server) InjectFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.Add(f, f.Times)
}

// Reject makes the server refuse address at RCPT TO from now on, with 550
// 5.1.1, as a server does for a mailbox that does not exist.
func (s *Server) Reject(address string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejected[strings.ToLower(address)] = true
}

// takeFault consumes the first queued fault for stage and any of the
// recipients.
func (s *Server) takeFault(stage Stage, recipients ...string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults.Take(func(f Fault) bool {
		if f.Stage != stage {
			return false
		}
		if f.To == "" {
			return true
		}
		for _, r := range recipients {
			if strings.EqualFold(r, f.To) {
				return true
			}
		}
		return false
	})
}

// reply is the SMTP error a fault answers with.
func (f Fault) reply() *smtp.SMTPError {
	msg := f.Message
	if msg == "" {
		msg = defaultReply(f.Code)
	}
	enhanced := smtp.EnhancedCodeNotSet
	if code, rest, ok := parseEnhanced(msg); ok {
		enhanced, msg = code, rest
	}
	return &smtp.SMTPError{Code: f.Code, EnhancedCode: enhanced, Message: msg}
}

// defaultReply is a typical reply text for a code, as Postfix words them.
func defaultReply(code int) string {
	switch code {
	case 421:
		return "4.3.2 Service shutting down, closing transmission channel"
	case 450:
		return "4.2.1 Mailbox temporarily unavailable"
	case 451:
		return "4.7.1 Greylisted, please try again later"
	case 452:
		return "4.3.1 Insufficient system storage"
	case 550:
		return "5.1.1 Mailbox unavailable"
	case 552:
		return "5.3.4 Message size exceeds fixed limit"
	case 554:
		return "5.7.1 Transaction failed"
	}
	return "Injected fault"
}

// parseEnhanced splits "4.7.1 text" into the enhanced code and the text.
func parseEnhanced(msg string) (smtp.EnhancedCode, string, bool) {
	head, rest, _ := strings.Cut(msg, " ")
	parts := strings.Split(head, ".")
	if len(parts) != 3 {
		return smtp.EnhancedCode{}, msg, false
	}
	var code smtp.EnhancedCode
	for i, p := range parts {
		n := 0
		if p == "" || len(p) > 3 {
			return smtp.EnhancedCode{}, msg, false
		}
		for _, r := range p {
			if r < '0' || r > '9' {
				return smtp.EnhancedCode{}, msg, false
			}
			n = n*10 + int(r-'0')
		}
		code[i] = n
	}
	if code[0] < 2 || code[0] > 5 {
		return smtp.EnhancedCode{}, msg, false
	}
	return code, rest, true
}
