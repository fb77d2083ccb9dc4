-- The end of a token family's life (issue #18): refreshes never carry a family past it.
-- NULL on rows from before: their next refresh starts the clock.
ALTER TABLE api_tokens ADD COLUMN family_expires_at BIGINT;
