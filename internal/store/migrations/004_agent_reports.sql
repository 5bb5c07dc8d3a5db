-- The platforms' per-agent performance reports (客服绩效), kept as the
-- platform reported them: one row per shop, agent and period (a day or a
-- range), one value per metric. A newer download of the same period replaces
-- the values it carries (platforms finalise some figures days later).
CREATE TABLE agent_reports (
    id        INTEGER PRIMARY KEY,
    shop_id   INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    agent_id  INTEGER NOT NULL REFERENCES agents(id),
    from_day  INTEGER NOT NULL,
    to_day    INTEGER NOT NULL,
    import_id INTEGER NOT NULL,   -- the last import that wrote a value of it
    UNIQUE (shop_id, agent_id, from_day, to_day)
);
CREATE INDEX agent_reports_days ON agent_reports (shop_id, from_day, to_day);

CREATE TABLE agent_report_values (
    report_id INTEGER NOT NULL REFERENCES agent_reports(id) ON DELETE CASCADE,
    metric    TEXT NOT NULL,     -- canonical key (docs/METRICS.md), or the platform's column for a platform-only metric
    col       TEXT NOT NULL,     -- the platform's own column name, for display
    unit      INTEGER NOT NULL,  -- kpi.PlatformUnit
    value     REAL NOT NULL,     -- money in fen
    PRIMARY KEY (report_id, metric)
) WITHOUT ROWID;

-- Industry benchmarks: the category average and the category's best of a
-- KPI, entered by the owner or read from a 生意参谋 report's 同行同层均值 /
-- 同行同层优秀 rows (source 'agent_report'). The value in force on a day is
-- the latest read on or before it.
CREATE TABLE benchmarks (
    id        INTEGER PRIMARY KEY,
    shop_id   INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    metric    TEXT NOT NULL,
    col       TEXT NOT NULL DEFAULT '',
    avg       REAL,
    top       REAL,
    read_on   INTEGER NOT NULL,  -- day
    from_day  INTEGER,           -- the report period the figures describe (agent reports)
    to_day    INTEGER,
    source    TEXT NOT NULL,     -- 'agent_report', 'form', 'csv'
    import_id INTEGER,
    UNIQUE (shop_id, metric, read_on, source)
);

-- Agent identity: the owner may say two names are one person. Raw rows keep
-- the agent they were imported with; every computation credits the agent
-- they are merged into (undone by clearing the column).
ALTER TABLE agents ADD COLUMN merged_into INTEGER REFERENCES agents(id) ON DELETE SET NULL;

-- Real order exports: most have no buyer column (PDD, Douyin). Such orders
-- belong to the shop's one "no buyer" row (buyers.name = ''), are flagged
-- here, and never count as a person (distinct buyers, per-buyer metrics).
ALTER TABLE orders ADD COLUMN no_buyer INTEGER NOT NULL DEFAULT 0;
ALTER TABLE daily_stats ADD COLUMN buyerless_orders INTEGER NOT NULL DEFAULT 0;
-- A refund read from an order's 售后状态 (PDD without a 售后 file): no type,
-- no request or completion time; counted in refund_rate on the order's paid
-- day, and in nothing else.
ALTER TABLE refunds ADD COLUMN inferred INTEGER NOT NULL DEFAULT 0;
