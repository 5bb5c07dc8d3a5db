-- Bad-review follow-up (QUEUES.md §1). A case is opened for every review
-- rated 1–3, once (by the import or recompute that first sees it so rated);
-- its work state is what people add and no import, recompute or word-list
-- edit ever rewrites it. A newer export of the review rated ≥ 4 closes the
-- case as modified, keeping its history. version guards concurrent saves.
CREATE TABLE cases (
    id                INTEGER PRIMARY KEY,
    shop_id           INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    review_row        INTEGER NOT NULL UNIQUE REFERENCES reviews(id) ON DELETE CASCADE,
    first_rating      INTEGER NOT NULL,
    opened_at         INTEGER NOT NULL,     -- when kefuboard opened it (ms)
    state             TEXT NOT NULL DEFAULT 'new',
    closed            INTEGER NOT NULL DEFAULT 0,
    closed_by_data    INTEGER NOT NULL DEFAULT 0,
    assigned_agent_id INTEGER REFERENCES agents(id),
    compensation_fen  INTEGER NOT NULL DEFAULT 0,
    retry_day         INTEGER,
    first_contact_at  INTEGER,
    version           INTEGER NOT NULL DEFAULT 1,
    review_day        INTEGER NOT NULL DEFAULT 0,  -- derived: the review's day (the clock's day 1)
    agent_id          INTEGER NOT NULL DEFAULT 0,  -- derived: the serving agent (the review's credited agent)
    buyer             TEXT NOT NULL DEFAULT '',    -- derived: the review's buyer (the queue lists thousands: no join)
    review_at         INTEGER NOT NULL DEFAULT 0   -- derived: the review's time (the queue's order within a day)
);
-- The queue reads open cases by day (deadline order, urgency counts) for
-- the shop or one serving agent without touching the reviews.
CREATE INDEX cases_open ON cases (shop_id, closed, review_day, review_at);
CREATE INDEX cases_agent ON cases (shop_id, agent_id, closed, review_day, review_at);
CREATE INDEX cases_day ON cases (shop_id, review_day);
CREATE INDEX cases_assigned ON cases (shop_id, assigned_agent_id) WHERE assigned_agent_id IS NOT NULL;

-- Every step of a case: who, when, what, a note (the timeline).
CREATE TABLE case_events (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    by_user     TEXT NOT NULL,           -- a user name, or '' for kefuboard itself
    kind        TEXT NOT NULL,           -- a state, or 'assign' / 'note' / 'opened'
    note        TEXT NOT NULL DEFAULT '',
    amount_fen  INTEGER,
    retry_day   INTEGER,
    agent_id    INTEGER
);
CREATE INDEX case_events_case ON case_events (case_id, at, id);

-- Cases for the reviews already imported.
INSERT INTO cases (shop_id, review_row, first_rating, opened_at, review_day, agent_id, buyer, review_at)
    SELECT r.shop_id, r.id, r.rating, r.created_at, r.day, r.credited_agent_id, b.name, r.created_at
    FROM reviews r JOIN buyers b ON b.id = r.buyer_id WHERE r.rating BETWEEN 1 AND 3;
INSERT INTO case_events (case_id, at, by_user, kind)
    SELECT id, opened_at, '', 'opened' FROM cases;
