-- Sign-ins, sessions and app settings for the web pages.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,                 -- bcrypt
    role          TEXT NOT NULL CHECK (role IN ('owner','agent')),
    agent_id      INTEGER REFERENCES agents(id) ON DELETE SET NULL,  -- the agent an agent login sees
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL,              -- unix ms
    last_login_at INTEGER NOT NULL DEFAULT 0
);

-- scs sessions (see store/sessions.go): expiry is unix ms.
CREATE TABLE sessions (
    token  TEXT PRIMARY KEY,
    data   BLOB NOT NULL,
    expiry INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_expiry ON sessions (expiry);

-- Small key/value settings (JSON values), e.g. league weights per shop.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
