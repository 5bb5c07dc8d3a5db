-- The chat risk scan (QUEUES.md §3). risk_items are derived: rebuilt for a
-- buyer whenever their messages change, for the whole shop when a word
-- list changes. What people decide of an item (confirmed / false positive)
-- lives apart in risk_marks, keyed by the item's stable key (the message
-- row and category, or the slow buyer-day), so no re-scan loses it.
CREATE TABLE risk_items (
    id         INTEGER PRIMARY KEY,
    shop_id    INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    item_key   TEXT NOT NULL,        -- 'm:<message id>:<category>' or 's:<buyer id>:<day>'
    category   TEXT NOT NULL,        -- abuse, off_platform, over_promise, slow
    words      TEXT NOT NULL DEFAULT '',  -- matched words, joined by '、'; slow: the count
    agent_id   INTEGER NOT NULL DEFAULT 0,
    buyer_id   INTEGER NOT NULL,
    message_id INTEGER,             -- the message (none for slow)
    sent_at    INTEGER NOT NULL,
    day        INTEGER NOT NULL,
    UNIQUE (shop_id, item_key)
);
CREATE INDEX risk_items_day ON risk_items (shop_id, day, agent_id, category);
CREATE INDEX risk_items_buyer ON risk_items (shop_id, buyer_id);

CREATE TABLE risk_marks (
    shop_id  INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    item_key TEXT NOT NULL,
    status   TEXT NOT NULL CHECK (status IN ('confirmed', 'false_positive')),
    by_user  TEXT NOT NULL,
    at       INTEGER NOT NULL,
    note     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (shop_id, item_key)
) WITHOUT ROWID;
