-- Sessions moved to a file of their own beside the database (sessions.go):
-- their per-request writes no longer queue behind imports, and a backup of
-- this file holds no session token. Signed-in users sign in once more.
DROP TABLE IF EXISTS sessions;
