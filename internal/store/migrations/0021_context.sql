-- The SMS's context: internal and external issues (climate: whether the
-- issue concerns climate change), interested parties, and the
-- communication plan.
CREATE TABLE context_issues (
    id {{id}},
    title TEXT NOT NULL,
    origin TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT 'other',
    climate BOOLEAN NOT NULL DEFAULT FALSE,
    description TEXT NOT NULL DEFAULT '',
    effect TEXT NOT NULL DEFAULT '',
    response TEXT NOT NULL DEFAULT '',
    owner_id BIGINT NOT NULL REFERENCES users (id),
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX context_issues_owner ON context_issues (owner_id);

CREATE TABLE interested_parties (
    id {{id}},
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    relevance TEXT NOT NULL DEFAULT 'medium',
    requirements TEXT NOT NULL DEFAULT '',
    response TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX interested_parties_name ON interested_parties (lower(name));

CREATE TABLE communications (
    id {{id}},
    subject TEXT NOT NULL,
    audience TEXT NOT NULL,
    frequency TEXT NOT NULL,
    timing TEXT NOT NULL DEFAULT '',
    channel TEXT NOT NULL,
    owner_id BIGINT NOT NULL REFERENCES users (id),
    notes TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX communications_owner ON communications (owner_id);
