-- The chain head keeps the hash before the newest too, so that PostgreSQL
-- can advance the head and write the entry in one statement (pgtx.go).
ALTER TABLE audit_head ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
