-- SMS objectives (clause 6.2) and the values measured for them over time.
-- source says where values come from: 'manual' today, a live query over
-- operational records later.
CREATE TABLE objectives (
    id {{id}},
    statement TEXT NOT NULL,
    owner_id BIGINT NOT NULL REFERENCES users (id),
    measure TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL DEFAULT '',
    target DOUBLE PRECISION NOT NULL,
    direction TEXT NOT NULL DEFAULT 'higher',
    frequency TEXT NOT NULL DEFAULT 'monthly',
    source TEXT NOT NULL DEFAULT 'manual',
    notes TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX objectives_owner ON objectives (owner_id);

CREATE TABLE objective_values (
    id {{id}},
    objective_id BIGINT NOT NULL REFERENCES objectives (id),
    measured_on TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX objective_values_day ON objective_values (objective_id, measured_on);
