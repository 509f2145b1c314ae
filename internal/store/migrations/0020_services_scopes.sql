-- Services: what the provider delivers, and to which organisations.
CREATE TABLE services (
    id {{id}},
    name TEXT NOT NULL,
    owner_id BIGINT NOT NULL REFERENCES users (id),
    description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'live',
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX services_name ON services (lower(name));
CREATE INDEX services_owner ON services (owner_id);

-- A customer may not be deleted while a service names it.
CREATE TABLE service_customers (
    service_id BIGINT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (service_id, organisation_id)
);
CREATE INDEX service_customers_organisation ON service_customers (organisation_id);

-- The scope statement's revisions. At most one draft at a time; the
-- rules on approval and immutability are the use cases'. Exclusions are
-- a JSON list of {subject, justification}. approved_by, like created_by,
-- is bookkeeping and outlives the user.
CREATE TABLE scopes (
    id {{id}},
    revision BIGINT NOT NULL,
    state TEXT NOT NULL DEFAULT 'draft',
    statement TEXT NOT NULL DEFAULT '',
    locations TEXT NOT NULL DEFAULT '',
    units TEXT NOT NULL DEFAULT '',
    interfaces TEXT NOT NULL DEFAULT '',
    exclusions TEXT NOT NULL DEFAULT '[]',
    approved_by BIGINT NOT NULL DEFAULT 0,
    approved_at {{timestamp}},
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX scopes_revision ON scopes (revision);
CREATE UNIQUE INDEX scopes_one_draft ON scopes (state) WHERE state = 'draft';

-- A service may not be deleted while a revision of the scope names it.
CREATE TABLE scope_services (
    scope_id BIGINT NOT NULL REFERENCES scopes (id) ON DELETE CASCADE,
    service_id BIGINT NOT NULL REFERENCES services (id),
    PRIMARY KEY (scope_id, service_id)
);
CREATE INDEX scope_services_service ON scope_services (service_id);
