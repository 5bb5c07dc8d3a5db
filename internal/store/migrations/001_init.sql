-- kefuboard schema. Times are Unix milliseconds (UTC); money is integer fen;
-- days are local calendar days of the shop as days since 1970-01-01.
-- Raw rows keep their natural key (nkey) and a digest of all fields, so a
-- re-import can tell added / updated / unchanged rows apart. Columns marked
-- "derived" are computed by the metric engine, never imported.

CREATE TABLE shops (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    platform        TEXT NOT NULL DEFAULT 'other'
                    CHECK (platform IN ('pdd','taobao','tmall','jd','douyin','other')),
    tz              TEXT NOT NULL DEFAULT 'Asia/Shanghai',
    window_start_ms INTEGER NOT NULL DEFAULT 28800000,  -- 08:00
    window_end_ms   INTEGER NOT NULL DEFAULT 82800000,  -- 23:00
    created_at      INTEGER NOT NULL,
    data_version    INTEGER NOT NULL DEFAULT 0          -- bumped by every import: a cache key for pages
);

CREATE TABLE agents (
    id      INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    name    TEXT NOT NULL,
    shift   TEXT NOT NULL DEFAULT '',
    UNIQUE (shop_id, name)
);

CREATE TABLE buyers (
    id      INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    name    TEXT NOT NULL,
    UNIQUE (shop_id, name)
);

