-- A completion's certificate as an uploaded file: the stored blob's hash
-- (empty for none), the name it was uploaded under, its type and size.
ALTER TABLE course_completions ADD COLUMN certificate_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE course_completions ADD COLUMN certificate_name TEXT NOT NULL DEFAULT '';
ALTER TABLE course_completions ADD COLUMN certificate_type TEXT NOT NULL DEFAULT '';
ALTER TABLE course_completions ADD COLUMN certificate_size BIGINT NOT NULL DEFAULT 0;
