package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// print writes what each worker did and what the fakes hold.
func (r *fleetReport) print(out io.Writer) {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "WORKER\tPUSHED\tALREADY PUSHED\tFAILED\tROUNDS\tSTORE BUSY\tREQUESTS\tTHROTTLED\tAMAZON 429\tSECONDS\tSTORES PUSHED TO")
	for _, w := range r.Workers {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%.1f\t%s\n", w.Name, w.Pushed, w.AlreadyPushed, w.Failed, w.Rounds,
			w.StoreBusy, w.Requests, w.ShopifyThrottled, w.Amazon429, w.Seconds, strings.Join(shortStores(w.Stores), " "))
	}
	if r.Killed != "" {
		fmt.Fprintf(tw, "%s\tkilled (SIGKILL) when %d of %d shipments were committed\n", r.Killed, r.KilledAt, r.Shipments)
	}
	tw.Flush()
	for _, w := range r.Workers {
		for _, f := range w.Failures {
			fmt.Fprintf(out, "%s gave up on %s\n", w.Name, f)
		}
	}
	fmt.Fprintf(out, "\n%d shipments in %.1fs: %d missing, %d pushed more than once",
		r.Shipments, r.Seconds, len(r.Missing), len(r.Twice))
	if len(r.Twice) > 0 {
		fmt.Fprintf(out, " (%s)", strings.Join(r.Twice[:min(len(r.Twice), 5)], ", "))
	}
	fmt.Fprintln(out)
	t := r.totals()
	fmt.Fprintf(out, "Shopify THROTTLED after a shop's first answer: %d (as a first answer: %d); Amazon 429: %d; Amazon packages confirmed again with the same data: %d\n",
		t.ShopifyThrottled, t.ShopifyFirst, t.Amazon429, len(r.Resent))
	if r.ok() {
		fmt.Fprintln(out, "every shipment reached its channel exactly once; no store was throttled after its first answer")
	}
}

// shortStores drops the suffixes every store name shares.
func shortStores(stores []string) []string {
	out := make([]string, len(stores))
	for i, s := range stores {
		s = strings.TrimSuffix(s, ".myshopify.com")
		s, _, _ = strings.Cut(s, "WORKERSELLER/")
		out[i] = s
	}
	return out
}
