package httpx

import (
	"errors"
	"net"
	"net/url"
)

// ErrNotLoopback reports a URL that is not an http(s) URL on a loopback
// host.
var ErrNotLoopback = errors.New("not an http(s) URL on a loopback address")

// LoopbackURL parses raw and accepts it only on a loopback host (127.0.0.0/8,
// ::1, localhost). The clients' base-URL options exist for tests against the
// fake servers; this keeps them from redirecting production traffic.
func LoopbackURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, ErrNotLoopback
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, ErrNotLoopback
	}
	return u, nil
}
