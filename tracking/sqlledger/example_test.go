package sqlledger_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/sqlledger"
)

// A ledger in a SQLite file: what one process pushed survives its restart.
func ExampleOpenSQLite() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "ledger-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "ledger.db")

	ledger, err := sqlledger.OpenSQLite(ctx, path)
	if err != nil {
		log.Fatal(err)
	}
	key := tracking.LedgerKey{Channel: "shopify", Store: "acme.myshopify.com", OrderID: "1001", ShipmentID: "S1"}
	lease, err := ledger.Claim(ctx, key, "worker-1", time.Minute)
	if err != nil {
		log.Fatal(err)
	}
	if err := ledger.Commit(ctx, lease, tracking.Record{RemoteID: "gid://shopify/Fulfillment/1", TrackingNumber: "3SDEVC1234567"}); err != nil {
		log.Fatal(err)
	}
	ledger.Close()

	reopened, err := sqlledger.OpenSQLite(ctx, path)
	if err != nil {
		log.Fatal(err)
	}
	defer reopened.Close()
	rec, ok, err := reopened.Lookup(ctx, key)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ok, rec.RemoteID)

	// Another worker's claim of the key is refused while the lease lives.
	if _, err := reopened.Claim(ctx, key, "worker-2", time.Minute); err != nil {
		log.Fatal(err)
	}
	_, err = reopened.Claim(ctx, key, "worker-3", time.Minute)
	fmt.Println(err != nil)
	// Output:
	// true gid://shopify/Fulfillment/1
	// true
}

// The migrations, for a host that applies them with its own tool.
func ExampleMigrations() {
	ms, err := sqlledger.Migrations(sqlledger.Postgres)
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range ms {
		fmt.Printf("%04d_%s\n", m.Version, m.Name)
	}
	// Output:
	// 0001_ledger
	// 0002_store_leases
}

// A ledger on PostgreSQL shared by a fleet of workers, with store
// ownership. (Not run: it needs a database.)
func ExampleOpenPostgres() {
	ctx := context.Background()
	ledger, err := sqlledger.OpenPostgres(ctx, os.Getenv("TRACKSYNC_POSTGRES_DSN"))
	if err != nil {
		log.Fatal(err) // cannot connect, or the schema is newer than this code
	}
	defer ledger.Close()
	locks, err := sqlledger.NewStoreLocks(ledger, "worker-1")
	if err != nil {
		log.Fatal(err)
	}
	defer locks.Close()
	_, err = tracking.NewSyncer(
		tracking.WithExporters( /* the channels' exporters */ ),
		tracking.WithLedger(ledger),
		tracking.WithOwner("worker-1"),
		tracking.WithStoreLocker(locks),
	)
	if err != nil {
		log.Fatal(err)
	}
}
