package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/shopctrl/tracksync/internal/httpx"
)

// Exit codes.
const (
	exitOK       = 0 // every shipment pushed (or already), or waiting for something that resolves itself
	exitFailed   = 1 // some shipment failed, or the run was interrupted before every order was done
	exitBadInput = 2 // the input, mapping, credentials or flags cannot be used; nothing was sent
)

// options are the command's flags.
type options struct {
	mapping, orders, format, credentials, ledger string
	sqlite                                       string
	postgres                                     secret // a DSN may hold a password
	validate, dryRun, json, fake, feeds          bool
	every                                        time.Duration
	runs, concurrency                            int
	shopifyURL, amazonURL, shopifyVersion        string
	logLevel                                     slog.Level
}

const usageText = `tracksync pushes the shipments of your orders to Shopify (fulfillments) and
Amazon (shipment confirmations), once each, within the channels' rate limits.

Usage:
  tracksync -mapping mapping.json -orders orders.csv [flags]
  tracksync -mapping mapping.json -validate < orders.json

Orders are a JSON array or JSON lines of tracking.Order, or CSV with one row
per package (see the README of examples/tracksync for the columns), from a
file or standard input ("-"). The mapping file says which Shopify location
each warehouse is and how carriers appear on each channel.

Credentials are read from a file (-credentials, or $TRACKSYNC_CREDENTIALS) and
environment variables, never from flags, and are never printed:
  TRACKSYNC_SHOPIFY_TOKEN_<SHOP>          e.g. TRACKSYNC_SHOPIFY_TOKEN_DEMO_SHOP
  TRACKSYNC_AMAZON_REFRESH_TOKEN_<SELLER>
  TRACKSYNC_AMAZON_CLIENT_ID[_<SELLER>], TRACKSYNC_AMAZON_CLIENT_SECRET[_<SELLER>]
  TRACKSYNC_AMAZON_REGION_<SELLER>        na, eu or fe (default: from the marketplaces)

The ledger records every push, so that nothing is pushed twice: a file
(-ledger, default tracksync/ledger.jsonl in the user cache directory), SQLite
(-sqlite FILE), or PostgreSQL (-postgres DSN, or $TRACKSYNC_LEDGER_DSN when no
ledger flag is given), which several tracksync processes can share: each shop
or seller is then served by one of them at a time, the others leaving its
orders waiting. Only the DSN's host and database are ever printed.

Modes:
  (default)  push; a progress line on a terminal, plain lines elsewhere, then a
             summary (or -json). Ctrl-C finishes the orders in flight and stops;
             running the same command again resumes, and nothing is pushed twice.
  -validate  check the orders, the mapping and the credentials; list every
             problem with its place; push nothing.
  -dry-run   show the exact requests a run would send (GraphQL documents and
             variables, confirmShipment bodies, feed XML) without any network
             call. The answers come from a SIMULATED shop and seller state: each
             order as the channel would hold it before any push, its items at the
             mapped locations. The ledger is not read; no credentials are needed.

Exit status: 0 every shipment pushed or waiting, 1 some failed (or interrupted),
2 bad input (nothing was sent).

Flags:
`

