package httpx

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// leveledLogger adapts *slog.Logger to retryablehttp.LeveledLogger.
type leveledLogger struct {
	l *slog.Logger
}

// NewLeveledLogger adapts l to retryablehttp's LeveledLogger so the retry
// loop logs through the application's structured logger, with every message
// and value passed through redaction first.
//
// retryablehttp logs request URLs and transport errors, and both can carry
// tokens (?access_token=..., a Shopify token in an error echoing the
// request). Redacting at this boundary means no caller has to remember to.
// Values are rendered as: strings, errors and fmt.Stringers via Redact;
// *url.URL via RedactURL; *http.Request as "METHOD redacted-url";
// http.Header via RedactHeader; numbers, booleans, durations and times as
// themselves; anything else via fmt and then Redact. A nil l discards.
func NewLeveledLogger(l *slog.Logger) retryablehttp.LeveledLogger {
	if l == nil {
		l = slog.New(slog.DiscardHandler)
	}
	return leveledLogger{l: l}
}

// Error implements retryablehttp.LeveledLogger.
func (a leveledLogger) Error(msg string, keysAndValues ...any) {
	a.log(slog.LevelError, msg, keysAndValues)
}

// Warn implements retryablehttp.LeveledLogger.
func (a leveledLogger) Warn(msg string, keysAndValues ...any) {
	a.log(slog.LevelWarn, msg, keysAndValues)
}

// Info implements retryablehttp.LeveledLogger.
func (a leveledLogger) Info(msg string, keysAndValues ...any) {
	a.log(slog.LevelInfo, msg, keysAndValues)
}

// Debug implements retryablehttp.LeveledLogger.
func (a leveledLogger) Debug(msg string, keysAndValues ...any) {
	a.log(slog.LevelDebug, msg, keysAndValues)
}

func (a leveledLogger) log(level slog.Level, msg string, kv []any) {
	ctx := context.Background()
	if !a.l.Enabled(ctx, level) {
		return // skip the redaction work for disabled levels
	}
	attrs := make([]slog.Attr, 0, (len(kv)+1)/2)
	for i := 0; i < len(kv); {
		switch k := kv[i].(type) {
		case slog.Attr:
			attrs = append(attrs, slog.Attr{Key: k.Key, Value: redactValue(k.Value.Any())})
			i++
		case string:
			if i+1 < len(kv) {
				attrs = append(attrs, slog.Attr{Key: k, Value: redactValue(kv[i+1])})
				i += 2
				continue
			}
			attrs = append(attrs, slog.Attr{Key: "!BADKEY", Value: redactValue(k)})
			i++
		default:
			// Same convention as slog for a value without a key.
			attrs = append(attrs, slog.Attr{Key: "!BADKEY", Value: redactValue(k)})
			i++
		}
	}
	a.l.LogAttrs(ctx, level, Redact(msg), attrs...)
}

// redactValue renders v for a log line without secrets (see NewLeveledLogger).
func redactValue(v any) slog.Value {
	switch x := v.(type) {
	case nil:
		return slog.AnyValue(nil)
	case string:
		return slog.StringValue(Redact(x))
	case []byte:
		return slog.StringValue(Redact(string(x)))
	case bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64,
		float32, float64, time.Duration, time.Time:
		// Cannot hold a secret, and keeping the type keeps them queryable.
		return slog.AnyValue(x)
	case *url.URL:
		return slog.StringValue(RedactURL(x))
	case url.URL:
		return slog.StringValue(RedactURL(&x))
	case *http.Request:
		if x == nil {
			return slog.StringValue("<nil>")
		}
		return slog.StringValue(methodName(x) + " " + RedactURL(x.URL))
	case *http.Response:
		if x == nil {
			return slog.StringValue("<nil>")
		}
		s := Redact(x.Status)
		if x.Request != nil {
			s += " (" + methodName(x.Request) + " " + RedactURL(x.Request.URL) + ")"
		}
		return slog.StringValue(s)
	case http.Header:
		return slog.AnyValue(RedactHeader(x))
	}
	// error, fmt.Stringer and everything else: fmt calls Error/String and
	// recovers from panics in them (a nil pointer receiver, say), which a
	// direct call would not.
	return slog.StringValue(Redact(fmt.Sprint(v)))
}
