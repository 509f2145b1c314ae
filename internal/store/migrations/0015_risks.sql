-- The register of risks and opportunities (clause 6.1) and the scales
-- they are rated on.

-- likelihood and impact are levels of the scales (1 the lowest), before
-- treatment; the residual ones after it. accepted_by names who accepted
-- the risk (NULL: nobody yet).
CREATE TABLE risks (
    id {{id}},
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'risk',
    owner_id BIGINT NOT NULL REFERENCES users (id),
    likelihood BIGINT NOT NULL,
    impact BIGINT NOT NULL,
    residual_likelihood BIGINT NOT NULL,
    residual_impact BIGINT NOT NULL,
    treatment TEXT NOT NULL DEFAULT 'mitigate',
    accepted_by BIGINT REFERENCES users (id),
    accepted_on TEXT NOT NULL DEFAULT '',
    review_on TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'open',
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX risks_state ON risks (state, review_on);
CREATE INDEX risks_owner ON risks (owner_id);
CREATE INDEX risks_accepted_by ON risks (accepted_by);
CREATE INDEX risks_rating ON risks (likelihood, impact);
CREATE INDEX risks_residual ON risks (residual_likelihood, residual_impact);

-- The services a risk could affect. The services' table comes with a
-- later migration, so service_id has no foreign key; the use cases check
-- it, and a service named by a risk is not deleted.
CREATE TABLE risk_services (
    risk_id BIGINT NOT NULL REFERENCES risks (id) ON DELETE CASCADE,
    service_id BIGINT NOT NULL,
    PRIMARY KEY (risk_id, service_id)
);
CREATE INDEX risk_services_service ON risk_services (service_id);

-- The requirements a risk bears on. A requirement a new version of its
-- framework drops leaves the list with it.
CREATE TABLE risk_requirements (
    risk_id BIGINT NOT NULL REFERENCES risks (id) ON DELETE CASCADE,
    requirement_id BIGINT NOT NULL REFERENCES requirements (id) ON DELETE CASCADE,
    PRIMARY KEY (risk_id, requirement_id)
);
CREATE INDEX risk_requirements_requirement ON risk_requirements (requirement_id);

-- The scales: one row, written when the register is first used. Each
-- scale is its levels as JSON text ([{"label": ..., "description": ...}]),
-- lowest first; the bands are the lowest scores of medium, high and
-- critical.
CREATE TABLE risk_scales (
    id {{id}},
    likelihood TEXT NOT NULL,
    impact TEXT NOT NULL,
    medium_from BIGINT NOT NULL,
    high_from BIGINT NOT NULL,
    critical_from BIGINT NOT NULL,
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
