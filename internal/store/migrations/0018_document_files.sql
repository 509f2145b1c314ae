-- A document version's content may be an uploaded file (a stored blob,
-- named by its hash) instead of, or beside, text written in the page.
ALTER TABLE document_versions ADD COLUMN file_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE document_versions ADD COLUMN file_name TEXT NOT NULL DEFAULT '';
ALTER TABLE document_versions ADD COLUMN file_type TEXT NOT NULL DEFAULT '';
ALTER TABLE document_versions ADD COLUMN file_size BIGINT NOT NULL DEFAULT 0;
