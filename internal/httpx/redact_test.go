package httpx

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRedact(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want string
	}{
		// Nothing to do: returned unchanged.
		{"empty", "", ""},
		{"plain", "GET https://shop.example/orders.json (status: 503)", "GET https://shop.example/orders.json (status: 503)"},
		{"prose with keywords", "invalid token: expired; status code 401", "invalid token: expired; status code 401"},
		{"json error code kept", `{"errors":[{"code":"InvalidInput","message":"bad"}]}`, `{"errors":[{"code":"InvalidInput","message":"bad"}]}`},
		{"pagination token kept", "nextToken=abc&MaxResults=5", "nextToken=abc&MaxResults=5"},
		{"client_id kept", "client_id=amzn1.application-oa2-client.123", "client_id=amzn1.application-oa2-client.123"},
		{"already redacted", "access_token=REDACTED", "access_token=REDACTED"},

		// Query strings, also inside error messages.
		{"query", "https://s.example/x?a=1&access_token=SECRET&b=2", "https://s.example/x?a=1&access_token=REDACTED&b=2"},
		{"url.Error text", `Get "https://s.example/x?token=SECRET": dial tcp: refused`, `Get "https://s.example/x?token=REDACTED": dial tcp: refused`},
		{"oauth callback code", "https://app.example/cb?code=AUTHCODE&shop=s.myshopify.com&state=n", "https://app.example/cb?code=REDACTED&shop=s.myshopify.com&state=n"},
		{"status code not a secret", "status code=500", "status code=500"},
		{"presigned", "?X-Amz-Algorithm=AWS4&X-Amz-Credential=AKIA%2F20260101&X-Amz-Signature=abcdef&X-Amz-Security-Token=tok",
			"?X-Amz-Algorithm=AWS4&X-Amz-Credential=REDACTED&X-Amz-Signature=REDACTED&X-Amz-Security-Token=REDACTED"},
		{"signature", "&Signature=sig123&Expires=1", "&Signature=REDACTED&Expires=1"},
		{"password", "user=bob&password=hunter2", "user=bob&password=REDACTED"},

		// Form bodies (LWA token refresh).
		{"form", "grant_type=refresh_token&refresh_token=Atzr%7CIwEBabc&client_id=amzn1.app&client_secret=s3cr3t",
			"grant_type=refresh_token&refresh_token=REDACTED&client_id=amzn1.app&client_secret=REDACTED"},
		{"form code first", "code=AUTHCODE&grant_type=authorization_code", "code=REDACTED&grant_type=authorization_code"},

		// JSON bodies.
		{"json", `{"access_token":"Atza|IwEBx","token_type":"bearer","expires_in":3600,"refresh_token":"Atzr|IwEBy"}`,
			`{"access_token":"REDACTED","token_type":"bearer","expires_in":3600,"refresh_token":"REDACTED"}`},
		{"json spaced", `{ "client_secret" : "abc\"def", "client_id": "amzn1" }`, `{ "client_secret" : "REDACTED", "client_id": "amzn1" }`},
		{"json password token", `{"password":"p","token":"t","scope":"read_orders"}`, `{"password":"REDACTED","token":"REDACTED","scope":"read_orders"}`},
		{"json camelCase", `{"accessToken":"a","refreshToken":"b"}`, `{"accessToken":"REDACTED","refreshToken":"REDACTED"}`},
		{"json truncated", `{"refresh_token":"abcdef`, `{"refresh_token":"REDACTED`},
		{"json quoted in error", `bad body "{\"access_token\":\"abc\",\"x\":1}"`, `bad body "{\"access_token\":\"REDACTED\",\"x\":1}"`},

		// Headers rendered as text.
		{"header line", "Authorization: Bearer abc.def\r\nAccept: */*", "Authorization: REDACTED\r\nAccept: */*"},
		{"shopify header line", "X-Shopify-Access-Token: shpat_abc\nX-Request-Id: 42", "X-Shopify-Access-Token: REDACTED\nX-Request-Id: 42"},
		{"header map", "map[Accept:[*/*] Authorization:[Bearer abc] X-Amz-Access-Token:[Atza|x]]",
			"map[Accept:[*/*] Authorization:[REDACTED] X-Amz-Access-Token:[REDACTED]]"},
		{"url.Values", "map[client_id:[amzn1] client_secret:[s3cr3t]]", "map[client_id:[amzn1] client_secret:[REDACTED]]"},
		{"struct %+v", "{ClientID:amzn1 ClientSecret:s3cr3t}", "{ClientID:amzn1 ClientSecret:REDACTED}"},
		{"cookie", "Set-Cookie: session=abc; Path=/", "Set-Cookie: REDACTED"},
		{"bearer in prose", "sent Bearer eyJhbGciOi.eyJzdWIi.sig to upstream", "sent Bearer REDACTED to upstream"},

		// Token shapes anywhere.
		{"shpat", "token shpat_0123456789abcdef0123456789abcdef rejected", "token shpat_REDACTED rejected"},
		{"shpca shppa shpss", "shpca_aa shppa_bb shpss_cc", "shpca_REDACTED shppa_REDACTED shpss_REDACTED"},
		{"shopify glued", "x=shpat_abc,y", "x=shpat_REDACTED,y"},
		{"lwa access", "got Atza|IwEBIA-x_y.z/+= ok", "got Atza|REDACTED ok"},
		{"lwa refresh encoded", "rt Atzr%7CIwEBabc%2B ok", "rt Atzr%7CREDACTED ok"},
		{"lwa client secret", "invalid_client: bad secret amzn1.oa2-cs.v1.81a2cc9af8280a7352460951ecc89dbc, check it", "invalid_client: bad secret amzn1.oa2-cs.v1.REDACTED, check it"},
		{"lwa client secret glued", "x=AMZN1.OA2-CS.V1.abc-def;", "x=AMZN1.OA2-CS.V1.REDACTED;"},
		{"lwa client id kept", "amzn1.application-oa2-client.81a2cc9a", "amzn1.application-oa2-client.81a2cc9a"},
		{"userinfo", "proxy http://bob:pa55@proxy.example:3128 down", "proxy http://bob:REDACTED@proxy.example:3128 down"},
		{"port not userinfo", "http://proxy.example:3128/x@y", "http://proxy.example:3128/x@y"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Redact(tc.in)
			require.Equal(t, tc.want, got)
			require.Equal(t, got, Redact(got), "idempotent")
		})
	}
}

