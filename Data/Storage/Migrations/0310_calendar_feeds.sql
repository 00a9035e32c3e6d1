-- Calendar feeds: an account's secret address of an iCalendar feed (RFC 5545) of its unit's or its own deadlines,
-- milestones and campaign deadlines, read by calendar programs without signing in.
--
-- summit_calendar_feed  one row per feed. Only the SHA-256 of the feed's secret is kept (token_hash): the secret, 32
--                       random bytes, is shown once when the feed is created and cannot be read back. kind is 'unit' (the
--                       account's unit, or for the secretariat and leaders the whole summit) or 'person' (the tasks whose
--                       assignee is the account, and its unit's milestones); unit is the account's unit at creation
--                       ('county:pingyang'), NULL for accounts that belong to none. Revoking sets revoked_at, after which
--                       the address answers 404 like an unknown one; the row stays for the audit trail.
--
-- Creating and revoking a feed write an audit row (entity_kind 'calendarFeed', versions 1 and 2) in the same
-- transaction, with tx NULL: a feed is not an entity of summit_entity, so it stays out of the change stream.

CREATE TABLE summit_calendar_feed
(
    summit     text        NOT NULL,
    id         text        COLLATE "C" NOT NULL,
    account    text        NOT NULL,
    kind       text        NOT NULL,
    unit       text        NULL,
    token_hash bytea       NOT NULL,
    created_at timestamptz NOT NULL,
    revoked_at timestamptz NULL,

    CONSTRAINT pk_summit_calendar_feed PRIMARY KEY (summit, id),
    CONSTRAINT ck_summit_calendar_feed_kind CHECK (kind IN ('unit', 'person')),
    CONSTRAINT ck_summit_calendar_feed_hash CHECK (octet_length(token_hash) = 32)
);

-- The public address looks a feed up by its secret's hash; a revoked feed is no longer found.
CREATE UNIQUE INDEX ux_summit_calendar_feed_token ON summit_calendar_feed (token_hash);

-- An account's feeds, newest first (GET /calendar-feeds).
CREATE INDEX ix_summit_calendar_feed_account ON summit_calendar_feed (summit, account, created_at DESC, id)
    WHERE revoked_at IS NULL;

-- A unit's open task deadlines and the milestones, by due moment: the feed's pages read the task rows in the order of
-- migration 0150's indexes; milestones (few per summit) have an index of their own.
CREATE INDEX ix_summit_task_milestone_due ON summit_entity (summit, task_due_at, id COLLATE "C")
    WHERE kind = 'task' AND state -> 'milestone' = 'true'::jsonb;
-- A person's tasks by assignee.
CREATE INDEX ix_summit_task_assignee_due ON summit_entity (summit, (state ->> 'assignee'), task_due_at, id COLLATE "C")
    WHERE kind = 'task' AND task_open;
