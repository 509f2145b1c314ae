-- Certification: the bodies that certify the SMS, the certificates they
-- issued, the audits planned in each certificate's cycle, and the
-- secrets of the users' calendar feeds (a token names its user without a
-- foreign key, so that deleting a user is not held up by it; a token of
-- a user who is gone opens nothing).
CREATE TABLE certification_bodies (
    id {{id}},
    name TEXT NOT NULL,
    accreditation_body TEXT NOT NULL DEFAULT '',
    accreditation_number TEXT NOT NULL DEFAULT '',
    accreditation_scope TEXT NOT NULL DEFAULT '',
    covers_20000 TEXT NOT NULL DEFAULT 'unknown',
    contacts TEXT NOT NULL DEFAULT '',
    verified_on TEXT NOT NULL DEFAULT '',
    verified_by BIGINT NOT NULL DEFAULT 0,
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX certification_bodies_name ON certification_bodies (lower(name));

CREATE TABLE certificates (
    id {{id}},
    body_id BIGINT NOT NULL REFERENCES certification_bodies (id),
    certificate_number TEXT NOT NULL,
    standard TEXT NOT NULL,
    scope TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    cycle_start TEXT NOT NULL,
    expires_on TEXT NOT NULL,
    status TEXT NOT NULL,
    reminder_days BIGINT NOT NULL DEFAULT 60,
    previous_id BIGINT NOT NULL DEFAULT 0,
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX certificates_number ON certificates (body_id, certificate_number);
CREATE INDEX certificates_expiry ON certificates (expires_on);

CREATE TABLE planned_audits (
    id {{id}},
    certificate_id BIGINT NOT NULL REFERENCES certificates (id),
    type TEXT NOT NULL,
    due_by TEXT NOT NULL,
    planned_on TEXT NOT NULL DEFAULT '',
    done_on TEXT NOT NULL DEFAULT '',
    audit_id BIGINT NOT NULL DEFAULT 0,
    notes TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX planned_audits_certificate ON planned_audits (certificate_id, due_by);
CREATE INDEX planned_audits_due ON planned_audits (done_on, due_by);
CREATE INDEX planned_audits_audit ON planned_audits (audit_id);

CREATE TABLE calendar_tokens (
    id {{id}},
    user_id BIGINT NOT NULL,
    hash TEXT NOT NULL,
    prefix TEXT NOT NULL,
    last_used_at {{timestamp}},
    uses BIGINT NOT NULL DEFAULT 0,
    revoked_at {{timestamp}},
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX calendar_tokens_hash ON calendar_tokens (hash);
CREATE INDEX calendar_tokens_user ON calendar_tokens (user_id);
