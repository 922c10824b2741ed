-- The ledger: one row per key, that is one push of one shipment (or order)
-- to one channel for one purpose. A row holds the committed record, the
-- current lease and the note, each independent of the others.
CREATE SEQUENCE tracksync_ledger_token AS bigint;

CREATE TABLE tracksync_ledger (
    channel         text        NOT NULL,
    store           text        NOT NULL,
    order_id        text        NOT NULL,
    shipment_id     text        NOT NULL,
    purpose         text        NOT NULL,
    -- the committed record; committed is false until the first Commit
    committed       boolean     NOT NULL DEFAULT false,
    remote_id       text        NOT NULL DEFAULT '',
    tracking_number text        NOT NULL DEFAULT '',
    pushed_at       timestamptz,
    -- the fencing token of the latest claim, from tracksync_ledger_token,
    -- so that tokens keep growing even across a Prune of the row
    token           bigint      NOT NULL,
    -- the current lease: both NULL when there is none
    owner           text,
    expires         timestamptz,
    -- whether the latest claim took over an expired lease
    taken_over      boolean     NOT NULL DEFAULT false,
    -- what an earlier holder wrote down before its outcome was known
    note            text        NOT NULL DEFAULT '',
    -- the last claim, renewal, note, commit or release (for Prune)
    touched         timestamptz NOT NULL,
    PRIMARY KEY (channel, store, order_id, shipment_id, purpose),
    CHECK ((owner IS NULL) = (expires IS NULL))
) WITH (fillfactor = 80); -- room for the claim and commit updates of a row to stay on its page
