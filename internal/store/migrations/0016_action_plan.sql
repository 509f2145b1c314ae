-- The implementation plan on actions: a start day, progress in per cent
-- and the actions each waits for. An action others depend on is not
-- deleted while they do (no cascade on depends_on_id); the use case
-- refuses first, naming them.
ALTER TABLE actions ADD COLUMN start_on TEXT NOT NULL DEFAULT '';
ALTER TABLE actions ADD COLUMN progress BIGINT NOT NULL DEFAULT 0;
UPDATE actions SET progress = 100 WHERE state = 'done';

CREATE TABLE action_dependencies (
    action_id BIGINT NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    depends_on_id BIGINT NOT NULL REFERENCES actions (id),
    PRIMARY KEY (action_id, depends_on_id)
);
CREATE INDEX action_dependencies_on ON action_dependencies (depends_on_id);
