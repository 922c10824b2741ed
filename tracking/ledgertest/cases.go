package ledgertest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/shopctrl/tracksync/tracking"
	"github.com/stretchr/testify/require"
)

func contractClaimCommitLookup(t *testing.T, s *suite, l tracking.Ledger) {
	ctx := t.Context()
	_, ok, err := l.Lookup(ctx, testKey)
	require.NoError(t, err)
	require.False(t, ok, "never committed")

	lease, err := l.Claim(ctx, testKey, "w1", s.ttl)
	require.NoError(t, err)
	require.Equal(t, testKey, lease.Key)
	require.Equal(t, "w1", lease.Owner)
	require.NotZero(t, lease.Token)
	s.requireExpires(t, time.Now().Add(s.ttl), lease.Expires)
	require.False(t, lease.TakenOver)

	_, ok, err = l.Lookup(ctx, testKey)
	require.NoError(t, err)
	require.False(t, ok, "a claim records nothing")

	require.NoError(t, l.Commit(ctx, lease, testRecord("F1")))
	requireRecord(t, l, testKey, testRecord("F1"))
}

func contractLiveLeaseRefuses(t *testing.T, s *suite, l tracking.Ledger) {
	ctx := t.Context()
	lease, err := l.Claim(ctx, testKey, "w1", s.ttl)
	require.NoError(t, err)

	for _, owner := range []string{"w2", "w1"} { // the holder too
		_, err = l.Claim(ctx, testKey, owner, s.ttl)
		require.ErrorIs(t, err, tracking.ErrClaimed)
		var ce *tracking.ClaimedError
		require.ErrorAs(t, err, &ce)
		require.Equal(t, "w1", ce.Owner)
		require.Equal(t, testKey, ce.Key)
		s.requireExpires(t, lease.Expires, ce.Expires)
	}

	s.sleep(s.justBefore())
	_, err = l.Claim(ctx, testKey, "w2", s.ttl)
	require.ErrorIs(t, err, tracking.ErrClaimed, "live until the last instant")
}

func contractReleaseThenReclaim(t *testing.T, s *suite, l tracking.Ledger) {
	ctx := t.Context()
	first, err := l.Claim(ctx, testKey, "w1", s.ttl)
	require.NoError(t, err)
	require.NoError(t, l.Release(ctx, first))

	_, ok, err := l.Lookup(ctx, testKey)
	require.NoError(t, err)
	require.False(t, ok, "a release records nothing")

	second, err := l.Claim(ctx, testKey, "w2", s.ttl)
	require.NoError(t, err)
	require.Equal(t, "w2", second.Owner)
	require.False(t, second.TakenOver, "the first lease ended cleanly")
	require.Greater(t, second.Token, first.Token)
}

func contractTakeover(t *testing.T, s *suite, l tracking.Ledger) {
	ctx := t.Context()
	old, err := l.Claim(ctx, testKey, "w1", s.ttl)
	require.NoError(t, err)

	s.sleep(s.pastExpiry())
	lease, err := l.Claim(ctx, testKey, "w2", s.ttl)
	require.NoError(t, err)
	require.True(t, lease.TakenOver)
	require.Greater(t, lease.Token, old.Token)

	require.ErrorIs(t, l.Commit(ctx, old, testRecord("late")), tracking.ErrLeaseLost)
	require.ErrorIs(t, l.Release(ctx, old), tracking.ErrLeaseLost)

	_, err = l.Claim(ctx, testKey, "w3", s.ttl)
	var ce *tracking.ClaimedError
	require.ErrorAs(t, err, &ce, "the stale calls must not end the new lease")
	require.Equal(t, "w2", ce.Owner)

	require.NoError(t, l.Commit(ctx, lease, testRecord("F2")))
	requireRecord(t, l, testKey, testRecord("F2"))
}

