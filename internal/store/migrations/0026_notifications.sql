-- Notifications: what needs a person's attention, made by reminders.
-- dedup_key makes each notice once per person, whichever instance's
-- reminder job gets there first.
CREATE TABLE notifications (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users (id),
    topic TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    dedup_key TEXT NOT NULL,
    read_at {{timestamp}},
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX notifications_key ON notifications (user_id, dedup_key);
CREATE INDEX notifications_unread ON notifications (user_id, read_at);
