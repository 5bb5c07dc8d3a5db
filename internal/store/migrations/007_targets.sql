-- Targets (docs/METRICS-NOTES.md "Targets"): a value for one KPI, for the
-- shop or narrowed to a shift or an agent, in force from a day. History is
-- kept: a later from_day replaces an earlier one; the same scope and day is
-- an edit.
CREATE TABLE targets (
    id        INTEGER PRIMARY KEY,
    shop_id   INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    metric    TEXT NOT NULL,
    scope     TEXT NOT NULL CHECK (scope IN ('shop','shift','agent')),
    shift     TEXT NOT NULL DEFAULT '',
    agent_id  INTEGER NOT NULL DEFAULT 0,
    value     REAL NOT NULL,
    floor     REAL,              -- the owner's "needs improvement" line (optional)
    from_day  INTEGER NOT NULL,
    set_at    INTEGER NOT NULL,
    set_by    TEXT NOT NULL DEFAULT '',
    note      TEXT NOT NULL DEFAULT '',
    UNIQUE (shop_id, metric, scope, shift, agent_id, from_day)
);

-- The owner's changes to a platform rule (kpi.DefaultRules): its threshold,
-- or switched off.
CREATE TABLE rule_settings (
    shop_id   INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    rule      TEXT NOT NULL,
    threshold REAL,
    enabled   INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (shop_id, rule)
) WITHOUT ROWID;

-- Breaches of the rules (derived: rebuilt after every import and recompute).
CREATE TABLE alerts (
    shop_id     INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    rule        TEXT NOT NULL,
    from_day    INTEGER NOT NULL,
    to_day      INTEGER NOT NULL,
    value       REAL NOT NULL,
    threshold   REAL NOT NULL,
    PRIMARY KEY (shop_id, rule, from_day, to_day)
) WITHOUT ROWID;
CREATE INDEX alerts_day ON alerts (shop_id, to_day);
