-- The ledger: one row per key, that is one push of one shipment (or order)
-- to one channel for one purpose. A row holds the committed record, the
-- current lease and the note, each independent of the others. Times are
-- microseconds since the Unix epoch.
CREATE TABLE tracksync_token (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    last INTEGER NOT NULL
) STRICT;
INSERT INTO tracksync_token (id, last) VALUES (1, 0);

CREATE TABLE tracksync_ledger (
    channel         TEXT    NOT NULL,
    store           TEXT    NOT NULL,
    order_id        TEXT    NOT NULL,
    shipment_id     TEXT    NOT NULL,
    purpose         TEXT    NOT NULL,
    -- the committed record; committed is 0 until the first Commit
    committed       INTEGER NOT NULL DEFAULT 0,
    remote_id       TEXT    NOT NULL DEFAULT '',
    tracking_number TEXT    NOT NULL DEFAULT '',
    pushed_at       INTEGER,
    -- the fencing token of the latest claim: one more than the largest
    -- token ever issued (tracksync_token), so that tokens keep growing even
    -- across a Prune of the row
    token           INTEGER NOT NULL,
    -- the current lease: both NULL when there is none
    owner           TEXT,
    expires         INTEGER,
    -- whether the latest claim took over an expired lease
    taken_over      INTEGER NOT NULL DEFAULT 0,
    -- what an earlier holder wrote down before its outcome was known
    note            TEXT    NOT NULL DEFAULT '',
    -- the last claim, renewal, note, commit or release (for Prune)
    touched         INTEGER NOT NULL,
    PRIMARY KEY (channel, store, order_id, shipment_id, purpose),
    CHECK ((owner IS NULL) = (expires IS NULL))
) STRICT, WITHOUT ROWID;

CREATE TRIGGER tracksync_ledger_token_insert AFTER INSERT ON tracksync_ledger
BEGIN
    UPDATE tracksync_token SET last = NEW.token WHERE id = 1 AND last < NEW.token;
END;

CREATE TRIGGER tracksync_ledger_token_update AFTER UPDATE OF token ON tracksync_ledger
BEGIN
    UPDATE tracksync_token SET last = NEW.token WHERE id = 1 AND last < NEW.token;
END;
