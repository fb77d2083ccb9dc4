-- When a session was last used (issue #18: sessions end after session_idle_timeout_secs unused).
-- NULL on rows from before: their creation counts as their last use.
ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT;