func TestRedactURL(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"https://s.example/admin/orders.json?status=any&limit=5", "https://s.example/admin/orders.json?status=any&limit=5"},
		{"https://s.example/x?access_token=SECRET&b=2", "https://s.example/x?access_token=REDACTED&b=2"},
		{"https://s.example/x?b=2&Access_Token=SECRET", "https://s.example/x?b=2&Access_Token=REDACTED"},
		{"https://s.example/x?access%5Ftoken=SECRET", "https://s.example/x?access%5Ftoken=REDACTED"},
		{"https://s.example/x?accessToken=SECRET&client_id=c", "https://s.example/x?accessToken=REDACTED&client_id=c"},
		{"https://s.example/cb?code=C&shop=s.myshopify.com&hmac=h", "https://s.example/cb?code=REDACTED&shop=s.myshopify.com&hmac=h"},
		{"https://bob:pw@s.example/x", "https://bob:REDACTED@s.example/x"},
		{"https://bob@s.example/x", "https://bob@s.example/x"},
		{"https://s.example/tokens/shpat_abc123/info", "https://s.example/tokens/shpat_REDACTED/info"},
		{"https://app.example/cb#access_token=SECRET&token_type=bearer", "https://app.example/cb#access_token=REDACTED&token_type=bearer"},
		{"https://s3.example/doc?X-Amz-Credential=AKIA%2F1&X-Amz-Signature=ff&X-Amz-Date=1",
			"https://s3.example/doc?X-Amz-Credential=REDACTED&X-Amz-Signature=REDACTED&X-Amz-Date=1"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			u, err := url.Parse(tc.in)
			require.NoError(t, err)
			orig := u.String()
			require.Equal(t, tc.want, RedactURL(u))
			require.Equal(t, orig, u.String(), "input must not be modified")
		})
	}
	require.Equal(t, "", RedactURL(nil))
}

