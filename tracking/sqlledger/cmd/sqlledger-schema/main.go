// Command sqlledger-schema prints the SQL of tracksync's ledger schema, for
// hosts that apply migrations with their own tool (and open the ledger
// with sqlledger.WithoutMigrations).
//
//	go run github.com/shopctrl/tracksync/tracking/sqlledger/cmd/sqlledger-schema -dialect postgres > tracksync.sql
//	go run github.com/shopctrl/tracksync/tracking/sqlledger/cmd/sqlledger-schema -dialect sqlite -from 1
//
// The script is one transaction: it creates the version table if needed,
// applies the migrations after -from and records their versions.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/shopctrl/tracksync/tracking/sqlledger"
)

func main() {
	dialect := flag.String("dialect", string(sqlledger.Postgres), `"postgres" or "sqlite"`)
	from := flag.Int("from", 0, "the database's current schema version (0 for a new database)")
	flag.Parse()
	if *from < 0 || *from > sqlledger.SchemaVersion {
		fmt.Fprintf(os.Stderr, "sqlledger-schema: -from %d: want 0 to %d\n", *from, sqlledger.SchemaVersion)
		os.Exit(2)
	}
	script, err := sqlledger.Script(sqlledger.Dialect(*dialect), *from)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sqlledger-schema:", err)
		os.Exit(2)
	}
	fmt.Print(script)
}