// parseOptions reads the flags. Help is exitOK; a bad flag is
// exitBadInput, with the problem on stderr.
func parseOptions(args []string, stderr io.Writer) (options, int, bool) {
	var o options
	fs := flag.NewFlagSet("tracksync", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usageText)
		fs.PrintDefaults()
	}
	fs.StringVar(&o.mapping, "mapping", "", "mapping `file` (JSON; required)")
	fs.StringVar(&o.orders, "orders", "-", "orders `file`; - for standard input")
	fs.StringVar(&o.format, "format", formatAuto, "orders format: auto (by extension, else by content), json or csv")
	fs.StringVar(&o.credentials, "credentials", "", "credentials `file` (JSON); default $"+envCredentials+", else the environment alone")
	fs.StringVar(&o.ledger, "ledger", "", "ledger `file` (JSON lines) that records what was pushed (default: the PostgreSQL ledger $"+envLedgerDSN+" names if set, else tracksync/ledger.jsonl in the user cache directory; with -fake or test servers, a temporary file)")
	fs.StringVar(&o.sqlite, "sqlite", "", "keep the ledger in this SQLite database `file` instead, created if needed")
	fs.Var(&o.postgres, "postgres", "keep the ledger in this PostgreSQL database, shared by every tracksync that names it (`DSN` postgres://user@host/db or host=… dbname=…; "+
		"a password is best left to $"+envLedgerDSN+", $PGPASSWORD or ~/.pgpass, out of shell history)")
	fs.BoolVar(&o.validate, "validate", false, "check orders, mapping and credentials, list every problem, push nothing (exit 2 when any)")
	fs.BoolVar(&o.dryRun, "dry-run", false, "print the requests a run would send, answered by a simulated channel; no network call")
	fs.BoolVar(&o.json, "json", false, "write the results as JSON (one line per run) instead of the summary table")
	fs.DurationVar(&o.every, "every", 0, "sync again at this interval (e.g. 15m), reading the orders and mapping anew each time; stop with Ctrl-C")
	fs.IntVar(&o.runs, "runs", 0, "with -every: stop after this many runs (default: until interrupted)")
	fs.BoolVar(&o.fake, "fake", false, "start the embedded fake Shopify and Amazon, seeded from the orders, and push to them (a demo; no credentials needed)")
	fs.BoolVar(&o.feeds, "feeds", false, "confirm Amazon packages in bulk through the Feeds API instead of one call each")
	fs.IntVar(&o.concurrency, "concurrency", 8, "orders synced at the same time")
	fs.StringVar(&o.shopifyURL, "shopify-url", "", "send Shopify requests to this loopback test server (shopifytest) instead of the shops")
	fs.StringVar(&o.amazonURL, "amazon-url", "", "send SP-API and token requests to this loopback test server (amazontest)")
	fs.StringVar(&o.shopifyVersion, "shopify-version", "", "Shopify Admin API version, YYYY-MM (default: the client's)")
	fs.TextVar(&o.logLevel, "log-level", slog.LevelWarn, "log level: debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, exitOK, false
		}
		return o, exitBadInput, false
	}
	if err := o.check(fs.NArg()); err != nil {
		fmt.Fprintf(stderr, "tracksync: %v\nRun tracksync -h for help.\n", err)
		return o, exitBadInput, false
	}
	return o, exitOK, true
}

func (o *options) check(extra int) error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if extra > 0 {
		bad("unexpected arguments; give the orders with -orders FILE")
	}
	if o.mapping == "" {
		bad("-mapping is required")
	}
	if o.validate && o.dryRun {
		bad("-validate and -dry-run: choose one")
	}
	if o.every < 0 {
		bad("-every %s: want a positive interval such as 15m", o.every)
	}
	if o.every > 0 && (o.validate || o.dryRun) {
		bad("-every repeats runs; it does not go with -validate or -dry-run")
	}
	if o.every > 0 && o.orders == "-" {
		bad("-every reads the orders anew each time, which standard input cannot give: use -orders FILE")
	}
	if o.runs < 0 || o.runs > 0 && o.every == 0 {
		bad("-runs counts the runs of -every")
	}
	if n := countSet(o.ledger, o.sqlite, o.postgres.reveal()); n > 1 {
		bad("-ledger, -sqlite and -postgres each name a ledger: choose one")
	}
	if o.fake && (o.shopifyURL != "" || o.amazonURL != "") {
		bad("-fake starts its own test servers; leave out -shopify-url and -amazon-url")
	}
	for flag, u := range map[string]string{"-shopify-url": o.shopifyURL, "-amazon-url": o.amazonURL} {
		if _, err := httpx.LoopbackURL(u); u != "" && err != nil {
			bad("%s %q: %v; it is for test servers (shopifytest, amazontest) only", flag, u, err)
		}
	}
	if o.concurrency < 1 {
		bad("-concurrency %d: want at least 1", o.concurrency)
	}
	if o.format != formatAuto && o.format != formatJSON && o.format != formatCSV {
		bad("-format %q: want auto, json or csv", o.format)
	}
	return errors.Join(errs...)
}

// testEndpoints reports whether the run goes to test servers, whose pushes
// must not land in the user's real ledger.
func (o *options) testEndpoints() bool {
	return o.fake || o.shopifyURL != "" || o.amazonURL != ""
}

// countSet counts the non-empty values.
func countSet(values ...string) int {
	n := 0
	for _, v := range values {
		if v != "" {
			n++
		}
	}
	return n
}
