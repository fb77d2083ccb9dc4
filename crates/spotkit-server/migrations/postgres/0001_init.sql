-- Spotify users known to this server.
CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    display_name TEXT,
    profile TEXT NOT NULL,
    profile_fetched_at BIGINT NOT NULL,
    needs_reauth BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

-- Each user's Spotify token (access + refresh), encrypted: see src/crypto.rs.
CREATE TABLE spotify_tokens (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key_id TEXT NOT NULL,
    sealed BYTEA NOT NULL,
    expires_at BIGINT,
    updated_at BIGINT NOT NULL
);

-- Browser sessions; the cookie holds the id, this table its SHA-256.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    pending TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- One-time codes of the mobile hand-off.
CREATE TABLE handoff_codes (
    code_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    redirect_uri TEXT NOT NULL,
    code_challenge TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

-- Server API tokens (access and refresh) handed to apps; only their SHA-256 is stored.
CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    family TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX api_tokens_family ON api_tokens (family);

-- Per-user, per-track, per-type versioned JSON documents.
CREATE TABLE metadata (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    track_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    version BIGINT NOT NULL,
    collection TEXT NOT NULL,
    size BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, track_id, kind, version)
);
