package httpx

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLoopbackURL(t *testing.T) {
	for _, ok := range []string{"http://127.0.0.1:8080", "http://localhost:1", "https://[::1]:443", "http://127.0.0.2:9/x"} {
		_, err := LoopbackURL(ok)
		require.NoError(t, err, ok)
	}
	for _, bad := range []string{"http://10.0.0.1", "https://example.com", "ftp://127.0.0.1", "127.0.0.1:80", "http://127.0.0.1.evil.com", ""} {
		_, err := LoopbackURL(bad)
		require.ErrorIs(t, err, ErrNotLoopback, bad)
	}
}
