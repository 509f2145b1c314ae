-- Nonconformities and corrective action (clause 10.1), and the deadlines
-- they are answered in.

-- requirement_id has no foreign key: a framework's new version may drop a
-- requirement a nonconformity stays on record against. source_entity and
-- source_id name the record it comes from (an audit finding, a
-- complaint), of any kind. recurrence_of is the earlier nonconformity
-- against the same requirement it repeats (0: none). whys is a JSON list
-- of lines; evidence a JSON list of {"entity", "id"}. Days are
-- "2006-01-02" text, '' for not yet.
CREATE TABLE nonconformities (
    id {{id}},
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    severity TEXT NOT NULL,
    origin TEXT NOT NULL,
    source_entity TEXT NOT NULL DEFAULT '',
    source_id BIGINT NOT NULL DEFAULT 0,
    requirement_id BIGINT NOT NULL,
    owner_id BIGINT NOT NULL REFERENCES users (id),
    raised_on TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'open',
    recurrence_of BIGINT NOT NULL DEFAULT 0,
    correction TEXT NOT NULL DEFAULT '',
    corrected_by BIGINT REFERENCES users (id),
    corrected_on TEXT NOT NULL DEFAULT '',
    cause_method TEXT NOT NULL DEFAULT '',
    whys TEXT NOT NULL DEFAULT '[]',
    cause_category TEXT NOT NULL DEFAULT '',
    cause_summary TEXT NOT NULL DEFAULT '',
    analysed_on TEXT NOT NULL DEFAULT '',
    verified_by BIGINT REFERENCES users (id),
    verified_on TEXT NOT NULL DEFAULT '',
    verification_result TEXT NOT NULL DEFAULT '',
    verification_note TEXT NOT NULL DEFAULT '',
    evidence TEXT NOT NULL DEFAULT '[]',
    closed_on TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX nonconformities_state ON nonconformities (state, raised_on);
CREATE INDEX nonconformities_requirement ON nonconformities (requirement_id, raised_on);
CREATE INDEX nonconformities_owner ON nonconformities (owner_id);
CREATE INDEX nonconformities_corrected_by ON nonconformities (corrected_by);
CREATE INDEX nonconformities_verified_by ON nonconformities (verified_by);
CREATE INDEX nonconformities_source ON nonconformities (source_entity, source_id);

-- The deadlines: one row, written on first start, each a number of days
-- after a nonconformity is raised.
CREATE TABLE nc_deadlines (
    id {{id}},
    external_major_plan BIGINT NOT NULL,
    external_major_close BIGINT NOT NULL,
    external_minor_plan BIGINT NOT NULL,
    external_minor_close BIGINT NOT NULL,
    internal_major_plan BIGINT NOT NULL,
    internal_major_close BIGINT NOT NULL,
    internal_minor_plan BIGINT NOT NULL,
    internal_minor_close BIGINT NOT NULL,
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
