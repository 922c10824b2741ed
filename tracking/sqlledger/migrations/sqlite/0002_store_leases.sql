-- Store ownership: the process whose owner holds a live lease on a store
-- (a Shopify shop, an Amazon seller) is the only one working on it, so the
-- store's rate limit is paced in one place.
CREATE TABLE tracksync_store_lease (
    channel TEXT    NOT NULL,
    store   TEXT    NOT NULL,
    -- the current holder: both NULL when the store is free
    owner   TEXT,
    expires INTEGER,
    -- grows with every taking of the store, so a stale holder's renewal or
    -- unlock cannot touch a later holder's lease
    token   INTEGER NOT NULL,
    touched INTEGER NOT NULL,
    PRIMARY KEY (channel, store),
    CHECK ((owner IS NULL) = (expires IS NULL))
) STRICT, WITHOUT ROWID;