func contractLateButUncontested(t *testing.T, s *suite, l tracking.Ledger) {
	ctx := t.Context()
	other := testKey
	other.ShipmentID = "S2"
	lease, err := l.Claim(ctx, testKey, "w1", s.ttl)
	require.NoError(t, err)
	otherLease, err := l.Claim(ctx, other, "w1", s.ttl)
	require.NoError(t, err)

	s.sleep(2 * s.ttl)
	require.NoError(t, l.Commit(ctx, lease, testRecord("F1")))
	require.NoError(t, l.Release(ctx, otherLease))

	requireRecord(t, l, testKey, testRecord("F1"))

	next, err := l.Claim(ctx, other, "w2", s.ttl)
	require.NoError(t, err)
	require.False(t, next.TakenOver, "the expired lease was released")
}

func contractUpdate(t *testing.T, s *suite, l tracking.Ledger) {
	ctx := t.Context()
	first, err := l.Claim(ctx, testKey, "w1", s.ttl)
	require.NoError(t, err)
	require.NoError(t, l.Commit(ctx, first, testRecord("F1")))

	second, err := l.Claim(ctx, testKey, "w2", s.ttl)
	require.NoError(t, err)
	require.False(t, second.TakenOver)
	require.Greater(t, second.Token, first.Token)

	rec, _, err := l.Lookup(ctx, testKey)
	require.NoError(t, err)
	require.Equal(t, testRecord("F1"), rec, "the record stands until the update commits")

	require.NoError(t, l.Commit(ctx, second, testRecord("F2")))
	rec, _, err = l.Lookup(ctx, testKey)
	require.NoError(t, err)
	require.Equal(t, testRecord("F2"), rec)
}

func contractLeaseEnds(t *testing.T, s *suite, l tracking.Ledger) {
	ctx := t.Context()
	lease, err := l.Claim(ctx, testKey, "w1", s.ttl)
	require.NoError(t, err)
	require.NoError(t, l.Commit(ctx, lease, testRecord("F1")))
	require.ErrorIs(t, l.Commit(ctx, lease, testRecord("again")), tracking.ErrLeaseLost)
	require.ErrorIs(t, l.Release(ctx, lease), tracking.ErrLeaseLost)

	lease, err = l.Claim(ctx, testKey, "w1", s.ttl)
	require.NoError(t, err)
	require.NoError(t, l.Release(ctx, lease))
	require.ErrorIs(t, l.Release(ctx, lease), tracking.ErrLeaseLost)
	require.ErrorIs(t, l.Commit(ctx, lease, testRecord("after release")), tracking.ErrLeaseLost)

	rec, _, err := l.Lookup(ctx, testKey)
	require.NoError(t, err)
	require.Equal(t, testRecord("F1"), rec)
}

func contractKeysIndependent(t *testing.T, s *suite, l tracking.Ledger) {
	ctx := t.Context()
	keys := []tracking.LedgerKey{testKey}
	for _, change := range []func(*tracking.LedgerKey){
		func(k *tracking.LedgerKey) { k.Channel = "amazon" },
		func(k *tracking.LedgerKey) { k.Store = "other.example" },
		func(k *tracking.LedgerKey) { k.OrderID = "1002" },
		func(k *tracking.LedgerKey) { k.ShipmentID = "" },
		func(k *tracking.LedgerKey) { k.Purpose = "email:shipment-shipped" },
	} {
		k := testKey
		change(&k)
		keys = append(keys, k)
	}
	for _, k := range keys {
		_, err := l.Claim(ctx, k, "w1", s.ttl)
		require.NoError(t, err, "key %s", k)
	}
}

