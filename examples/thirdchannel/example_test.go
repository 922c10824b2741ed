package thirdchannel_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/shopctrl/tracksync/mapping"
	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/carrier"
)

// A third channel is one exporter given to the Syncer, and one section in
// the mapping file; nothing else in tracksync changes for it.
func Example() {
	ctx := context.Background()
	m, err := mapping.Load(strings.NewReader(bolMapping))
	if err != nil {
		panic(err)
	}
	syncer, err := tracking.NewSyncer(
		tracking.WithExporters(NewExporter(newToyChannel(), m, carrier.PolicyWarn)),
		tracking.WithLedger(tracking.NewMemoryLedger()),
	)
	if err != nil {
		panic(err)
	}
	for run := 1; run <= 2; run++ {
		results, err := syncer.Sync(ctx, bolOrder())
		if err != nil {
			panic(err)
		}
		for _, r := range results[0].Results[0].Shipments {
			fmt.Printf("run %d: %s\n", run, r)
		}
	}
	// Output:
	// run 1: P1: pushed toy-1
	// run 1: P2: pushed toy-2
	// run 1: P3: pushed toy-3
	// run 1: P4: waiting (the package has no tracking number yet)
	// run 2: P1: already_pushed toy-1
	// run 2: P2: already_pushed toy-2
	// run 2: P3: already_pushed toy-3
	// run 2: P4: waiting (the package has no tracking number yet)
}
