// Command tracksync pushes shipments from files to Shopify and Amazon: for
// support staff and custom merchant integrations that do not write Go.
//
//	tracksync -mapping mapping.json -orders orders.csv
//	tracksync -mapping mapping.json -orders orders.json -validate
//	tracksync -mapping mapping.json -orders orders.csv -dry-run
//	tracksync -mapping mapping.json -orders orders.csv -every 15m
//	tracksync -mapping mapping.json -orders orders.csv -sqlite ledger.db
//	TRACKSYNC_LEDGER_DSN=postgres://… tracksync -mapping mapping.json -orders orders.csv
//	tracksync -mapping mapping.json -orders orders.csv -fake      # a demo on the embedded fakes
//
// It reads orders (JSON, JSON lines or CSV), a mapping file, and
// credentials from a file or the environment; runs them through a
// tracking.Syncer over a ledger (a file, SQLite or PostgreSQL), so that
// every shipment is pushed once however often it runs or is interrupted;
// and reports what happened.
// Run it with -h for every flag, and see README.md beside this file for a
// worked example.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/shopctrl/tracksync/mapping"
)

func main() {
	// The first Ctrl-C (or SIGTERM) stops the run after the orders in
	// flight; a second one quits at once. Nothing is lost either way: the
	// ledger holds every push that was committed, and the exporters
	// reconcile with the channel before writing.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // the next signal takes the default action: the process ends
	}()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is the command: it returns the exit status. When ctx ends, the
// orders in flight are finished and the rest are left for the next run.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	opts, code, ok := parseOptions(args, stderr)
	if !ok {
		return code
	}
	s := &session{opts: opts, stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv}
	switch {
	case opts.validate:
		return s.validate(ctx)
	case opts.dryRun:
		return s.dryRun(ctx)
	}
	return s.sync(ctx)
}

// session is what lasts across the runs of one command.
type session struct {
	opts           options
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

// load reads the mapping and the orders. The problems are those that keep
// a run from starting.
func (s *session) load() (*mapping.Static, batch, problems) {
	m, ps := loadMapping(s.opts.mapping)
	name, in := s.opts.orders, s.stdin
	if name == "-" {
		name = "stdin"
	} else {
		f, err := os.Open(name)
		if err != nil {
			return m, batch{}, append(ps, Problem{Where: name, Problem: err.Error()})
		}
		defer f.Close()
		in = f
		name = filepath.Base(name)
	}
	b, inPs := readOrders(name, in, s.opts.format)
	return m, b, append(ps, inPs...)
}

// report writes problems to w, or as JSON with -json.
func (s *session) report(w io.Writer, ps problems) {
	if s.opts.json {
		_ = writeJSONLine(w, map[string]any{"problems": ps})
		return
	}
	for _, p := range ps {
		fmt.Fprintln(w, p.String())
	}
}

// validate checks everything a run needs and lists every problem.
func (s *session) validate(ctx context.Context) int {
	m, b, ps := s.load()
	for i, o := range b.orders {
		ps.addOrderErrors(b.where[i], o.Validate())
	}
	if m != nil {
		ps = append(ps, mappingProblems(ctx, s.opts.mapping, m, b.orders)...)
	}
	if _, err := s.chooseLedger(); err != nil {
		ps.add("ledger", "", "", "%v", err)
	}
	if !s.opts.fake {
		creds, err := loadCredentials(s.opts.credentials, s.getenv, s.stderr)
		if err != nil {
			ps.add("credentials", "", "", "%v", err)
		} else {
			_, cps := resolveCredentials(b.orders, creds)
			ps = append(ps, cps...)
		}
	}
	if len(ps) > 0 {
		s.report(s.stdout, ps)
		if !s.opts.json {
			fmt.Fprintf(s.stderr, "%d problems; nothing was sent\n", len(ps))
		}
		return exitBadInput
	}
	shipments := 0
	for _, o := range b.orders {
		shipments += len(o.Shipments)
	}
	if s.opts.json {
		_ = writeJSONLine(s.stdout, map[string]any{"problems": []Problem{}, "orders": len(b.orders), "shipments": shipments})
	} else {
		fmt.Fprintf(s.stdout, "ok: %d orders, %d shipments; every order is valid, every warehouse and carrier is mapped, every store has credentials\n", len(b.orders), shipments)
	}
	return exitOK
}

// sync pushes, once or -every interval.
func (s *session) sync(ctx context.Context) int {
	m, b, ps := s.load()
	var creds *credentials
	if len(ps) == 0 && !s.opts.fake {
		var err error
		if creds, err = loadCredentials(s.opts.credentials, s.getenv, s.stderr); err != nil {
			ps.add("credentials", "", "", "%v", err)
		}
	}
	if len(ps) > 0 {
		s.report(s.stderr, ps)
		fmt.Fprintf(s.stderr, "%d problems; nothing was sent (tracksync -validate lists them all)\n", len(ps))
		return exitBadInput
	}
	ledger, err := s.openLedger(ctx)
	if err != nil {
		fmt.Fprintf(s.stderr, "tracksync: %v\n", err)
		return exitBadInput
	}
	defer ledger.close()

	r := newRunner(s, ledger, creds)
	defer r.close()
	code := exitOK
	for pass := 1; ; pass++ {
		if pass > 1 {
			m, b, ps = s.load() // the files may have changed since the last run
		}
		if len(ps) > 0 {
			s.report(s.stderr, ps)
			fmt.Fprintf(s.stderr, "run %d skipped: %d problems in the input\n", pass, len(ps))
			code = exitBadInput
		} else {
			rep, ps := r.pass(ctx, pass, m, b)
			if len(ps) > 0 {
				s.report(s.stderr, ps)
				fmt.Fprintf(s.stderr, "%d problems; nothing was sent\n", len(ps))
				code = exitBadInput
			} else {
				code = rep.exitCode()
				s.writeReport(rep)
			}
		}
		if s.opts.every == 0 || ctx.Err() != nil || s.opts.runs > 0 && pass >= s.opts.runs {
			return code
		}
		if !s.opts.json {
			fmt.Fprintf(s.stderr, "next run at %s\n", time.Now().Add(s.opts.every).Format(time.TimeOnly))
		}
		select {
		case <-ctx.Done():
			return code
		case <-time.After(s.opts.every):
		}
	}
}

func (s *session) writeReport(rep passReport) {
	if s.opts.json {
		if err := rep.writeJSON(s.stdout); err != nil {
			fmt.Fprintf(s.stderr, "tracksync: %v\n", err)
		}
		return
	}
	if s.opts.every > 0 {
		fmt.Fprintf(s.stdout, "== run %d, %s\n", rep.Pass, rep.Started.Local().Format(time.DateTime))
	}
	rep.writeTable(s.stdout)
}

// openLedger opens the run's ledger and, unless -json, says which it is.
func (s *session) openLedger(ctx context.Context) (*openedLedger, error) {
	c, err := s.chooseLedger()
	if err != nil {
		return nil, err
	}
	l, err := c.open(ctx, newLogger(s.stderr, s.opts.logLevel))
	if err != nil {
		return nil, err
	}
	if !s.opts.json {
		fmt.Fprintf(s.stderr, "ledger: %s\n", c.where)
	}
	return l, nil
}

// newLogger logs at the -log-level to w.
func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}
