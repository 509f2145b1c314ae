-- Actions: everything the management system must do, whatever asked for
-- it. source_id names a record of the kind the source implies (a
-- requirement for a gap), so it has no foreign key of its own.
CREATE TABLE actions (
    id {{id}},
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    owner_id BIGINT NOT NULL REFERENCES users (id),
    due_on TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'open',
    priority TEXT NOT NULL DEFAULT 'medium',
    source TEXT NOT NULL DEFAULT 'plan',
    source_id BIGINT NOT NULL DEFAULT 0,
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX actions_owner ON actions (owner_id, state);
CREATE INDEX actions_due ON actions (state, due_on);
CREATE INDEX actions_source ON actions (source, source_id);
