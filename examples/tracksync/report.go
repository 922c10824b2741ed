package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/shopctrl/tracksync/tracking"
)

// passReport is what one pass did, for the summary table and -json.
type passReport struct {
	Pass        int            `json:"pass"`
	Started     time.Time      `json:"started"`
	Seconds     float64        `json:"duration_seconds"`
	Interrupted bool           `json:"interrupted"`
	Totals      totals         `json:"totals"`
	Requests    requestStats   `json:"requests"`
	Orders      []orderOutcome `json:"orders"`
}

type totals struct {
	Orders        int `json:"orders"`
	Pushed        int `json:"pushed"`
	AlreadyPushed int `json:"already_pushed"`
	Waiting       int `json:"waiting"`
	Failed        int `json:"failed"`
}

type orderOutcome struct {
	OrderID   string               `json:"order_id"`
	Channel   string               `json:"channel"`
	Store     string               `json:"store"`
	Error     string               `json:"error,omitempty"`
	Shipments []shipmentOutcome    `json:"shipments"`
	result    tracking.OrderResult // for the table
}

type shipmentOutcome struct {
	Exporter   string   `json:"exporter"`
	ShipmentID string   `json:"shipment_id"`
	State      string   `json:"state"`
	RemoteID   string   `json:"remote_id,omitempty"`
	Reason     string   `json:"reason,omitempty"`
	Error      string   `json:"error,omitempty"`
	Warnings   []string `json:"warnings,omitempty"`
	// Retryable and RetryAfter advise on a failed shipment: whether a later
	// run can push it (throttled, timed out, server error) and when.
	Retryable  bool    `json:"retryable,omitempty"`
	RetryAfter float64 `json:"retry_after_seconds,omitempty"`
}

// newReport gathers the results of a pass, in input order.
func newReport(pass int, started time.Time, results []tracking.OrderResult, interrupted bool, reqs requestStats) passReport {
	r := passReport{Pass: pass, Started: started.UTC().Truncate(time.Millisecond), Seconds: time.Since(started).Round(time.Millisecond).Seconds(),
		Interrupted: interrupted, Requests: reqs, Orders: make([]orderOutcome, 0, len(results))}
	for _, or := range results {
		oo := orderOutcome{OrderID: or.OrderID, Channel: string(or.Channel), Store: or.Store, result: or}
		if or.Err != nil {
			oo.Error = or.Err.Error()
		}
		for _, res := range or.Results {
			for _, s := range res.Shipments {
				so := shipmentOutcome{Exporter: res.Exporter, ShipmentID: s.ShipmentID, State: string(s.State), RemoteID: s.RemoteID, Reason: s.Reason, Warnings: s.Warnings,
					Retryable: s.Retryable, RetryAfter: s.RetryAfter.Seconds()}
				if s.Err != nil {
					so.Error = s.Err.Error()
				}
				oo.Shipments = append(oo.Shipments, so)
				r.Totals.count(s.State)
			}
		}
		r.Orders = append(r.Orders, oo)
	}
	r.Totals.Orders = len(results)
	return r
}

func (t *totals) count(s tracking.State) {
	switch s {
	case tracking.Pushed:
		t.Pushed++
	case tracking.AlreadyPushed:
		t.AlreadyPushed++
	case tracking.Waiting:
		t.Waiting++
	case tracking.Failed:
		t.Failed++
	}
}

// exitCode is 0 when every shipment is pushed or waiting, else 1.
func (r passReport) exitCode() int {
	if r.Totals.Failed > 0 || r.Interrupted {
		return exitFailed
	}
	return exitOK
}

// writeJSON writes the report as one line of JSON.
func (r passReport) writeJSON(w io.Writer) error {
	return writeJSONLine(w, r)
}

// writeTable writes the summary: shipments by exporter, store and state,
// then every shipment that needs attention (failed) or is still to come
// (waiting), with its reason.
func (r passReport) writeTable(w io.Writer) {
	type row struct {
		exporter, store string
		t               totals
	}
	var rows []*row
	index := map[string]*row{}
	var attention []string
	for _, o := range r.Orders {
		for _, res := range o.result.Results {
			key := res.Exporter + "\x00" + o.Store
			rw := index[key]
			if rw == nil {
				rw = &row{exporter: res.Exporter, store: storeLabel(o.result.Channel, o.Store)}
				index[key] = rw
				rows = append(rows, rw)
			}
			for _, s := range res.Shipments {
				rw.t.count(s.State)
				if s.State == tracking.Failed || s.State == tracking.Waiting {
					attention = append(attention, fmt.Sprintf("%s\t%s\t%s\t%s\t%s", o.OrderID, s.ShipmentID, res.Exporter, s.State, oneLine(s.Reason)))
				}
			}
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "EXPORTER\tSTORE\tPUSHED\tALREADY\tWAITING\tFAILED")
	for _, rw := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\n", rw.exporter, rw.store, rw.t.Pushed, rw.t.AlreadyPushed, rw.t.Waiting, rw.t.Failed)
	}
	tw.Flush()
	if len(attention) > 0 {
		fmt.Fprintf(w, "\nshipments not pushed: %d\n", len(attention))
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ORDER\tSHIPMENT\tEXPORTER\tSTATE\tREASON")
		for _, a := range attention {
			fmt.Fprintln(tw, a)
		}
		tw.Flush()
	}
	q := r.Requests
	fmt.Fprintf(w, "\n%d orders in %s: %d pushed, %d already pushed, %d waiting, %d failed; %d requests (%d throttled, %d retries, %.1fs waiting for rate limits)\n",
		r.Totals.Orders, time.Duration(r.Seconds*float64(time.Second)).Round(time.Millisecond), r.Totals.Pushed, r.Totals.AlreadyPushed, r.Totals.Waiting, r.Totals.Failed,
		q.Total, q.Throttled, q.Retries, q.Waited)
	if r.Interrupted {
		fmt.Fprintln(w, "interrupted: run the same command again to push the rest; nothing is pushed twice")
	}
}

// oneLine keeps a reason on its table row.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