func TestRedactHeader(t *testing.T) {
	h := http.Header{
		"Authorization":          {"Bearer a"},
		"Proxy-Authorization":    {"Basic b"},
		"Cookie":                 {"c=1", "d=2"},
		"Set-Cookie":             {"s=3"},
		"X-Shopify-Access-Token": {"shpat_x"},
		"X-Amz-Access-Token":     {"Atza|y"},
		"X-Amz-Security-Token":   {"z"},
		"x-amz-access-token":     {"non-canonical"},
		"X-Api-Key":              {"k"},
		"Accept":                 {"application/json"},
		"X-Debug":                {"echo shpat_abc"},
	}
	orig := h.Clone()
	got := RedactHeader(h)
	require.Equal(t, http.Header{
		"Authorization":          {"REDACTED"},
		"Proxy-Authorization":    {"REDACTED"},
		"Cookie":                 {"REDACTED", "REDACTED"},
		"Set-Cookie":             {"REDACTED"},
		"X-Shopify-Access-Token": {"REDACTED"},
		"X-Amz-Access-Token":     {"REDACTED"},
		"X-Amz-Security-Token":   {"REDACTED"},
		"x-amz-access-token":     {"REDACTED"},
		"X-Api-Key":              {"REDACTED"},
		"Accept":                 {"application/json"},
		"X-Debug":                {"echo shpat_REDACTED"},
	}, got)
	require.Equal(t, orig, h, "input must not be modified")
	require.Nil(t, RedactHeader(nil))
}

// Names are folded as ASCII only: look-alikes such as the Kelvin sign are
// not names, and bytes that are not valid UTF-8 pass through untouched.
func TestRedactNonASCII(t *testing.T) {
	require.Equal(t, "api_\u212aey=SECRET", Redact("api_\u212aey=SECRET"))
	require.Equal(t, "\xff token=REDACTED \xfe é", Redact("\xff token=abc \xfe é"))
	require.Equal(t, "x\ramz-signature=x", Redact("x\ramz-signature=x"), "'\\r'|0x20 is '-' but must not match it")
}

// tokenPrefix finds token-shaped prefixes; the fuzz properties check what
// follows each of them.
var tokenPrefix = regexp.MustCompile(`(?i)(?:shp(?:at|ca|pa|ss)_|atz[ar](?:\||%7c)|amzn1\.oa2-cs\.v1\.)`)

func FuzzRedact(f *testing.F) {
	for _, s := range []string{
		"", "plain text", "shpat_0123456789abcdef", "Atza|IwEBx", "Atzr%7CIwEBx",
		"https://s.example/x?access_token=SECRET&b=2", "Authorization: Bearer abc\r\nX: y",
		`{"refresh_token":"Atzr|x","client_secret":"s"}`, `"{\"token\":\"t\"}"`,
		"grant_type=refresh_token&refresh_token=x&client_secret=y", "code=c&state=s",
		"map[Authorization:[Bearer a] Cookie:[c]]", "{Password:p}", "http://u:p@h/", "bearer x=token=y",
		"shpat_shpat_x", "token=access_token=x", "shpat_authorization: x", "amzn1.oa2-cs.v1.0123abcd",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := Redact(in)
		require.Equal(t, out, Redact(out), "not idempotent for %q", in)

		// Every token prefix left in the output is followed by nothing
		// token-like, or by REDACTED: no input token survives.
		for _, loc := range tokenPrefix.FindAllStringIndex(out, -1) {
			rest := out[loc[1]:]
			n := strings.IndexFunc(rest, func(r rune) bool {
				return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-')
			})
			if n < 0 {
				n = len(rest)
			}
			if run := rest[:n]; run != "" && run != redacted {
				t.Fatalf("token survived: %q in %q (input %q)", out[loc[0]:loc[1]]+run, out, in)
			}
		}
	})
}

