-- API tokens carry the bookkeeping every record has, so that they are
-- written through the same path as every other kind (store.Table).
ALTER TABLE api_tokens ADD COLUMN created_by BIGINT NOT NULL DEFAULT 0;
ALTER TABLE api_tokens ADD COLUMN updated_at {{timestamp}};
ALTER TABLE api_tokens ADD COLUMN updated_by BIGINT NOT NULL DEFAULT 0;
UPDATE api_tokens SET updated_at = created_at, created_by = user_id, updated_by = user_id;
