-- Each user's own choices for how pages are shown: colour scheme
-- (system, light or dark), language and time zone ("" for the
-- installation's default).
ALTER TABLE users ADD COLUMN theme TEXT NOT NULL DEFAULT 'system';
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