CREATE TABLE import_runs (
    id             INTEGER PRIMARY KEY,
    shop_id        INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    file_name      TEXT NOT NULL,
    kind           TEXT NOT NULL,
    encoding       TEXT NOT NULL DEFAULT '',
    header         TEXT NOT NULL DEFAULT '[]',  -- JSON array: the file's header, for the rejects CSV
    started_at     INTEGER NOT NULL,
    finished_at    INTEGER NOT NULL DEFAULT 0,
    rows_added     INTEGER NOT NULL DEFAULT 0,
    rows_updated   INTEGER NOT NULL DEFAULT 0,
    rows_unchanged INTEGER NOT NULL DEFAULT 0,
    rows_rejected  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX import_runs_shop ON import_runs (shop_id, id);

CREATE TABLE import_rejects (
    import_id INTEGER NOT NULL REFERENCES import_runs(id) ON DELETE CASCADE,
    row       INTEGER NOT NULL,
    col       TEXT NOT NULL,
    value     TEXT NOT NULL,
    reason    TEXT NOT NULL,
    raw       TEXT NOT NULL,  -- JSON array of the row's cells
    PRIMARY KEY (import_id, row)
) WITHOUT ROWID;

CREATE TABLE messages (
    id       INTEGER PRIMARY KEY,  -- insertion order: ties of sent_at keep file order
    shop_id  INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    nkey     BLOB NOT NULL,
    digest   INTEGER NOT NULL,
    buyer_id INTEGER NOT NULL REFERENCES buyers(id),
    role     INTEGER NOT NULL,
    agent_id INTEGER REFERENCES agents(id),
    sent_at  INTEGER NOT NULL,
    stage    INTEGER NOT NULL DEFAULT 0,
    msg_id   TEXT NOT NULL DEFAULT '',
    content  TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX messages_nkey ON messages (shop_id, nkey);
-- Covering: the engine reads a buyer's messages in message order from the index alone.
CREATE INDEX messages_buyer ON messages (shop_id, buyer_id, sent_at, id, role, agent_id, stage);

CREATE TABLE orders (
    id                INTEGER PRIMARY KEY,
    shop_id           INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    order_id          TEXT NOT NULL,
    digest            INTEGER NOT NULL,
    buyer_id          INTEGER NOT NULL REFERENCES buyers(id),
    created_at        INTEGER NOT NULL,
    paid_at           INTEGER,
    amount_fen        INTEGER NOT NULL,
    quantity          INTEGER NOT NULL DEFAULT 1,
    status            TEXT NOT NULL DEFAULT '',
    cancelled         INTEGER NOT NULL DEFAULT 0,
    product           TEXT NOT NULL DEFAULT '',
    agent_id          INTEGER REFERENCES agents(id),
    shipped_at        INTEGER,
    picked_up_at      INTEGER,
    delivered_at      INTEGER,
    paid_day          INTEGER,  -- derived: day of paid_at when paid and not cancelled
    ship_day          INTEGER,  -- derived: day of shipped_at
    deliv_day         INTEGER,  -- derived: day of delivered_at when a start (pickup or shipping) is known
    credited_agent_id INTEGER NOT NULL DEFAULT 0,  -- derived: 0 = none
    converted_day     INTEGER,  -- derived: day of the inquiry this order converts
    UNIQUE (shop_id, order_id)
);
CREATE INDEX orders_buyer ON orders (shop_id, buyer_id);
CREATE INDEX orders_paid ON orders (shop_id, paid_day, credited_agent_id, buyer_id) WHERE paid_day IS NOT NULL;
CREATE INDEX orders_ship ON orders (shop_id, ship_day) WHERE ship_day IS NOT NULL;
CREATE INDEX orders_deliv ON orders (shop_id, deliv_day) WHERE deliv_day IS NOT NULL;

CREATE TABLE refunds (
    id                INTEGER PRIMARY KEY,
    shop_id           INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    refund_id         TEXT NOT NULL,
    digest            INTEGER NOT NULL,
    order_id          TEXT NOT NULL,
    buyer_id          INTEGER REFERENCES buyers(id),
    type              INTEGER NOT NULL,
    status            INTEGER NOT NULL,
    requested_at      INTEGER NOT NULL,
    completed_at      INTEGER,
    reason            TEXT NOT NULL DEFAULT '',
    amount_fen        INTEGER NOT NULL DEFAULT 0,
    intervened        INTEGER NOT NULL DEFAULT 0,
    merchant_liable   INTEGER NOT NULL DEFAULT 0,
    agent_id          INTEGER REFERENCES agents(id),
    quality           INTEGER NOT NULL DEFAULT 0,  -- derived: reason is a quality reason
    req_day           INTEGER NOT NULL,            -- derived
    done_day          INTEGER,                     -- derived: day of completed_at for success refunds
    credited_agent_id INTEGER NOT NULL DEFAULT 0,  -- derived
    UNIQUE (shop_id, refund_id)
);
CREATE INDEX refunds_order ON refunds (shop_id, order_id);
CREATE INDEX refunds_buyer ON refunds (shop_id, buyer_id);
CREATE INDEX refunds_req ON refunds (shop_id, req_day);
CREATE INDEX refunds_done ON refunds (shop_id, done_day) WHERE done_day IS NOT NULL;

CREATE TABLE reviews (
    id                INTEGER PRIMARY KEY,
    shop_id           INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    nkey              BLOB NOT NULL,
    digest            INTEGER NOT NULL,
    review_id         TEXT NOT NULL DEFAULT '',
    order_id          TEXT NOT NULL DEFAULT '',
    buyer_id          INTEGER NOT NULL REFERENCES buyers(id),
    rating            INTEGER NOT NULL,
    created_at        INTEGER NOT NULL,
    content           TEXT NOT NULL DEFAULT '',
    product           TEXT NOT NULL DEFAULT '',
    dsr_description   INTEGER,
    dsr_service       INTEGER,
    dsr_logistics     INTEGER,
    day               INTEGER NOT NULL,            -- derived
    dsr_counted       INTEGER NOT NULL DEFAULT 0,  -- derived: within the buyer's first 3 of the month
    credited_agent_id INTEGER NOT NULL DEFAULT 0   -- derived
);
CREATE UNIQUE INDEX reviews_nkey ON reviews (shop_id, nkey);
CREATE INDEX reviews_order ON reviews (shop_id, order_id);
CREATE INDEX reviews_buyer ON reviews (shop_id, buyer_id, created_at, id);
CREATE INDEX reviews_day ON reviews (shop_id, day);

CREATE TABLE complaints (
    id                INTEGER PRIMARY KEY,
    shop_id           INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    nkey              BLOB NOT NULL,
    digest            INTEGER NOT NULL,
    complaint_id      TEXT NOT NULL DEFAULT '',
    buyer_id          INTEGER NOT NULL REFERENCES buyers(id),
    created_at        INTEGER NOT NULL,
    order_id          TEXT NOT NULL DEFAULT '',
    agent_id          INTEGER REFERENCES agents(id),
    type              TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL DEFAULT '',
    day               INTEGER NOT NULL,            -- derived
    credited_agent_id INTEGER NOT NULL DEFAULT 0   -- derived
);
CREATE UNIQUE INDEX complaints_nkey ON complaints (shop_id, nkey);
CREATE INDEX complaints_order ON complaints (shop_id, order_id);
CREATE INDEX complaints_buyer ON complaints (shop_id, buyer_id);
CREATE INDEX complaints_day ON complaints (shop_id, day);

CREATE TABLE customers (
    shop_id   INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    buyer_id  INTEGER NOT NULL REFERENCES buyers(id),
    digest    INTEGER NOT NULL,
    name      TEXT NOT NULL DEFAULT '',
    phone     TEXT NOT NULL DEFAULT '',
    birthday  TEXT NOT NULL DEFAULT '',
    level     TEXT NOT NULL DEFAULT '',
    tags      TEXT NOT NULL DEFAULT '[]',  -- JSON array
    joined_at INTEGER,
    PRIMARY KEY (shop_id, buyer_id)
) WITHOUT ROWID;

-- Per-buyer facts (derived), replaced whole for each buyer an import touches.
CREATE TABLE resp_facts (
    shop_id     INTEGER NOT NULL,
    buyer_id    INTEGER NOT NULL,
    day         INTEGER NOT NULL,
    hour        INTEGER NOT NULL,
    agent_id    INTEGER NOT NULL,
    msgs        INTEGER NOT NULL,
    unreplied   INTEGER NOT NULL,
    within_30s  INTEGER NOT NULL,
    within_3m   INTEGER NOT NULL,
    within_5m   INTEGER NOT NULL,
    wait_sum_ms INTEGER NOT NULL,
    wait_n      INTEGER NOT NULL
);
CREATE INDEX resp_facts_buyer ON resp_facts (shop_id, buyer_id);
CREATE INDEX resp_facts_day ON resp_facts (shop_id, day);

CREATE TABLE buyer_days (
    shop_id        INTEGER NOT NULL,
    buyer_id       INTEGER NOT NULL,
    day            INTEGER NOT NULL,
    in_window      INTEGER NOT NULL,
    last_agent_id  INTEGER NOT NULL,
    effective      INTEGER NOT NULL,
    first_agent_id INTEGER NOT NULL,
    first_wait_ms  INTEGER,           -- NULL: the first window message is unreplied
    first_msg      INTEGER NOT NULL,
    inquiry        INTEGER NOT NULL,
    recv_agent_id  INTEGER NOT NULL,
    converted      INTEGER NOT NULL,
    PRIMARY KEY (shop_id, buyer_id, day)
) WITHOUT ROWID;
-- Distinct consulting buyers of a period are counted from this index alone.
CREATE INDEX buyer_days_day ON buyer_days (shop_id, day, in_window, last_agent_id, buyer_id);

-- Aggregates the pages read: one row per shop, day and credited agent
-- (agent_id 0 = credited to no agent; the shop total is the sum over all rows).
CREATE TABLE daily_stats (
    shop_id  INTEGER NOT NULL,
    day      INTEGER NOT NULL,
    agent_id INTEGER NOT NULL,
    buyer_messages INTEGER NOT NULL DEFAULT 0, unreplied INTEGER NOT NULL DEFAULT 0,
    within_30s INTEGER NOT NULL DEFAULT 0, within_3m INTEGER NOT NULL DEFAULT 0, within_5m INTEGER NOT NULL DEFAULT 0,
    wait_sum_ms INTEGER NOT NULL DEFAULT 0, wait_n INTEGER NOT NULL DEFAULT 0,
    window_days INTEGER NOT NULL DEFAULT 0, effective_days INTEGER NOT NULL DEFAULT 0,
    first_wait_sum_ms INTEGER NOT NULL DEFAULT 0, first_wait_n INTEGER NOT NULL DEFAULT 0,
    inquiries INTEGER NOT NULL DEFAULT 0, converted INTEGER NOT NULL DEFAULT 0,
    paid_orders INTEGER NOT NULL DEFAULT 0, sales_fen INTEGER NOT NULL DEFAULT 0, units INTEGER NOT NULL DEFAULT 0,
    attributed_orders INTEGER NOT NULL DEFAULT 0, attributed_fen INTEGER NOT NULL DEFAULT 0,
    refunds_done INTEGER NOT NULL DEFAULT 0, disputes INTEGER NOT NULL DEFAULT 0,
    refund_sum_ms INTEGER NOT NULL DEFAULT 0, refund_n INTEGER NOT NULL DEFAULT 0,
    refund_only_sum_ms INTEGER NOT NULL DEFAULT 0, refund_only_n INTEGER NOT NULL DEFAULT 0,
    return_sum_ms INTEGER NOT NULL DEFAULT 0, return_n INTEGER NOT NULL DEFAULT 0,
    quality_refunds INTEGER NOT NULL DEFAULT 0, refunds_requested INTEGER NOT NULL DEFAULT 0,
    complaints INTEGER NOT NULL DEFAULT 0,
    reviews INTEGER NOT NULL DEFAULT 0, bad_reviews INTEGER NOT NULL DEFAULT 0, medium_reviews INTEGER NOT NULL DEFAULT 0,
    dsr_desc_sum INTEGER NOT NULL DEFAULT 0, dsr_desc_n INTEGER NOT NULL DEFAULT 0,
    dsr_service_sum INTEGER NOT NULL DEFAULT 0, dsr_service_n INTEGER NOT NULL DEFAULT 0,
    dsr_logi_sum INTEGER NOT NULL DEFAULT 0, dsr_logi_n INTEGER NOT NULL DEFAULT 0,
    ship_sum_ms INTEGER NOT NULL DEFAULT 0, ship_n INTEGER NOT NULL DEFAULT 0,
    shipped INTEGER NOT NULL DEFAULT 0, pickup_on_time INTEGER NOT NULL DEFAULT 0,
    delivery_sum_ms INTEGER NOT NULL DEFAULT 0, delivery_n INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (shop_id, day, agent_id)
) WITHOUT ROWID;

-- Response by local hour, for the hour-of-day × weekday heat map.
CREATE TABLE hourly_resp (
    shop_id        INTEGER NOT NULL,
    day            INTEGER NOT NULL,
    hour           INTEGER NOT NULL,
    agent_id       INTEGER NOT NULL,
    buyer_messages INTEGER NOT NULL,
    unreplied      INTEGER NOT NULL,
    within_30s     INTEGER NOT NULL,
    within_3m      INTEGER NOT NULL,
    wait_sum_ms    INTEGER NOT NULL,
    wait_n         INTEGER NOT NULL,
    PRIMARY KEY (shop_id, day, hour, agent_id)
) WITHOUT ROWID;