func contractInvalidInput(t *testing.T, s *suite, l tracking.Ledger) {
	ctx := t.Context()
	noChannel, noStore, noOrder := testKey, testKey, testKey
	noChannel.Channel, noStore.Store, noOrder.OrderID = "", "", ""
	forged := tracking.Lease{Key: testKey, Owner: "w1", Token: 7, Expires: time.Now().Add(s.ttl)}

	tests := []struct {
		name string
		call func() error
		want error
	}{
		{"claim without channel", func() error { _, err := l.Claim(ctx, noChannel, "w1", s.ttl); return err }, tracking.ErrInvalidKey},
		{"claim without store", func() error { _, err := l.Claim(ctx, noStore, "w1", s.ttl); return err }, tracking.ErrInvalidKey},
		{"claim without order", func() error { _, err := l.Claim(ctx, noOrder, "w1", s.ttl); return err }, tracking.ErrInvalidKey},
		{"claim without owner", func() error { _, err := l.Claim(ctx, testKey, "", s.ttl); return err }, tracking.ErrInvalidClaim},
		{"claim with zero ttl", func() error { _, err := l.Claim(ctx, testKey, "w1", 0); return err }, tracking.ErrInvalidClaim},
		{"claim with negative ttl", func() error { _, err := l.Claim(ctx, testKey, "w1", -time.Second); return err }, tracking.ErrInvalidClaim},
		{"lookup without order", func() error { _, _, err := l.Lookup(ctx, noOrder); return err }, tracking.ErrInvalidKey},
		{"commit zero lease", func() error { return l.Commit(ctx, tracking.Lease{}, testRecord("F1")) }, tracking.ErrInvalidKey},
		{"release zero lease", func() error { return l.Release(ctx, tracking.Lease{}) }, tracking.ErrInvalidKey},
		{"commit forged lease", func() error { return l.Commit(ctx, forged, testRecord("F1")) }, tracking.ErrLeaseLost},
		{"release forged lease", func() error { return l.Release(ctx, forged) }, tracking.ErrLeaseLost},
	}
	for _, tc := range tests { // no t.Run: it is not allowed in a synctest bubble
		require.ErrorIs(t, tc.call(), tc.want, tc.name)
	}

	lease, err := l.Claim(ctx, testKey, "w1", s.ttl)
	require.NoError(t, err, "refused calls change nothing")
	require.False(t, lease.TakenOver)
	_, ok, err := l.Lookup(ctx, testKey)
	require.NoError(t, err)
	require.False(t, ok)
}

func contractCancelled(t *testing.T, s *suite, l tracking.Ledger) {
	lease, err := l.Claim(t.Context(), testKey, "w1", s.ttl)
	require.NoError(t, err)
	other := testKey
	other.OrderID = "1002"

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, _, err = l.Lookup(ctx, testKey)
	require.ErrorIs(t, err, context.Canceled)
	_, err = l.Claim(ctx, other, "w1", s.ttl)
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorIs(t, l.Commit(ctx, lease, testRecord("F1")), context.Canceled)
	require.ErrorIs(t, l.Release(ctx, lease), context.Canceled)

	ctx = t.Context()
	_, err = l.Claim(ctx, other, "w2", s.ttl)
	require.NoError(t, err, "the cancelled claim took no lease")
	require.NoError(t, l.Commit(ctx, lease, testRecord("F1")), "the cancelled calls left the lease alone")
}

func contractConcurrentClaims(t *testing.T, s *suite, l tracking.Ledger) {
	const workers = 50
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			_, errs[i] = l.Claim(t.Context(), testKey, fmt.Sprintf("w%d", i), s.ttl)
		})
	}
	wg.Wait()

	won := 0
	for _, err := range errs {
		if err == nil {
			won++
			continue
		}
		require.ErrorIs(t, err, tracking.ErrClaimed)
	}
	require.Equal(t, 1, won)
}

func contractConcurrentCommits(t *testing.T, s *suite, l tracking.Ledger) {
	const workers = 50
	key := func(i int) tracking.LedgerKey {
		k := testKey
		k.ShipmentID = fmt.Sprintf("S%d", i)
		return k
	}
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			ctx := t.Context()
			lease, err := l.Claim(ctx, key(i), "w", s.ttl)
			if err == nil {
				err = l.Commit(ctx, lease, testRecord(fmt.Sprint(i)))
			}
			errs[i] = err
		})
	}
	wg.Wait()

	for i, err := range errs {
		require.NoError(t, err)
		rec, ok, err := l.Lookup(t.Context(), key(i))
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, testRecord(fmt.Sprint(i)), rec)
	}
}

