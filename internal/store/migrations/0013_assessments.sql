-- Assessments: dated gap analyses over a framework, and their results,
-- one per requirement of the framework, made with the assessment.
CREATE TABLE assessments (
    id {{id}},
    framework_id BIGINT NOT NULL REFERENCES frameworks (id),
    title TEXT NOT NULL,
    started_on TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'open',
    notes TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX assessments_framework ON assessments (framework_id, started_on);

CREATE TABLE assessment_results (
    id {{id}},
    assessment_id BIGINT NOT NULL REFERENCES assessments (id),
    requirement_id BIGINT NOT NULL REFERENCES requirements (id),
    status TEXT NOT NULL DEFAULT 'not_started',
    maturity BIGINT NOT NULL DEFAULT 0,
    owner_id BIGINT REFERENCES users (id),
    justification TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX assessment_results_requirement ON assessment_results (assessment_id, requirement_id);
CREATE INDEX assessment_results_of_requirement ON assessment_results (requirement_id);
CREATE INDEX assessment_results_owner ON assessment_results (owner_id);
