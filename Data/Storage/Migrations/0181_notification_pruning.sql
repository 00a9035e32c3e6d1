-- Read notifications older than Summit:Notifications:PruneAfter (default 90 days) are deleted periodically with their
-- read marks (PostgresNotificationStore.PruneReadAsync): these indexes find the old rows and the marks of an id without
-- reading the tables.
CREATE INDEX ix_summit_notification_created ON summit_notification (created_at);
CREATE INDEX ix_summit_notification_read_id ON summit_notification_read (id);