func contractKeysAreText(t *testing.T, s *suite, l tracking.Ledger) {
	ctx := t.Context()
	for _, bad := range []string{"S\xff1", "S\x001"} {
		k := testKey
		k.ShipmentID = bad
		_, err := l.Claim(ctx, k, "w1", s.ttl)
		require.ErrorIs(t, err, tracking.ErrInvalidKey, "%q", bad)
		_, _, err = l.Lookup(ctx, k)
		require.ErrorIs(t, err, tracking.ErrInvalidKey, "%q", bad)
	}
	k := testKey
	k.ShipmentID = "Sendung-Ä-包裹"
	lease, err := l.Claim(ctx, k, "w1", s.ttl)
	require.NoError(t, err)
	require.NoError(t, l.Commit(ctx, lease, testRecord("F1")))
	requireRecord(t, l, k, testRecord("F1"))
	_, ok, err := l.Lookup(ctx, testKey)
	require.NoError(t, err)
	require.False(t, ok, "distinct keys stay distinct")
}

func contractRenew(t *testing.T, s *suite, l tracking.Ledger) {
	ctx := t.Context()
	lease, err := l.Claim(ctx, testKey, "w1", s.ttl)
	require.NoError(t, err)
	s.sleep(s.justBefore())
	renewed, err := l.Renew(ctx, lease, s.ttl)
	require.NoError(t, err)
	require.Equal(t, lease.Token, renewed.Token, "a renewal keeps the token")
	s.requireExpires(t, time.Now().Add(s.ttl), renewed.Expires)

	s.sleep(s.justBefore())
	_, err = l.Claim(ctx, testKey, "w2", s.ttl)
	require.ErrorIs(t, err, tracking.ErrClaimed, "the renewed lease is still live")
	require.NoError(t, l.Commit(ctx, renewed, testRecord("F1")))

	_, err = l.Renew(ctx, renewed, 0)
	require.Error(t, err, "a ttl that is not positive")
}

func contractRenewLost(t *testing.T, s *suite, l tracking.Ledger) {
	ctx := t.Context()
	old, err := l.Claim(ctx, testKey, "w1", s.ttl)
	require.NoError(t, err)
	s.sleep(s.pastExpiry())
	_, err = l.Renew(ctx, old, s.ttl)
	require.NoError(t, err, "expired but nobody claimed it: still renewable")

	s.sleep(s.pastExpiry())
	taker, err := l.Claim(ctx, testKey, "w2", s.ttl)
	require.NoError(t, err)
	require.True(t, taker.TakenOver)
	_, err = l.Renew(ctx, old, s.ttl)
	require.ErrorIs(t, err, tracking.ErrLeaseLost, "taken over")

	require.NoError(t, l.Release(ctx, taker))
	_, err = l.Renew(ctx, taker, s.ttl)
	require.ErrorIs(t, err, tracking.ErrLeaseLost, "released")
}

func contractNote(t *testing.T, s *suite, l tracking.Ledger) {
	ctx := t.Context()
	first, err := l.Claim(ctx, testKey, "w1", s.ttl)
	require.NoError(t, err)
	require.Empty(t, first.Note)
	require.NoError(t, l.Note(ctx, first, "feed-pending:B1"))
	require.NoError(t, l.Note(ctx, first, "feed:F42"), "a later note replaces the earlier")
	require.NoError(t, l.Release(ctx, first))

	second, err := l.Claim(ctx, testKey, "w2", s.ttl)
	require.NoError(t, err)
	require.Equal(t, "feed:F42", second.Note, "the note survives a release")
	s.sleep(s.pastExpiry())

	third, err := l.Claim(ctx, testKey, "w3", s.ttl)
	require.NoError(t, err)
	require.True(t, third.TakenOver)
	require.Equal(t, "feed:F42", third.Note, "the note survives an expired lease")
	_, ok, err := l.Lookup(ctx, testKey)
	require.NoError(t, err)
	require.False(t, ok, "a note is not a record")

	require.NoError(t, l.Commit(ctx, third, testRecord("F1")))
	fourth, err := l.Claim(ctx, testKey, "w4", s.ttl)
	require.NoError(t, err)
	require.Empty(t, fourth.Note, "a commit clears the note")

	require.NoError(t, l.Note(ctx, fourth, "x"))
	require.NoError(t, l.Note(ctx, fourth, ""), "an empty note removes it")
	require.NoError(t, l.Release(ctx, fourth))
	fifth, err := l.Claim(ctx, testKey, "w5", s.ttl)
	require.NoError(t, err)
	require.Empty(t, fifth.Note)
}

