-- Two-factor sign-in. user_mfa holds a user's TOTP secret: offered
-- (enabled false) until the user confirms a code, then enabled. last_step
-- is the newest time step a code was accepted for, so no code works twice.
CREATE TABLE user_mfa (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret TEXT NOT NULL,
    enabled BOOLEAN NOT NULL DEFAULT FALSE,
    last_step BIGINT NOT NULL DEFAULT 0,
    created_at {{timestamp}} NOT NULL,
    enabled_at {{timestamp}}
);

-- Single-use recovery codes, by their SHA-256.
CREATE TABLE mfa_recovery_codes (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    hash TEXT NOT NULL,
    used_at {{timestamp}},
    PRIMARY KEY (user_id, hash)
);

-- Sign-ins whose password was right and that wait for the second factor
-- (or for it to be set up), by the SHA-256 of their cookie's secret.
-- They are not sessions: they open nothing but the second step.
CREATE TABLE pending_signins (
    hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    setup_secret TEXT NOT NULL DEFAULT '',
    next TEXT NOT NULL DEFAULT '/',
    remote_addr TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT '',
    expires_at {{timestamp}} NOT NULL
);
CREATE INDEX pending_signins_expires ON pending_signins (expires_at);
