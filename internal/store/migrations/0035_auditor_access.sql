-- External auditors' access to audits, and every page or file they
-- opened through one. An access names its audit (which cannot go while
-- an access names it) and its auditor; the views are a log, not records:
-- no version, no audit entry, never changed, kept while their access is.
CREATE TABLE auditor_accesses (
    id {{id}},
    audit_id BIGINT NOT NULL REFERENCES audits (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    expires_on TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    revoked_at {{timestamp}},
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX auditor_accesses_audit ON auditor_accesses (audit_id);
CREATE INDEX auditor_accesses_user ON auditor_accesses (user_id, expires_on);

CREATE TABLE auditor_views (
    id {{id}},
    access_id BIGINT NOT NULL,
    audit_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    at {{timestamp}} NOT NULL,
    path TEXT NOT NULL,
    what TEXT NOT NULL DEFAULT '',
    remote_addr TEXT NOT NULL DEFAULT ''
);
CREATE INDEX auditor_views_access ON auditor_views (access_id, id);
