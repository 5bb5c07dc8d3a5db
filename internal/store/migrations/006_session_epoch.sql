-- A user's sessions end together: every session remembers the epoch it
-- signed in under; a password change or reset, or a deactivation, moves the
-- epoch on and every older session is refused.
ALTER TABLE users ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;
