-- Management reviews (clause 9.3) and the continual improvement register
-- (clause 10.2).

-- pack is the input pack as JSON text, assembled when the review is
-- prepared; once the review is held it is frozen and pack_hash is its
-- SHA-256 in hex (the use cases never write it again). decisions is a
-- JSON list of strings. approved_by, like created_by, is bookkeeping and
-- outlives the user.
CREATE TABLE management_reviews (
    id {{id}},
    title TEXT NOT NULL,
    planned_on TEXT NOT NULL,
    held_on TEXT NOT NULL DEFAULT '',
    chair_id BIGINT NOT NULL REFERENCES users (id),
    interval_months BIGINT NOT NULL DEFAULT 12,
    state TEXT NOT NULL DEFAULT 'planned',
    prepared_on TEXT NOT NULL DEFAULT '',
    pack TEXT NOT NULL DEFAULT '',
    pack_hash TEXT NOT NULL DEFAULT '',
    minutes TEXT NOT NULL DEFAULT '',
    decisions TEXT NOT NULL DEFAULT '[]',
    approved_by BIGINT NOT NULL DEFAULT 0,
    approved_on TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX management_reviews_state ON management_reviews (state, planned_on);
CREATE INDEX management_reviews_chair ON management_reviews (chair_id);

CREATE TABLE management_review_attendees (
    review_id BIGINT NOT NULL REFERENCES management_reviews (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (review_id, user_id)
);
CREATE INDEX management_review_attendees_user ON management_review_attendees (user_id);

-- source_entity and source_ref optionally name the record an opportunity
-- came from ('' and 0 for none). benefit, effort, risk and alignment are
-- the evaluation, 1 to 5 (0: not evaluated). approved_by and approved_on
-- are the decision, approval or rejection (0 and '' before it). measure_before and
-- measure_after are the measure, NULL until taken.
CREATE TABLE improvements (
    id {{id}},
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT 'suggestion',
    source_entity TEXT NOT NULL DEFAULT '',
    source_ref BIGINT NOT NULL DEFAULT 0,
    submitted_by BIGINT NOT NULL REFERENCES users (id),
    submitted_on TEXT NOT NULL,
    benefit BIGINT NOT NULL DEFAULT 0,
    effort BIGINT NOT NULL DEFAULT 0,
    risk BIGINT NOT NULL DEFAULT 0,
    alignment BIGINT NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'submitted',
    approved_by BIGINT NOT NULL DEFAULT 0,
    approved_on TEXT NOT NULL DEFAULT '',
    expected_benefit TEXT NOT NULL DEFAULT '',
    realised_benefit TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL DEFAULT '',
    measure_before DOUBLE PRECISION,
    measure_after DOUBLE PRECISION,
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX improvements_state ON improvements (state);
CREATE INDEX improvements_source ON improvements (source, source_entity, source_ref);
CREATE INDEX improvements_submitted_by ON improvements (submitted_by);
