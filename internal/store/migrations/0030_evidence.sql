-- Evidence: what shows that a requirement is met. A document or a record
-- is named by entity and id (no foreign key: it may be of any kind); a
-- file by its blob's hash. requirement_id has no foreign key either, as
-- a framework's new version may drop a requirement its evidence stays
-- on record for.
CREATE TABLE evidence (
    id {{id}},
    title TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    requirement_id BIGINT NOT NULL,
    owner_id BIGINT NOT NULL REFERENCES users (id),
    review_by TEXT NOT NULL,
    kind TEXT NOT NULL,
    ref_entity TEXT NOT NULL DEFAULT '',
    ref_id BIGINT NOT NULL DEFAULT 0,
    url TEXT NOT NULL DEFAULT '',
    file_hash TEXT NOT NULL DEFAULT '',
    file_name TEXT NOT NULL DEFAULT '',
    file_type TEXT NOT NULL DEFAULT '',
    file_size BIGINT NOT NULL DEFAULT 0,
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX evidence_requirement ON evidence (requirement_id, review_by);
CREATE INDEX evidence_owner ON evidence (owner_id, review_by);
CREATE INDEX evidence_ref ON evidence (ref_entity, ref_id);
CREATE INDEX evidence_review ON evidence (review_by);

-- Each requirement's evidence in one row, kept by every write of its
-- evidence in the same transaction: how many items, and the latest
-- review day among them. An assessment's page and its readiness read it
-- instead of counting the evidence table.
CREATE TABLE requirement_evidence (
    requirement_id BIGINT PRIMARY KEY,
    items BIGINT NOT NULL DEFAULT 0,
    latest TEXT NOT NULL DEFAULT ''
);
