-- The requirements catalogue: frameworks (ISO/IEC 20000-1:2018 and any
-- loaded later), their requirements as a tree with Conform's guidance, and
-- cross-references between requirements of different frameworks.

CREATE TABLE frameworks (
    id {{id}},
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    publisher TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    allows_exclusions BOOLEAN NOT NULL DEFAULT FALSE,
    exclusions_note TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX frameworks_code ON frameworks (code);

CREATE TABLE requirements (
    id {{id}},
    framework_id BIGINT NOT NULL REFERENCES frameworks (id),
    parent_id BIGINT REFERENCES requirements (id),
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    position BIGINT NOT NULL,
    plain TEXT NOT NULL DEFAULT '',
    auditor TEXT NOT NULL DEFAULT '',
    evidence TEXT NOT NULL DEFAULT '',
    questions TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX requirements_code ON requirements (framework_id, code);
CREATE INDEX requirements_tree ON requirements (framework_id, position);
CREATE INDEX requirements_parent ON requirements (parent_id, position);

CREATE TABLE requirement_mappings (
    id {{id}},
    from_id BIGINT NOT NULL REFERENCES requirements (id),
    to_id BIGINT NOT NULL REFERENCES requirements (id),
    relation TEXT NOT NULL CHECK (relation IN ('equivalent', 'partial', 'related')),
    note TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX requirement_mappings_pair ON requirement_mappings (from_id, to_id);
CREATE INDEX requirement_mappings_to ON requirement_mappings (to_id);
