-- SQLite only: INTEGER PRIMARY KEY makes seq the table's own key; with
-- BIGINT every entry was also written to a separate index on seq.
CREATE TABLE audit_log_new (
    seq INTEGER PRIMARY KEY,
    at {{timestamp}} NOT NULL,
    actor_id BIGINT NOT NULL,
    actor_name TEXT NOT NULL,
    via TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    action TEXT NOT NULL,
    diff TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_log_new (seq, at, actor_id, actor_name, via, entity, entity_id, action, diff, prev_hash, hash)
    SELECT seq, at, actor_id, actor_name, via, entity, entity_id, action, diff, prev_hash, hash FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, seq);
CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);
CREATE INDEX audit_log_at ON audit_log (at);
