package shopify

import "context"

type holdKey struct{}

// holdWrites returns a context whose first read sets points aside in the
// shop's bucket for the writes that follow it, and the function that gives
// back what is left: call it when the export is done. Writes made with the
// context spend the held points without queueing behind other orders'
// reads. See the pacer's description.
func (c *Client) holdWrites(ctx context.Context, points float64) (context.Context, func()) {
	if c.pacer.disabled || points <= 0 {
		return ctx, func() {}
	}
	h := &hold{b: c.pacer.bucket(c.shop), want: points}
	return context.WithValue(ctx, holdKey{}, h), func() { h.b.releaseHold(h) }
}

func holdFrom(ctx context.Context) *hold {
	h, _ := ctx.Value(holdKey{}).(*hold)
	return h
}
