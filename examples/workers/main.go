// Command workers runs a fleet of tracksync workers on several processes
// over one PostgreSQL ledger, against the fake Shopify and Amazon APIs, and
// prints what each worker did.
//
// The workers are processes, not goroutines: the command starts the fakes,
// seeds them, writes the host's orders to a file and then starts itself
// again once per worker (the TRACKSYNC_WORKER environment variable carries
// the worker's settings). Every worker has its own connection pool, its
// own channel clients and rate-limit pacers, and can die like a real one:
// with -kill, the worker holding the most stores is killed (SIGKILL)
// mid-run, and the others take over its stores and its shipments once
// their leases expire.
//
// Every worker is handed every order, as if each polled the same order
// system. The ledger makes each push happen once; the store leases
// (sqlledger.StoreLocks) give each shop and seller to one worker at a
// time, so that its rate limit is paced in one place. A worker whose
// orders belong to a store held elsewhere gets them back Waiting and tries
// again when that store's lease ends. At the end the command checks the
// fakes: every shipment exactly once, none lost.
//
//	TRACKSYNC_POSTGRES_DSN='postgres://localhost/tracksync?sslmode=disable' go run ./examples/workers -kill
//
// The ledger's tables go to the DSN's database (its search_path); the order
// ids are new on every run, so runs do not see each other's records.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/shopctrl/tracksync/tracking/sqlledger/pgtest"
)

func main() {
	if settings := os.Getenv(workerEnv); settings != "" {
		os.Exit(workerMain(settings))
	}
	cfg := defaultFleet()
	flag.StringVar(&cfg.DSN, "dsn", os.Getenv(pgtest.EnvDSN), "PostgreSQL DSN of the ledger (default $"+pgtest.EnvDSN+")")
	flag.IntVar(&cfg.Workers, "workers", cfg.Workers, "worker processes")
	flag.IntVar(&cfg.Shops, "shops", cfg.Shops, "Shopify shops")
	flag.IntVar(&cfg.Sellers, "sellers", cfg.Sellers, "Amazon sellers")
	flag.IntVar(&cfg.Shipments, "shipments", cfg.Shipments, "shipments in all (two per order)")
	flag.BoolVar(&cfg.Faults, "faults", cfg.Faults, "inject server errors, delays and dropped connections into the fakes")
	flag.BoolVar(&cfg.Kill, "kill", cfg.Kill, "kill the worker holding the most stores a third of the way through")
	flag.Parse()
	if cfg.DSN == "" {
		fmt.Fprintln(os.Stderr, "workers: no PostgreSQL: pass -dsn or set "+pgtest.EnvDSN)
		os.Exit(2)
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "workers:", err)
		os.Exit(1)
	}
	cfg.Exe = exe
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	report, err := runFleet(ctx, cfg)
	if report != nil {
		report.print(os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "workers:", err)
		os.Exit(1)
	}
	if !report.ok() {
		os.Exit(1)
	}
}
