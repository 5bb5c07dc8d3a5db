-- Customer records (LOYALTY.md): one row per buyer with an order, a chat or
-- a member row, derived from the imported rows. An import replaces the
-- records of the buyers it touched; the segments (which depend on every
-- buyer through the means) are recomputed for the whole shop as of its last
-- data day, and as of one month earlier for the movement. Never typed in:
-- what people add lives in care_contacts and care_campaigns.
CREATE TABLE buyer_records (
    shop_id       INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    buyer_id      INTEGER NOT NULL REFERENCES buyers(id),
    buyer         TEXT NOT NULL,               -- the buyer's name (search, sort)
    orders        INTEGER NOT NULL DEFAULT 0,  -- paid, not cancelled
    spend_fen     INTEGER NOT NULL DEFAULT 0,
    units         INTEGER NOT NULL DEFAULT 0,
    first_paid    INTEGER,                     -- day; NULL: a prospect (no paid order)
    last_paid     INTEGER,
    refunds       INTEGER NOT NULL DEFAULT 0,
    refund_fen    INTEGER NOT NULL DEFAULT 0,
    reviews       INTEGER NOT NULL DEFAULT 0,
    rating_sum    INTEGER NOT NULL DEFAULT 0,
    bad_reviews   INTEGER NOT NULL DEFAULT 0,
    complaints    INTEGER NOT NULL DEFAULT 0,
    consult_days  INTEGER NOT NULL DEFAULT 0,
    last_contact  INTEGER,                     -- day of the last chat
    name          TEXT NOT NULL DEFAULT '',    -- member columns (customers files)
    phone         TEXT NOT NULL DEFAULT '',
    phone_tail    TEXT NOT NULL DEFAULT '',    -- last 4 digits, for the search
    birthday_md   TEXT NOT NULL DEFAULT '',    -- MM-DD, for the care calendar
    level         TEXT NOT NULL DEFAULT '',
    tags          TEXT NOT NULL DEFAULT '',    -- joined by '、'
    segment       TEXT NOT NULL DEFAULT '',    -- as of the shop's last data day ('' = prospect)
    prev_segment  TEXT NOT NULL DEFAULT '',    -- as of one month earlier
    PRIMARY KEY (shop_id, buyer_id)
) WITHOUT ROWID;
-- The list's indexes cover customers only (orders > 0): prospects, as many
-- again, cost an import no index entry (their tab is read whole, rarely).
CREATE INDEX buyer_records_spend ON buyer_records (shop_id, spend_fen) WHERE orders > 0;
CREATE INDEX buyer_records_last ON buyer_records (shop_id, last_paid) WHERE orders > 0;
-- (Sorting by orders or by name reads the shop's records once and keeps
-- the top page: an index for each would cost every import more than it
-- saves a page that is memoised.)
CREATE INDEX buyer_records_segment ON buyer_records (shop_id, segment, spend_fen) WHERE orders > 0;
CREATE INDEX buyer_records_phone ON buyer_records (shop_id, phone_tail) WHERE phone_tail <> '';
CREATE INDEX buyer_records_birthday ON buyer_records (shop_id, birthday_md) WHERE birthday_md <> '';

-- Care contacts people log (type, channel, who, note): never touched by an
-- import or recompute.
CREATE TABLE care_contacts (
    id        INTEGER PRIMARY KEY,
    shop_id   INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    buyer_id  INTEGER NOT NULL REFERENCES buyers(id),
    at        INTEGER NOT NULL,           -- ms
    day       INTEGER NOT NULL,           -- the shop's day of at
    type      TEXT NOT NULL,
    channel   TEXT NOT NULL,
    agent_id  INTEGER,                    -- the agent who made the contact
    by_user   TEXT NOT NULL,
    occasion  TEXT NOT NULL DEFAULT '',   -- e.g. 中秋节 2026-09-25, 生日
    note      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX care_contacts_buyer ON care_contacts (shop_id, buyer_id, day);
CREATE INDEX care_contacts_day ON care_contacts (shop_id, day);

-- Campaign reminders the owner adds to the care calendar.
CREATE TABLE care_campaigns (
    id      INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    day     INTEGER NOT NULL,
    name    TEXT NOT NULL,
    note    TEXT NOT NULL DEFAULT '',
    by_user TEXT NOT NULL
);
CREATE INDEX care_campaigns_day ON care_campaigns (shop_id, day);
