-- A token made through another token remembers it: it may not outlive it,
-- and revoking it revokes those it made. The id stays when the parent is
-- deleted, as a record of where the token came from (no foreign key).
ALTER TABLE api_tokens ADD COLUMN parent_id BIGINT;
CREATE INDEX api_tokens_parent ON api_tokens (parent_id);
