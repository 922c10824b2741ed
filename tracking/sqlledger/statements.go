package sqlledger

// The statements of a Ledger, in PostgreSQL syntax with the placeholders of
// sqlDialect. Parameters $1 to $5 are always the key, and a lease is
// always matched by token ($6) and owner ($7): the pair a claim returned.

const keyMatch = `channel = $1 AND store = $2 AND order_id = $3 AND shipment_id = $4 AND purpose = $5`

const leaseMatch = keyMatch + ` AND token = $6 AND owner = $7`

const (
	// stmtClaim takes the key when it has no live lease, in one statement:
	// insert the row, or update it where its lease ended or expired. No row
	// comes back when a live lease refused the claim. The token is drawn in
	// the update itself, under the row's lock, so tokens of a key grow in
	// the order its claims succeed.
	stmtClaim = `INSERT INTO tracksync_ledger AS l
    (channel, store, order_id, shipment_id, purpose, token, owner, expires, taken_over, touched)
VALUES ($1, $2, $3, $4, $5, {next_token}, $6, {now} + $7{us}, false, {now})
ON CONFLICT (channel, store, order_id, shipment_id, purpose) DO UPDATE
SET token = {next_token}, owner = excluded.owner, expires = excluded.expires,
    taken_over = (l.owner IS NOT NULL), touched = excluded.touched
WHERE l.owner IS NULL OR l.expires <= excluded.touched
RETURNING token, expires, taken_over, note`

	// stmtHolder reads who holds the key, after a refused claim.
	stmtHolder = `SELECT coalesce(owner, ''), expires, coalesce(expires > {now}, false)
FROM tracksync_ledger WHERE ` + keyMatch

	stmtLookup = `SELECT remote_id, tracking_number, pushed_at
FROM tracksync_ledger WHERE ` + keyMatch + ` AND committed`

	// stmtCommit accepts a lease past its expiry as long as nobody claimed
	// the key since: then token and owner still match.
	stmtCommit = `UPDATE tracksync_ledger
SET committed = true, remote_id = $8, tracking_number = $9, pushed_at = $10,
    owner = NULL, expires = NULL, taken_over = false, note = '', touched = {now}
WHERE ` + leaseMatch

	stmtRelease = `UPDATE tracksync_ledger
SET owner = NULL, expires = NULL, touched = {now}
WHERE ` + leaseMatch

	stmtRenew = `UPDATE tracksync_ledger
SET expires = {now} + $8{us}, touched = {now}
WHERE ` + leaseMatch + `
RETURNING expires`

	stmtNote = `UPDATE tracksync_ledger
SET note = $8, touched = {now}
WHERE ` + leaseMatch

	// stmtLeaseState tells a lease that ended from one that was superseded,
	// for the error of a refused Commit, Release, Renew or Note.
	stmtLeaseState = `SELECT token, owner IS NOT NULL FROM tracksync_ledger WHERE ` + keyMatch

	// stmtPrune never deletes a row with a live lease: its holder is at
	// work and will commit or release.
	stmtPrune = `DELETE FROM tracksync_ledger
WHERE (owner IS NULL OR expires <= {now})
  AND ((committed AND pushed_at < $1) OR (NOT committed AND touched < $1))`
)

// The statements of StoreLocks: $1 and $2 are the channel and store.
const (
	storeMatch = `channel = $1 AND store = $2`

	stmtStoreLock = `INSERT INTO tracksync_store_lease AS s (channel, store, owner, expires, token, touched)
VALUES ($1, $2, $3, {now} + $4{us}, 1, {now})
ON CONFLICT (channel, store) DO UPDATE
SET owner = excluded.owner, expires = excluded.expires, token = s.token + 1, touched = excluded.touched
WHERE s.owner IS NULL OR s.expires <= excluded.touched
RETURNING token, expires`

	stmtStoreHolder = `SELECT coalesce(owner, ''), expires, coalesce(expires > {now}, false)
FROM tracksync_store_lease WHERE ` + storeMatch

	stmtStoreRenew = `UPDATE tracksync_store_lease
SET expires = {now} + $5{us}, touched = {now}
WHERE ` + storeMatch + ` AND owner = $3 AND token = $4
RETURNING expires`

	stmtStoreUnlock = `UPDATE tracksync_store_lease
SET owner = NULL, expires = NULL, touched = {now}
WHERE ` + storeMatch + ` AND owner = $3 AND token = $4`
)

// statements are the statements of one dialect, placeholders filled in.
type statements struct {
	claim, holder, lookup, commit, release, renew, note, leaseState, prune string
	storeLock, storeHolder, storeRenew, storeUnlock                        string
}

func newStatements(d *sqlDialect) statements {
	return statements{
		claim: d.sql(stmtClaim), holder: d.sql(stmtHolder), lookup: d.sql(stmtLookup),
		commit: d.sql(stmtCommit), release: d.sql(stmtRelease), renew: d.sql(stmtRenew),
		note: d.sql(stmtNote), leaseState: d.sql(stmtLeaseState), prune: d.sql(stmtPrune),
		storeLock: d.sql(stmtStoreLock), storeHolder: d.sql(stmtStoreHolder),
		storeRenew: d.sql(stmtStoreRenew), storeUnlock: d.sql(stmtStoreUnlock),
	}
}
