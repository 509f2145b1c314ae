-- Blobs: uploaded files, named by the SHA-256 of their content (hex), so
-- a file uploaded twice is stored once. Kept in the database, not beside
-- it, so that a backup and a restore hold every file with the records
-- that refer to them. A record refers to a blob by its hash; blobs are
-- never changed and never deleted (a deleted record's history may still
-- name its file). Who uploaded it is in the audit trail of the record
-- that refers to it; blobs are not records and not in `conform export`.
CREATE TABLE blobs (
    hash TEXT PRIMARY KEY,
    size BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    data {{bytes}} NOT NULL,
    created_at {{timestamp}} NOT NULL
);
