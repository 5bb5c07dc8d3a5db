-- Review invitations (QUEUES.md §2). Candidates are computed from the rows;
-- what people add is kept here: the invitations sent (one per order) and the
-- shop's invitation templates. Whether a review followed is read from the
-- reviews, never stored.
CREATE INDEX orders_delivered ON orders (shop_id, delivered_at) WHERE delivered_at IS NOT NULL;

CREATE TABLE invitations (
    id        INTEGER PRIMARY KEY,
    shop_id   INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    order_id  TEXT NOT NULL,
    agent_id  INTEGER,                 -- the order's credited agent when sent
    sent_at   INTEGER NOT NULL,
    sent_by   TEXT NOT NULL,
    text      TEXT NOT NULL DEFAULT '',
    UNIQUE (shop_id, order_id)
);

CREATE TABLE invite_templates (
    id         INTEGER PRIMARY KEY,
    shop_id    INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    body       TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL DEFAULT ''
);
