package notify

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/textproto"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
	mail "github.com/wneessen/go-mail"
)

func TestPhrasesComplete(t *testing.T) {
	en := phrases["en"]
	keys := slices.Sorted(maps.Keys(en))
	require.Equal(t, builtinLocales, slices.Sorted(maps.Keys(phrases)))
	for loc, table := range phrases {
		require.Equal(t, keys, slices.Sorted(maps.Keys(table)), "locale %s", loc)
		for k, p := range table {
			require.Equal(t, phraseVerb.FindAllString(en[k], -1), phraseVerb.FindAllString(p, -1), "locale %s key %s takes the values English does", loc, k)
		}
	}
	_, err := builtins()
	require.NoError(t, err)
}

func TestExpandPhrasesRefusesWrongArguments(t *testing.T) {
	_, err := expandPhrases(`{{t "intro"}}`, "en", ShipmentShipped, func(s string) string { return s })
	require.ErrorContains(t, err, "the phrase takes 1 values, the template gives 0")
	_, err = expandPhrases(`{{t "nope"}}`, "nl", ShipmentShipped, func(s string) string { return s })
	require.ErrorContains(t, err, `built-in {{t "nope"}} for locale "nl": phrase "nope" missing`)
}

func TestCleanText(t *testing.T) {
	tests := map[string]string{
		"Anna de Vries":           "Anna de Vries",
		"  Anna \t de\r\nVries  ": "Anna de Vries",
		"a\x00b\x1bc":             "a b c",
		"evil\u202etxt.exe":       "evil txt.exe",
		"line\u2028sep":           "line sep",
		"Zoë <van> Dijk & \"co\"": "Zoë <van> Dijk & \"co\"",
		"":                        "",
		"\n":                      "",
		"bad \xff utf8":           "bad \ufffd utf8",
	}
	for in, want := range tests {
		require.Equal(t, want, cleanText(in), "%q", in)
	}
	long := cleanHeader(string(make([]rune, 0)) + fmt.Sprintf("%0300d", 0))
	require.Len(t, long, 200)
}

func TestLocaleChain(t *testing.T) {
	require.Equal(t, []string{"nl-be", "nl", "en"}, localeChain("nl-BE", ""))
	require.Equal(t, []string{"nl-be", "nl", "fr-be", "fr", "en"}, localeChain("nl_BE", "fr-BE"))
	require.Equal(t, []string{"de", "en"}, localeChain("", "de"))
	require.Equal(t, []string{"zh-hant-tw", "zh-hant", "zh", "en"}, localeChain("zh-Hant-TW", "en"))
	require.Equal(t, []string{"en"}, localeChain("<script>", "!!"))
}

func TestClassifySend(t *testing.T) {
	reply := func(code int, msg string) error { return &textproto.Error{Code: code, Msg: msg} }
	tests := []struct {
		name      string
		err       error
		temporary bool
		code      int
		keep      bool
	}{
		{"451 from the server", reply(451, "4.7.1 later"), true, 451, true},
		{"421 closes", reply(421, "4.3.2 bye"), true, 421, false},
		{"550 refused", reply(550, "5.1.1 unknown"), false, 550, true},
		{"535 auth failed at dial", fmt.Errorf("SMTP AUTH failed: %w", reply(535, "5.7.8 no")), false, 535, true},
		{"dropped connection", io.EOF, true, 0, false},
		{"connection refused", &net.OpError{Op: "dial", Err: errors.New("connection refused")}, true, 0, false},
		{"no STARTTLS", errors.New(`STARTTLS mode set to: "TLSMandatory", but target host does not support STARTTLS`), false, 0, false},
		{"no AUTH", errors.New("server does not support SMTP AUTH"), false, 0, false},
		{"autodiscover found nothing", mail.ErrNoSupportedAuthDiscovered, false, 0, false},
		{"mailer closed", errPoolClosed, false, 0, false},
		{"bad recipient", &mail.SendError{Reason: mail.ErrGetRcpts}, false, 0, false},
		{"connection check", &mail.SendError{Reason: mail.ErrConnCheck}, true, 0, false},
		{"unknown", errors.New("something odd"), true, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			se := classifySend(tt.err)
			require.Equal(t, tt.temporary, se.Temporary)
			require.Equal(t, tt.code, se.Code)
			require.Equal(t, tt.keep, keepAfter(tt.err))
			require.ErrorIs(t, se, tt.err)
		})
	}
}

func TestCheckLinkAndUnsubscribe(t *testing.T) {
	for _, ok := range []string{"https://jouw.postnl.nl/track-and-trace/3S1", "http://track.example/?id=1"} {
		require.NoError(t, checkLink(ok))
	}
	for _, bad := range []string{"javascript:alert(1)", "//evil.example", "https://user:pw@evil.example/", "data:text/html,x", "track.example/1", "%zz"} {
		require.Error(t, checkLink(bad), bad)
	}
	for _, ok := range []string{"https://demo.example/u?c=1", "mailto:unsubscribe@demo.example?subject=stop"} {
		require.NoError(t, checkUnsubscribe(ok))
	}
	for _, bad := range []string{"http://demo.example/u", "https:///nohost", "mailto:nobody", "ftp://x.example", "https://a.example/>x"} {
		require.Error(t, checkUnsubscribe(bad), bad)
	}
}

func TestModeText(t *testing.T) {
	for _, m := range []Mode{Default, Off, On, AfterChannel} {
		text, err := m.MarshalText()
		require.NoError(t, err)
		var back Mode
		require.NoError(t, back.UnmarshalText(text))
		require.Equal(t, m, back)
	}
	var m Mode
	require.ErrorContains(t, m.UnmarshalText([]byte("sometimes")), "want off, on or after-channel")
	_, err := Mode(9).MarshalText()
	require.Error(t, err)
	require.Equal(t, "Mode(9)", Mode(9).String())
}

func TestMessageIDIsStable(t *testing.T) {
	a := messageID("Shop <shop@demo.example>", "s", "o", "p", ShipmentShipped, "3S1")
	require.Equal(t, a, messageID("shop@demo.example", "s", "o", "p", ShipmentShipped, "3S1"))
	require.NotEqual(t, a, messageID("shop@demo.example", "s", "o", "p", ShipmentShipped, "3S2"), "a new number is a new email")
	require.NotEqual(t, messageID("x@d", "s", "o\x00p", "", "t", ""), messageID("x@d", "s", "o", "p", "t", ""), "parts cannot run into each other")
	require.Regexp(t, `^[a-z2-7]{32}\.tracksync@demo\.example$`, a)
	require.Equal(t, "localhost", domainOf("no-at-sign"))
}
