package tracking

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
)

func TestMemoryLedger(t *testing.T) {
	runLedgerContract(t, func(*testing.T) Ledger { return NewMemoryLedger() })
}

func TestFileLedger(t *testing.T) {
	runLedgerContract(t, func(t *testing.T) Ledger {
		l, err := OpenFileLedger(filepath.Join(t.TempDir(), "ledger.jsonl"))
		require.NoError(t, err)
		t.Cleanup(func() { require.NoError(t, l.Close()) })
		return l
	})
}

const testTTL = time.Minute

var testKey = LedgerKey{Channel: ChannelShopify, Store: "shop.example", OrderID: "1001", ShipmentID: "S1"}

func testRecord(id string) Record {
	return Record{RemoteID: id, TrackingNumber: "TN-" + id, PushedAt: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
}

// runLedgerContract checks that a Ledger keeps the contract documented on
// the interface. Every case runs in a synctest bubble, so that time moves
// only when a case sleeps and leases expire exactly when they should.
func runLedgerContract(t *testing.T, newLedger func(t *testing.T) Ledger) {
	tests := []struct {
		name string
		run  func(t *testing.T, l Ledger)
	}{
		{"claim commit lookup", contractClaimCommitLookup},
		{"live lease refuses every claim", contractLiveLeaseRefuses},
		{"release then reclaim", contractReleaseThenReclaim},
		{"expired lease is taken over", contractTakeover},
		{"commit or release after expiry without takeover", contractLateButUncontested},
		{"committed key is claimed again to update", contractUpdate},
		{"commit and release end the lease", contractLeaseEnds},
		{"keys are independent", contractKeysIndependent},
		{"invalid input", contractInvalidInput},
		{"cancelled context", contractCancelled},
		{"concurrent claims of one key", contractConcurrentClaims},
		{"concurrent commits of many keys", contractConcurrentCommits},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) { tc.run(t, newLedger(t)) })
		})
	}
}

func contractClaimCommitLookup(t *testing.T, l Ledger) {
	ctx := t.Context()
	_, ok, err := l.Lookup(ctx, testKey)
	require.NoError(t, err)
	require.False(t, ok, "never committed")

	lease, err := l.Claim(ctx, testKey, "w1", testTTL)
	require.NoError(t, err)
	require.Equal(t, testKey, lease.Key)
	require.Equal(t, "w1", lease.Owner)
	require.NotZero(t, lease.Token)
	require.True(t, lease.Expires.Equal(time.Now().Add(testTTL)), "expires %v", lease.Expires)
	require.False(t, lease.TakenOver)

	_, ok, err = l.Lookup(ctx, testKey)
	require.NoError(t, err)
	require.False(t, ok, "a claim records nothing")

	require.NoError(t, l.Commit(ctx, lease, testRecord("F1")))
	rec, ok, err := l.Lookup(ctx, testKey)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, testRecord("F1"), rec)
}

func contractLiveLeaseRefuses(t *testing.T, l Ledger) {
	ctx := t.Context()
	lease, err := l.Claim(ctx, testKey, "w1", testTTL)
	require.NoError(t, err)

	for _, owner := range []string{"w2", "w1"} { // the holder too
		_, err = l.Claim(ctx, testKey, owner, testTTL)
		require.ErrorIs(t, err, ErrClaimed)
		var ce *ClaimedError
		require.ErrorAs(t, err, &ce)
		require.Equal(t, "w1", ce.Owner)
		require.Equal(t, testKey, ce.Key)
		require.True(t, ce.Expires.Equal(lease.Expires))
	}

	time.Sleep(testTTL - time.Nanosecond)
	_, err = l.Claim(ctx, testKey, "w2", testTTL)
	require.ErrorIs(t, err, ErrClaimed, "live until the last instant")
}

func contractReleaseThenReclaim(t *testing.T, l Ledger) {
	ctx := t.Context()
	first, err := l.Claim(ctx, testKey, "w1", testTTL)
	require.NoError(t, err)
	require.NoError(t, l.Release(ctx, first))

	_, ok, err := l.Lookup(ctx, testKey)
	require.NoError(t, err)
	require.False(t, ok, "a release records nothing")

	second, err := l.Claim(ctx, testKey, "w2", testTTL)
	require.NoError(t, err)
	require.Equal(t, "w2", second.Owner)
	require.False(t, second.TakenOver, "the first lease ended cleanly")
	require.Greater(t, second.Token, first.Token)
}

