package amazon

import (
	"context"
	"errors"

	"github.com/shopctrl/tracksync/tracking"
)

// A write for a shipment is fenced by its ledger lease (tracking.Run.Check):
// the check runs right before every attempt is sent, after the wait for
// the usage plan (which can be long: createFeed's plan is one a two
// minutes), so that a worker whose lease was lost meanwhile writes
// nothing that the lease's new holder writes too.

type fenceKey struct{}

// withFence returns ctx whose calls run check before every attempt.
func withFence(ctx context.Context, check func() error) context.Context {
	return context.WithValue(ctx, fenceKey{}, check)
}

// fenceShipment fences the calls of ctx by one shipment's lease.
func fenceShipment(ctx context.Context, run *tracking.Run, shipmentID string) context.Context {
	return withFence(ctx, func() error { return run.Check(shipmentID) })
}

// checkFence runs the fence of ctx, if any.
func checkFence(ctx context.Context) error {
	if check, ok := ctx.Value(fenceKey{}).(func() error); ok {
		return check()
	}
	return nil
}

// leaseLost is the result of a shipment whose lease was lost before its
// write.
func leaseLost(err error) tracking.ShipmentResult {
	return failedResult("the ledger lease on the shipment was lost before it was sent (another worker may hold it now); the next run tries again", err)
}

// isLeaseLost reports whether err is a fence's refusal.
func isLeaseLost(err error) bool { return errors.Is(err, tracking.ErrLeaseLost) }
