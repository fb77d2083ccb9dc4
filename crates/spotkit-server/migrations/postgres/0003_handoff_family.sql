-- The token family a hand-off code gave (issue #18): replaying the used code revokes it.
ALTER TABLE handoff_codes ADD COLUMN family TEXT;
