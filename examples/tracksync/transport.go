package main

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"net/url"
)

// handlerTransport answers requests from an http.Handler in memory, without
// a socket: the dry run's simulated channel. An https request is served as
// one (the handler sees TLS), so that URLs the handler builds from the
// request keep the scheme.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	in := req.Clone(req.Context())
	in.RequestURI = req.URL.RequestURI()
	in.RemoteAddr = "192.0.2.1:1234" // TEST-NET-1: no real peer
	if in.Host == "" {
		in.Host = req.URL.Host
	}
	if req.URL.Scheme == "https" {
		in.TLS = &tls.ConnectionState{HandshakeComplete: true}
	}
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, in)
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}

// forwardTransport sends requests for any host to one loopback test server
// (through next), keeping the Host header: how a client that believes it
// talks to https://<shop>.myshopify.com reaches shopifytest.
type forwardTransport struct {
	to   *url.URL
	next http.RoundTripper
}

func (t forwardTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	out := req.Clone(req.Context())
	out.Host = req.URL.Host
	u := *req.URL
	u.Scheme, u.Host = t.to.Scheme, t.to.Host
	out.URL = &u
	resp, err := t.next.RoundTrip(out)
	if resp != nil {
		resp.Request = req
	}
	return resp, err
}