func contractTakeover(t *testing.T, l Ledger) {
	ctx := t.Context()
	old, err := l.Claim(ctx, testKey, "w1", testTTL)
	require.NoError(t, err)

	time.Sleep(testTTL)
	lease, err := l.Claim(ctx, testKey, "w2", testTTL)
	require.NoError(t, err)
	require.True(t, lease.TakenOver)
	require.Greater(t, lease.Token, old.Token)

	require.ErrorIs(t, l.Commit(ctx, old, testRecord("late")), ErrLeaseLost)
	require.ErrorIs(t, l.Release(ctx, old), ErrLeaseLost)

	_, err = l.Claim(ctx, testKey, "w3", testTTL)
	var ce *ClaimedError
	require.ErrorAs(t, err, &ce, "the stale calls must not end the new lease")
	require.Equal(t, "w2", ce.Owner)

	require.NoError(t, l.Commit(ctx, lease, testRecord("F2")))
	rec, ok, err := l.Lookup(ctx, testKey)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, testRecord("F2"), rec)
}

func contractLateButUncontested(t *testing.T, l Ledger) {
	ctx := t.Context()
	other := testKey
	other.ShipmentID = "S2"
	lease, err := l.Claim(ctx, testKey, "w1", testTTL)
	require.NoError(t, err)
	otherLease, err := l.Claim(ctx, other, "w1", testTTL)
	require.NoError(t, err)

	time.Sleep(2 * testTTL)
	require.NoError(t, l.Commit(ctx, lease, testRecord("F1")))
	require.NoError(t, l.Release(ctx, otherLease))

	rec, ok, err := l.Lookup(ctx, testKey)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, testRecord("F1"), rec)

	next, err := l.Claim(ctx, other, "w2", testTTL)
	require.NoError(t, err)
	require.False(t, next.TakenOver, "the expired lease was released")
}

