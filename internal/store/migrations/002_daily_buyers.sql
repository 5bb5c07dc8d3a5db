-- Distinct buyers per shop, day and credited agent, as sorted buyer-id sets
-- (delta-encoded varints): a period's distinct count is the size of the union
-- of its days' sets, read from a few thousand small blobs instead of a scan of
-- every buyer-day or order in the period.
CREATE TABLE daily_buyers (
    shop_id  INTEGER NOT NULL,
    kind     INTEGER NOT NULL,  -- 0 consulting buyers (buyer_days), 1 paying buyers (orders)
    day      INTEGER NOT NULL,
    agent_id INTEGER NOT NULL,
    buyers   BLOB NOT NULL,
    PRIMARY KEY (shop_id, kind, day, agent_id)
) WITHOUT ROWID;