func contractNoteLost(t *testing.T, s *suite, l tracking.Ledger) {
	ctx := t.Context()
	old, err := l.Claim(ctx, testKey, "w1", s.ttl)
	require.NoError(t, err)
	s.sleep(s.pastExpiry())
	taker, err := l.Claim(ctx, testKey, "w2", s.ttl)
	require.NoError(t, err)
	require.ErrorIs(t, l.Note(ctx, old, "stale"), tracking.ErrLeaseLost)
	require.NoError(t, l.Release(ctx, taker))
	next, err := l.Claim(ctx, testKey, "w3", s.ttl)
	require.NoError(t, err)
	require.Empty(t, next.Note, "the stale holder's note was refused")
}

func contractPrune(t *testing.T, s *suite, l tracking.Ledger) {
	ctx := t.Context()
	key := func(id string) tracking.LedgerKey {
		k := testKey
		k.ShipmentID = id
		return k
	}
	old := testRecord("old")
	old.PushedAt = time.Now().Add(-48 * time.Hour)
	recent := testRecord("recent")
	recent.PushedAt = time.Now()

	for id, rec := range map[string]tracking.Record{"old": old, "recent": recent} {
		lease, err := l.Claim(ctx, key(id), "w1", s.ttl)
		require.NoError(t, err)
		require.NoError(t, l.Commit(ctx, lease, rec))
	}
	noted, err := l.Claim(ctx, key("noted"), "w1", s.ttl)
	require.NoError(t, err)
	require.NoError(t, l.Note(ctx, noted, "feed:F1"))
	require.NoError(t, l.Release(ctx, noted))
	_, err = l.Claim(ctx, key("live"), "w1", 100*s.ttl)
	require.NoError(t, err)

	n, err := l.Prune(ctx, time.Now().Add(-24*time.Hour))
	require.NoError(t, err)
	require.Equal(t, 1, n, "only the old record is older than a day")
	_, ok, err := l.Lookup(ctx, key("old"))
	require.NoError(t, err)
	require.False(t, ok, "pruned")
	_, ok, err = l.Lookup(ctx, key("recent"))
	require.NoError(t, err)
	require.True(t, ok, "kept")

	s.sleep(s.pastExpiry())
	n, err = l.Prune(ctx, time.Now().Add(time.Nanosecond))
	require.NoError(t, err)
	require.Equal(t, 2, n, "the recent record and the released note; never the live lease")
	_, err = l.Claim(ctx, key("live"), "w2", s.ttl)
	require.ErrorIs(t, err, tracking.ErrClaimed, "a live lease is never pruned")
	again, err := l.Claim(ctx, key("noted"), "w2", s.ttl)
	require.NoError(t, err)
	require.Empty(t, again.Note, "the note went with its key")
}

// requireRecord checks that key's committed record is want.
func requireRecord(t *testing.T, l tracking.Ledger, key tracking.LedgerKey, want tracking.Record) {
	t.Helper()
	rec, ok, err := l.Lookup(t.Context(), key)
	require.NoError(t, err)
	require.True(t, ok, "no record for %s", key)
	require.Equal(t, want, rec)
}