func contractUpdate(t *testing.T, l Ledger) {
	ctx := t.Context()
	first, err := l.Claim(ctx, testKey, "w1", testTTL)
	require.NoError(t, err)
	require.NoError(t, l.Commit(ctx, first, testRecord("F1")))

	second, err := l.Claim(ctx, testKey, "w2", testTTL)
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

func contractLeaseEnds(t *testing.T, l Ledger) {
	ctx := t.Context()
	lease, err := l.Claim(ctx, testKey, "w1", testTTL)
	require.NoError(t, err)
	require.NoError(t, l.Commit(ctx, lease, testRecord("F1")))
	require.ErrorIs(t, l.Commit(ctx, lease, testRecord("again")), ErrLeaseLost)
	require.ErrorIs(t, l.Release(ctx, lease), ErrLeaseLost)

	lease, err = l.Claim(ctx, testKey, "w1", testTTL)
	require.NoError(t, err)
	require.NoError(t, l.Release(ctx, lease))
	require.ErrorIs(t, l.Release(ctx, lease), ErrLeaseLost)
	require.ErrorIs(t, l.Commit(ctx, lease, testRecord("after release")), ErrLeaseLost)

	rec, _, err := l.Lookup(ctx, testKey)
	require.NoError(t, err)
	require.Equal(t, testRecord("F1"), rec)
}

func contractKeysIndependent(t *testing.T, l Ledger) {
	ctx := t.Context()
	keys := []LedgerKey{testKey}
	for _, change := range []func(*LedgerKey){
		func(k *LedgerKey) { k.Channel = ChannelAmazon },
		func(k *LedgerKey) { k.Store = "other.example" },
		func(k *LedgerKey) { k.OrderID = "1002" },
		func(k *LedgerKey) { k.ShipmentID = "" },
		func(k *LedgerKey) { k.Purpose = "email:shipment-shipped" },
	} {
		k := testKey
		change(&k)
		keys = append(keys, k)
	}
	for _, k := range keys {
		_, err := l.Claim(ctx, k, "w1", testTTL)
		require.NoError(t, err, "key %s", k)
	}
}

func contractInvalidInput(t *testing.T, l Ledger) {
	ctx := t.Context()
	noChannel, noStore, noOrder := testKey, testKey, testKey
	noChannel.Channel, noStore.Store, noOrder.OrderID = "", "", ""
	forged := Lease{Key: testKey, Owner: "w1", Token: 7, Expires: time.Now().Add(testTTL)}

	tests := []struct {
		name string
		call func() error
		want error
	}{
		{"claim without channel", func() error { _, err := l.Claim(ctx, noChannel, "w1", testTTL); return err }, ErrInvalidKey},
		{"claim without store", func() error { _, err := l.Claim(ctx, noStore, "w1", testTTL); return err }, ErrInvalidKey},
		{"claim without order", func() error { _, err := l.Claim(ctx, noOrder, "w1", testTTL); return err }, ErrInvalidKey},
		{"claim without owner", func() error { _, err := l.Claim(ctx, testKey, "", testTTL); return err }, ErrInvalidClaim},
		{"claim with zero ttl", func() error { _, err := l.Claim(ctx, testKey, "w1", 0); return err }, ErrInvalidClaim},
		{"claim with negative ttl", func() error { _, err := l.Claim(ctx, testKey, "w1", -time.Second); return err }, ErrInvalidClaim},
		{"lookup without order", func() error { _, _, err := l.Lookup(ctx, noOrder); return err }, ErrInvalidKey},
		{"commit zero lease", func() error { return l.Commit(ctx, Lease{}, testRecord("F1")) }, ErrInvalidKey},
		{"release zero lease", func() error { return l.Release(ctx, Lease{}) }, ErrInvalidKey},
		{"commit forged lease", func() error { return l.Commit(ctx, forged, testRecord("F1")) }, ErrLeaseLost},
		{"release forged lease", func() error { return l.Release(ctx, forged) }, ErrLeaseLost},
	}
	for _, tc := range tests { // no t.Run: it is not allowed in a synctest bubble
		require.ErrorIs(t, tc.call(), tc.want, tc.name)
	}

	lease, err := l.Claim(ctx, testKey, "w1", testTTL)
	require.NoError(t, err, "refused calls change nothing")
	require.False(t, lease.TakenOver)
	_, ok, err := l.Lookup(ctx, testKey)
	require.NoError(t, err)
	require.False(t, ok)
}

func contractCancelled(t *testing.T, l Ledger) {
	lease, err := l.Claim(t.Context(), testKey, "w1", testTTL)
	require.NoError(t, err)
	other := testKey
	other.OrderID = "1002"

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, _, err = l.Lookup(ctx, testKey)
	require.ErrorIs(t, err, context.Canceled)
	_, err = l.Claim(ctx, other, "w1", testTTL)
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorIs(t, l.Commit(ctx, lease, testRecord("F1")), context.Canceled)
	require.ErrorIs(t, l.Release(ctx, lease), context.Canceled)

	ctx = t.Context()
	_, err = l.Claim(ctx, other, "w2", testTTL)
	require.NoError(t, err, "the cancelled claim took no lease")
	require.NoError(t, l.Commit(ctx, lease, testRecord("F1")), "the cancelled calls left the lease alone")
}

func contractConcurrentClaims(t *testing.T, l Ledger) {
	const workers = 50
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			_, errs[i] = l.Claim(t.Context(), testKey, fmt.Sprintf("w%d", i), testTTL)
		})
	}
	wg.Wait()

	won := 0
	for _, err := range errs {
		if err == nil {
			won++
			continue
		}
		require.ErrorIs(t, err, ErrClaimed)
	}
	require.Equal(t, 1, won)
}

func contractConcurrentCommits(t *testing.T, l Ledger) {
	const workers = 50
	key := func(i int) LedgerKey {
		k := testKey
		k.ShipmentID = fmt.Sprintf("S%d", i)
		return k
	}
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			ctx := t.Context()
			lease, err := l.Claim(ctx, key(i), "w", testTTL)
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
