-- Signed checkpoints of the audit chain head. The signed copies that count
-- live outside the database (a log file, a URL); these rows only let every
-- instance show the latest one.
CREATE TABLE audit_checkpoints (
    id {{id}},
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL,
    at {{timestamp}} NOT NULL,
    public_key TEXT NOT NULL,
    signature TEXT NOT NULL
);

-- Security events (failed and throttled sign-ins, permission denials,
-- API token use): not record changes, so not in the hash-chained audit
-- trail, and kept only as long as the installation says.
CREATE TABLE security_events (
    id {{id}},
    at {{timestamp}} NOT NULL,
    kind TEXT NOT NULL,
    user_id BIGINT NOT NULL DEFAULT 0,
    email TEXT NOT NULL DEFAULT '',
    token_id BIGINT NOT NULL DEFAULT 0,
    remote_addr TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX security_events_at ON security_events (at);
CREATE INDEX security_events_kind ON security_events (kind, id);
CREATE INDEX security_events_user ON security_events (user_id, id);
