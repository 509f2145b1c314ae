-- Documented information (7.5): controlled documents, their versions with
-- the approvals each got, who must read them, who acknowledged which
-- version, and which document fulfils each item of the checklist of
-- documented information the standard asks for.
CREATE TABLE documents (
    id {{id}},
    title TEXT NOT NULL,
    type TEXT NOT NULL DEFAULT 'policy',
    owner_id BIGINT NOT NULL REFERENCES users (id),
    classification TEXT NOT NULL DEFAULT 'internal',
    summary TEXT NOT NULL DEFAULT '',
    review_months BIGINT NOT NULL DEFAULT 12,
    reviewed_on TEXT NOT NULL DEFAULT '',
    review_due_on TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft',
    current_version BIGINT NOT NULL DEFAULT 0,
    quorum BIGINT NOT NULL DEFAULT 0,
    self_approval BOOLEAN NOT NULL DEFAULT FALSE,
    audience_roles TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX documents_owner ON documents (owner_id);
CREATE INDEX documents_status ON documents (status, type);
CREATE INDEX documents_review ON documents (status, review_due_on);

CREATE TABLE document_approvers (
    document_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (document_id, user_id)
);
CREATE INDEX document_approvers_user ON document_approvers (user_id);

CREATE TABLE document_requirements (
    document_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    requirement_id BIGINT NOT NULL REFERENCES requirements (id),
    PRIMARY KEY (document_id, requirement_id)
);
CREATE INDEX document_requirements_requirement ON document_requirements (requirement_id);

CREATE TABLE document_teams (
    document_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    team_id BIGINT NOT NULL REFERENCES teams (id),
    PRIMARY KEY (document_id, team_id)
);
CREATE INDEX document_teams_team ON document_teams (team_id);

CREATE TABLE document_readers (
    document_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (document_id, user_id)
);
CREATE INDEX document_readers_user ON document_readers (user_id);

CREATE TABLE document_versions (
    id {{id}},
    document_id BIGINT NOT NULL REFERENCES documents (id),
    number BIGINT NOT NULL,
    state TEXT NOT NULL DEFAULT 'draft',
    content TEXT NOT NULL DEFAULT '',
    change_note TEXT NOT NULL DEFAULT '',
    approved_at {{timestamp}},
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX document_versions_number ON document_versions (document_id, number);
CREATE INDEX document_versions_state ON document_versions (state, document_id);

CREATE TABLE document_version_approvals (
    version_id BIGINT NOT NULL REFERENCES document_versions (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (version_id, user_id)
);

CREATE TABLE document_acknowledgements (
    id {{id}},
    document_id BIGINT NOT NULL REFERENCES documents (id),
    version_id BIGINT NOT NULL REFERENCES document_versions (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX document_acknowledgements_once ON document_acknowledgements (version_id, user_id);
CREATE INDEX document_acknowledgements_user ON document_acknowledgements (user_id, document_id);
CREATE INDEX document_acknowledgements_document ON document_acknowledgements (document_id, version_id);

CREATE TABLE required_documents (
    id {{id}},
    item TEXT NOT NULL,
    document_id BIGINT NOT NULL REFERENCES documents (id),
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX required_documents_item ON required_documents (item);
CREATE INDEX required_documents_document ON required_documents (document_id);
