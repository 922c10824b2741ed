package amazon

import (
	"context"
	"time"

	"github.com/shopctrl/tracksync/tracking"
)

// This file is the one place that reaches into what the Syncer puts in an
// export's context (CORE_API: tracking.RunFrom, tracking.ObserverFrom).
// PRE-MERGE SHIM: replaced by the real calls when main lands them.

// runView is what an exporter sees of the Syncer's work on a shipment.
type runView interface {
	Check(shipmentID string) error
	Note(shipmentID string) string
	SetNote(ctx context.Context, shipmentID, note string) error
	TakenOver(shipmentID string) bool
}

type runKey struct{}

// runOf returns the Syncer's run of ctx; a run that allows everything and
// remembers nothing outside a Syncer.
func runOf(ctx context.Context) runView {
	if r, ok := ctx.Value(runKey{}).(runView); ok {
		return r
	}
	return nopRun{}
}

type nopRun struct{}

func (nopRun) Check(string) error                            { return nil }
func (nopRun) Note(string) string                            { return "" }
func (nopRun) SetNote(context.Context, string, string) error { return nil }
func (nopRun) TakenOver(string) bool                         { return false }

// requestEvent mirrors tracking.RequestEvent.
type requestEvent struct {
	Channel   tracking.Channel
	Store     string
	Operation string
	Status    int
	Attempt   int
	Duration  time.Duration
	Wait      time.Duration
	Throttled bool
	Err       error
}

type observerKey struct{}

// observe reports one HTTP attempt to the Syncer's observer.
func observe(ctx context.Context, e requestEvent) {
	if f, ok := ctx.Value(observerKey{}).(func(requestEvent)); ok {
		f(e)
	}
}
