package sqlledger_test

import (
	"testing"
	"time"

	"github.com/shopctrl/tracksync/tracking"
	"github.com/shopctrl/tracksync/tracking/sqlledger"
	"github.com/stretchr/testify/require"
)

func TestTokensGrowAcrossPrune(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		ctx := t.Context()
		l := b.openFresh(t)
		first, err := l.Claim(ctx, key, "w1", time.Minute)
		require.NoError(t, err)
		require.NoError(t, l.Release(ctx, first))
		n, err := l.Prune(ctx, time.Now().Add(time.Hour))
		require.NoError(t, err)
		require.Equal(t, 1, n)

		second, err := l.Claim(ctx, key, "w1", time.Minute)
		require.NoError(t, err)
		require.Greater(t, second.Token, first.Token, "a pruned key does not start its tokens again")
		require.ErrorIs(t, l.Commit(ctx, first, record("stale")), tracking.ErrLeaseLost)
	})
}

func TestPrunedLeaseIsLost(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		ctx := t.Context()
		l := b.openFresh(t)
		lease, err := l.Claim(ctx, key, "w1", time.Millisecond)
		require.NoError(t, err)
		require.Eventually(t, func() bool { // the database's clock decides
			n, err := l.Prune(ctx, time.Now().Add(time.Hour))
			require.NoError(t, err)
			return n == 1
		}, 5*time.Second, 5*time.Millisecond, "an expired lease is an ended claim")
		err = l.Commit(ctx, lease, record("F1"))
		require.ErrorIs(t, err, tracking.ErrLeaseLost)
		require.ErrorContains(t, err, "is not the current one")
	})
}

func TestLeaseLostSaysWhy(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		ctx := t.Context()
		l := b.openFresh(t)
		lease, err := l.Claim(ctx, key, "w1", time.Minute)
		require.NoError(t, err)
		require.NoError(t, l.Release(ctx, lease))
		require.ErrorContains(t, l.Release(ctx, lease), "has already ended")

		next, err := l.Claim(ctx, key, "w2", time.Minute)
		require.NoError(t, err)
		err = l.Note(ctx, lease, "stale")
		require.ErrorIs(t, err, tracking.ErrLeaseLost)
		require.ErrorContains(t, err, "superseded by lease")
		_, err = l.Renew(ctx, tracking.Lease{Key: key, Owner: "w2", Token: 1 << 63}, time.Minute)
		require.ErrorIs(t, err, tracking.ErrLeaseLost, "a token no ledger issued")
		require.NoError(t, l.Commit(ctx, next, record("F1")))
	})
}

func TestTextThatCannotBeStored(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		ctx := t.Context()
		l := b.openFresh(t)
		_, err := l.Claim(ctx, key, "w\x00", time.Minute)
		require.ErrorIs(t, err, tracking.ErrInvalidClaim)
		require.ErrorIs(t, err, sqlledger.ErrInvalidText)

		lease, err := l.Claim(ctx, key, "w1", time.Minute)
		require.NoError(t, err)
		require.ErrorIs(t, l.Note(ctx, lease, "feed\xff"), sqlledger.ErrInvalidText)
		bad := record("F1")
		bad.TrackingNumber = "TN\x00"
		require.ErrorIs(t, l.Commit(ctx, lease, bad), sqlledger.ErrInvalidText)
		bad = record("F\xfe")
		require.ErrorIs(t, l.Commit(ctx, lease, bad), sqlledger.ErrInvalidText)

		require.NoError(t, l.Commit(ctx, lease, record("F1")), "the refused calls left the lease alone")
	})
}

func TestRecordTimes(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		ctx := t.Context()
		l := b.openFresh(t)
		for i, at := range []time.Time{
			{},
			time.Date(2026, 3, 1, 12, 0, 0, 123456789, time.FixedZone("CET", 3600)),
		} {
			k := key
			k.OrderID = string(rune('a' + i))
			rec := tracking.Record{RemoteID: "F", PushedAt: at}
			push(t, l, k, rec)
			got, ok, err := l.Lookup(ctx, k)
			require.NoError(t, err)
			require.True(t, ok)
			require.True(t, at.Truncate(time.Microsecond).Equal(got.PushedAt), "%v: got %v", at, got.PushedAt)
			require.Equal(t, time.UTC, got.PushedAt.Location())
		}
	})
}
