package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/shopctrl/tracksync/internal/httpx"
	"github.com/shopctrl/tracksync/tracking"
)

// A dry run runs the real exporters, but their clients' requests never
// reach the network: an http.RoundTripper records each one and answers it
// from an embedded fake channel seeded from the input (see fakes), as the
// shop or seller would hold the orders before any push. What it prints is
// therefore exactly what a run would send to a channel in that state: the
// GraphQL documents and variables, confirmShipment bodies and feed XML.
// Token requests to Login with Amazon are answered but never printed, and
// the credentials are placeholders: a dry run reads no secret.

// recorder keeps the requests that pass through its transport, filed
// under the order being pushed (the dry run pushes one at a time).
type recorder struct {
	mu      sync.Mutex
	current string
	reqs    map[string][]recorded
}

type recorded struct {
	method, url, contentType string
	body                     []byte
}

// transport records every request but token requests, then passes it on.
func (r *recorder) transport(next http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(req *http.Request) (*http.Response, error) {
		if !strings.HasSuffix(req.URL.Path, "/auth/o2/token") {
			var body []byte
			if req.Body != nil {
				var err error
				if body, err = io.ReadAll(req.Body); err != nil {
					return nil, err
				}
				req.Body.Close()
				req = req.Clone(req.Context())
				req.Body = io.NopCloser(bytes.NewReader(body))
			}
			r.mu.Lock()
			r.reqs[r.current] = append(r.reqs[r.current], recorded{method: req.Method, url: httpx.RedactURL(req.URL), contentType: req.Header.Get("Content-Type"), body: body})
			r.mu.Unlock()
		}
		return next.RoundTrip(req)
	})
}

// begin files the requests that follow under order o.
func (r *recorder) begin(o tracking.Order) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.current = o.ID
}

// take returns the requests of an order.
func (r *recorder) take(orderID string) []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.reqs[orderID]
	delete(r.reqs, orderID)
	return out
}

// printOrder writes an order's requests and results.
func printOrder(w io.Writer, o tracking.Order, res tracking.OrderResult, reqs []recorded) {
	fmt.Fprintf(w, "== order %s (%s %s): %d requests\n", o.ID, o.Channel, o.Store, len(reqs))
	for _, r := range reqs {
		fmt.Fprintf(w, "\n%s %s\n", r.method, r.url)
		printBody(w, r)
	}
	fmt.Fprintln(w)
	for _, x := range res.Results {
		for _, s := range x.Shipments {
			fmt.Fprintf(w, "simulated result: %s: %s\n", x.Exporter, oneLine(s.String()))
		}
	}
	fmt.Fprintln(w)
}

// printBody writes a request body the way it reads best: a GraphQL
// request as its document and variables, JSON indented, XML as sent.
func printBody(w io.Writer, r recorded) {
	if len(r.body) == 0 {
		return
	}
	var gql struct {
		Query     string          `json:"query"`
		Variables json.RawMessage `json:"variables"`
	}
	if strings.HasSuffix(strings.SplitN(r.url, "?", 2)[0], "/graphql.json") && json.Unmarshal(r.body, &gql) == nil && gql.Query != "" {
		fmt.Fprintln(w, indent(strings.TrimSpace(gql.Query)))
		if len(gql.Variables) > 0 && string(gql.Variables) != "null" {
			fmt.Fprintln(w, "variables:")
			fmt.Fprintln(w, indent(prettyJSON(gql.Variables)))
		}
		return
	}
	if strings.Contains(r.contentType, "json") {
		fmt.Fprintln(w, indent(prettyJSON(r.body)))
		return
	}
	fmt.Fprintln(w, indent(strings.TrimSpace(string(r.body))))
}

func prettyJSON(data []byte) string {
	var b bytes.Buffer
	if json.Indent(&b, data, "", "  ") != nil {
		return strconv.Quote(string(data))
	}
	return b.String()
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}

// dryRun prints the requests a run would send, answered by simulated
// channels seeded from the input.
func (s *session) dryRun(ctx context.Context) int {
	m, b, ps := s.load()
	if len(ps) > 0 {
		s.report(s.stderr, ps)
		fmt.Fprintf(s.stderr, "%d problems; nothing was sent (tracksync -validate lists them all)\n", len(ps))
		return exitBadInput
	}
	f := startFakes()
	defer f.close()
	fmt.Fprintln(s.stdout, "dry run: nothing is sent; the answers come from a simulated shop and seller state, each order as the channel would hold it before any push")
	for _, note := range f.seed(ctx, m, b.orders) {
		fmt.Fprintln(s.stdout, "simulation:", note)
	}
	fmt.Fprintln(s.stdout)
	rec := &recorder{reqs: map[string][]recorded{}}
	shopifyURL, err := url.Parse(f.shopify.URL())
	if err != nil {
		fmt.Fprintf(s.stderr, "tracksync: %v\n", err)
		return exitFailed
	}
	cc := channelConfig{
		shopifyTransport: rec.transport(f.ids.transport(forwardTransport{to: shopifyURL, next: f.shopify.Client().Transport})),
		amazonTransport:  rec.transport(handlerTransport{f.amazon.Handler()}),
		shopifyVersion:   s.opts.shopifyVersion, feeds: s.opts.feeds, feedBatch: 1, feedPoll: 100 * time.Millisecond,
	}
	exporters, err := newExporters(m, f.credentials(), cc)
	if err != nil {
		fmt.Fprintf(s.stderr, "tracksync: %v\n", err)
		return exitBadInput
	}
	// One order at a time, so that each order's requests print together.
	syncer, err := tracking.NewSyncer(tracking.WithExporters(gate(nil, rec.begin, exporters)...), tracking.WithConcurrency(1),
		tracking.WithLogger(newLogger(s.stderr, s.opts.logLevel)))
	if err != nil {
		fmt.Fprintf(s.stderr, "tracksync: %v\n", err)
		return exitBadInput
	}
	started := time.Now()
	results := make([]tracking.OrderResult, len(b.orders))
	sent := 0
	for i, res := range syncer.Stream(ctx, b.orders) {
		results[i] = res
		reqs := rec.take(b.orders[i].ID)
		sent += len(reqs)
		printOrder(s.stdout, b.orders[i], res, reqs)
	}
	rep := newReport(1, started, results, ctx.Err() != nil, requestStats{Total: sent})
	if s.opts.json {
		_ = rep.writeJSON(s.stdout)
	} else {
		rep.writeTable(s.stdout)
	}
	return rep.exitCode()
}