var benchInputs = []struct{ name, in string }{
	{"clean", "performing request method=GET url=https://shop.example/admin/api/2025-01/orders.json?status=any&limit=250 attempt=1"},
	{"query", `Get "https://shop.example/admin/api/2025-01/orders.json?status=any&access_token=shpat_0123456789abcdef0123456789abcdef": dial tcp 10.0.0.1:443: connect: connection refused`},
	{"json", `{"access_token":"Atza|IwEBIA0123456789abcdefghijklmnopqrstuvwxyz","refresh_token":"Atzr|IwEBIB0123456789abcdefghij","token_type":"bearer","expires_in":3600}`},
	{"form", "grant_type=refresh_token&refresh_token=Atzr%7CIwEBIB0123456789abcdefghij&client_id=amzn1.application-oa2-client.0123&client_secret=0123456789abcdef"},
	{"header", "map[Accept:[application/json] Authorization:[Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig] X-Shopify-Access-Token:[shpat_0123456789abcdef0123456789abcdef]]"},
}

func BenchmarkRedact(b *testing.B) {
	for _, bi := range benchInputs {
		b.Run(bi.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bi.in)))
			for b.Loop() {
				_ = Redact(bi.in)
			}
		})
	}
}

func ExampleRedact() {
	fmt.Println(Redact("refresh_token=Atzr%7CIwEB0123&client_id=amzn1.app&client_secret=s3cr3t"))
	fmt.Println(Redact(`{"access_token":"shpat_0123456789abcdef","scope":"write_fulfillments"}`))
	// Output:
	// refresh_token=REDACTED&client_id=amzn1.app&client_secret=REDACTED
	// {"access_token":"REDACTED","scope":"write_fulfillments"}
}

// TestRedactGrammar complements FuzzRedact: random bytes rarely spell
// "refresh_token=", so this test glues together fragments that do, and
// checks the same properties on many thousands of structured inputs.
func TestRedactGrammar(t *testing.T) {
	frags := []string{
		"access_token", "refresh_token", "client_secret", "client_id", "token", "Token", "password",
		"code", "signature", "X-Amz-Signature", "x-amz-access-token", "Authorization", "Cookie",
		"api_key", "secret", "Bearer", "bearer", "shpat_", "shpss_", "Atza|", "Atzr%7C", "amzn1.oa2-cs.v1.", "http://",
		"https://u:p@", "REDACTED", "SECRET", "abc", "0123", "=", "&", "?", ":", ": ", "\"", "\\\"",
		"'", "[", "]", "{", "}", "(", ")", ",", ";", " ", "\t", "\r\n", "\n", "#", "@", "/", "%", "-",
		"_", "|", ".", "map[", "\u212a", "\u017f", "é",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for range 20000 {
		b.Reset()
		for n := 1 + rng.IntN(12); n > 0; n-- {
			b.WriteString(frags[rng.IntN(len(frags))])
		}
		in := b.String()
		out := Redact(in)
		if again := Redact(out); again != out {
			t.Fatalf("not idempotent:\n in  %q\n out %q\n out2 %q", in, out, again)
		}
		for _, loc := range tokenPrefix.FindAllStringIndex(out, -1) {
			rest := out[loc[1]:]
			n := strings.IndexFunc(rest, func(r rune) bool {
				return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-')
			})
			if n < 0 {
				n = len(rest)
			}
			if run := rest[:n]; run != "" && run != redacted {
				t.Fatalf("token survived: %q in %q (input %q)", run, out, in)
			}
		}
	}
}
