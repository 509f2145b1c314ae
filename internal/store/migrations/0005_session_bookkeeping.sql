-- Sessions carry the bookkeeping every record has, so that they are
-- written through the same path as every other kind (store.Table).
ALTER TABLE sessions ADD COLUMN created_by BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN updated_at {{timestamp}};
ALTER TABLE sessions ADD COLUMN updated_by BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
UPDATE sessions SET updated_at = created_at, created_by = user_id, updated_by = user_id;
