-- An external audit names its certification body as a record (body_id)
-- rather than as text. The text column stays as the consultant who runs
-- a pre-audit when no certification body does; an audit whose text
-- named a body on record now refers to that body and loses the text,
-- one whose text matches no body keeps it there, to be replaced by the
-- body when the audit is next changed.
ALTER TABLE audits RENAME COLUMN body TO consultant;
ALTER TABLE audits ADD COLUMN body_id BIGINT REFERENCES certification_bodies (id);
UPDATE audits SET body_id = (SELECT b.id FROM certification_bodies b WHERE lower(b.name) = lower(trim(audits.consultant)))
    WHERE origin = 'external' AND trim(consultant) <> '';
UPDATE audits SET consultant = '' WHERE body_id IS NOT NULL;
CREATE INDEX audits_body ON audits (body_id);
