-- The internal audit programme, audits, their checklists and findings
-- (clause 9.2). An audit's report, once issued, is stored frozen in the
-- audit's row with its SHA-256.
CREATE TABLE audit_programmes (
    id {{id}},
    title TEXT NOT NULL,
    start_on TEXT NOT NULL,
    end_on TEXT NOT NULL,
    owner_id BIGINT NOT NULL REFERENCES users (id),
    notes TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE audits (
    id {{id}},
    programme_id BIGINT REFERENCES audit_programmes (id),
    origin TEXT NOT NULL,
    type TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    criteria TEXT NOT NULL DEFAULT '',
    planned_start TEXT NOT NULL,
    planned_end TEXT NOT NULL,
    actual_start TEXT NOT NULL DEFAULT '',
    actual_end TEXT NOT NULL DEFAULT '',
    lead_auditor_id BIGINT REFERENCES users (id),
    state TEXT NOT NULL DEFAULT 'planned',
    summary TEXT NOT NULL DEFAULT '',
    conclusion TEXT NOT NULL DEFAULT '',
    report_on TEXT NOT NULL DEFAULT '',
    report_sha256 TEXT NOT NULL DEFAULT '',
    report TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX audits_programme ON audits (programme_id);
CREATE INDEX audits_state ON audits (state);

CREATE TABLE audit_requirements (
    audit_id BIGINT NOT NULL REFERENCES audits (id) ON DELETE CASCADE,
    requirement_id BIGINT NOT NULL REFERENCES requirements (id),
    PRIMARY KEY (audit_id, requirement_id)
);
CREATE INDEX audit_requirements_requirement ON audit_requirements (requirement_id);

CREATE TABLE audit_processes (
    audit_id BIGINT NOT NULL REFERENCES audits (id) ON DELETE CASCADE,
    process_id BIGINT NOT NULL REFERENCES processes (id),
    PRIMARY KEY (audit_id, process_id)
);

CREATE TABLE audit_services (
    audit_id BIGINT NOT NULL REFERENCES audits (id) ON DELETE CASCADE,
    service_id BIGINT NOT NULL REFERENCES services (id),
    PRIMARY KEY (audit_id, service_id)
);

CREATE TABLE audit_team (
    audit_id BIGINT NOT NULL REFERENCES audits (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (audit_id, user_id)
);

-- One line per requirement in an audit's scope; sampled is a JSON list
-- of {entity, id}.
CREATE TABLE checklist_items (
    id {{id}},
    audit_id BIGINT NOT NULL REFERENCES audits (id),
    requirement_id BIGINT NOT NULL REFERENCES requirements (id),
    position BIGINT NOT NULL DEFAULT 0,
    result TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    sampled TEXT NOT NULL DEFAULT '[]',
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX checklist_items_line ON checklist_items (audit_id, requirement_id);

-- records is a JSON list of {entity, id}.
CREATE TABLE findings (
    id {{id}},
    audit_id BIGINT NOT NULL REFERENCES audits (id),
    requirement_id BIGINT NOT NULL REFERENCES requirements (id),
    type TEXT NOT NULL,
    statement TEXT NOT NULL,
    records TEXT NOT NULL DEFAULT '[]',
    owner_id BIGINT REFERENCES users (id),
    item_id BIGINT REFERENCES checklist_items (id),
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX findings_audit ON findings (audit_id);
CREATE INDEX findings_requirement ON findings (requirement_id);
