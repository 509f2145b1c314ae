-- The SMS's processes (clause 8 and the SMS's own), the implementation
-- team and its RACI.

-- code names a built-in process ('' for one of the organisation's own),
-- so that the built-in register is loaded once.
CREATE TABLE processes (
    id {{id}},
    code TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    area TEXT NOT NULL,
    position BIGINT NOT NULL DEFAULT 0,
    owner_id BIGINT REFERENCES users (id),
    purpose TEXT NOT NULL DEFAULT '',
    scope TEXT NOT NULL DEFAULT '',
    inputs TEXT NOT NULL DEFAULT '',
    outputs TEXT NOT NULL DEFAULT '',
    maturity BIGINT NOT NULL DEFAULT 0,
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX processes_name ON processes (name);
CREATE INDEX processes_area ON processes (area, position);
CREATE INDEX processes_owner ON processes (owner_id);

-- The processes a process hands work to or takes it from.
CREATE TABLE process_interfaces (
    process_id BIGINT NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    other_id BIGINT NOT NULL REFERENCES processes (id),
    PRIMARY KEY (process_id, other_id)
);
CREATE INDEX process_interfaces_other ON process_interfaces (other_id);

-- Its KPIs: the objectives that measure it.
CREATE TABLE process_kpis (
    process_id BIGINT NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    objective_id BIGINT NOT NULL REFERENCES objectives (id),
    PRIMARY KEY (process_id, objective_id)
);
CREATE INDEX process_kpis_objective ON process_kpis (objective_id);

-- The requirements it answers. A requirement a new version of its
-- framework drops leaves the list with it.
CREATE TABLE process_requirements (
    process_id BIGINT NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    requirement_id BIGINT NOT NULL REFERENCES requirements (id) ON DELETE CASCADE,
    PRIMARY KEY (process_id, requirement_id)
);
CREATE INDEX process_requirements_requirement ON process_requirements (requirement_id);

-- Its procedures: controlled documents. The documents' table comes with
-- a later migration, so document_id has no foreign key; the use cases
-- check it.
CREATE TABLE process_procedures (
    process_id BIGINT NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    document_id BIGINT NOT NULL,
    PRIMARY KEY (process_id, document_id)
);
CREATE INDEX process_procedures_document ON process_procedures (document_id);

-- The implementation project's team: each member once, with a project
-- role; one of them the project manager.
CREATE TABLE project_members (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL,
    responsibilities TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX project_members_user ON project_members (user_id);
CREATE INDEX project_members_role ON project_members (role);

-- A RACI row: for one clause (a requirement) or one process, who is
-- responsible, the one who is accountable, who is consulted and who is
-- informed.
CREATE TABLE raci_rows (
    id {{id}},
    requirement_id BIGINT REFERENCES requirements (id),
    process_id BIGINT REFERENCES processes (id),
    accountable_id BIGINT NOT NULL REFERENCES users (id),
    notes TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX raci_rows_requirement ON raci_rows (requirement_id);
CREATE UNIQUE INDEX raci_rows_process ON raci_rows (process_id);
CREATE INDEX raci_rows_accountable ON raci_rows (accountable_id);

CREATE TABLE raci_responsible (
    raci_id BIGINT NOT NULL REFERENCES raci_rows (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (raci_id, user_id)
);
CREATE INDEX raci_responsible_user ON raci_responsible (user_id);
CREATE TABLE raci_consulted (
    raci_id BIGINT NOT NULL REFERENCES raci_rows (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (raci_id, user_id)
);
CREATE INDEX raci_consulted_user ON raci_consulted (user_id);
CREATE TABLE raci_informed (
    raci_id BIGINT NOT NULL REFERENCES raci_rows (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (raci_id, user_id)
);
CREATE INDEX raci_informed_user ON raci_informed (user_id);
