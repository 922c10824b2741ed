package shopify

import "context"

type fenceKey struct{}

// withFence returns a context whose writes first call check, after the
// pacer admitted them and right before they are sent: a write whose check
// fails is not sent, and do returns the check's error. The Exporter checks
// that the Syncer still holds the leases of the shipments a write is for.
func withFence(ctx context.Context, check func() error) context.Context {
	return context.WithValue(ctx, fenceKey{}, check)
}

func fenceFrom(ctx context.Context) func() error {
	f, _ := ctx.Value(fenceKey{}).(func() error)
	return f
}
