-- Outgoing webhooks (DingTalk / WeCom group robots) per unit, their delivery outbox and dead letters.
--
-- unit is written as 'county:pingyang', 'university:wmu', 'secretariat:office'. robot is 'dingTalk' or 'weCom',
-- format 'text' or 'markdown'. In-app notifications are stored in grain state first; a post is put here
-- afterwards, so a webhook that is down never holds a notification back.
--
-- The outbox is worked by every silo's dispatcher: a row is claimed by setting locked_until (FOR UPDATE SKIP
-- LOCKED), deleted when delivered, rescheduled with exponential backoff when it fails, and moved to the dead
-- letters after the last attempt. Rows survive a restart; a claim held by a dispatcher that died expires.

CREATE TABLE summit_webhooks
(
    summit     text        NOT NULL,
    unit       text        NOT NULL,
    url        text        NOT NULL,
    robot      text        NOT NULL,
    format     text        NOT NULL,
    enabled    boolean     NOT NULL,
    keyword    text        NULL,
    updated_at timestamptz NOT NULL,
    updated_by text        NOT NULL,
    CONSTRAINT pk_summit_webhooks PRIMARY KEY (summit, unit)
);

CREATE TABLE summit_webhook_outbox
(
    id              bigint      GENERATED ALWAYS AS IDENTITY,
    summit          text        NOT NULL,
    unit            text        NOT NULL,
    notification_id text        NOT NULL,
    url             text        NOT NULL,
    body            text        NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    locked_until    timestamptz NULL,
    last_error      text        NULL,
    created_at      timestamptz NOT NULL,
    CONSTRAINT pk_summit_webhook_outbox PRIMARY KEY (id),
    CONSTRAINT ux_summit_webhook_outbox_post UNIQUE (summit, unit, notification_id)
);

-- The dispatcher's claim: due rows, earliest first.
CREATE INDEX ix_summit_webhook_outbox_due ON summit_webhook_outbox (next_attempt_at);

CREATE TABLE summit_webhook_dead_letters
(
    id              bigint      NOT NULL,
    summit          text        NOT NULL,
    unit            text        NOT NULL,
    notification_id text        NOT NULL,
    url             text        NOT NULL,
    body            text        NOT NULL,
    attempts        integer     NOT NULL,
    last_error      text        NULL,
    created_at      timestamptz NOT NULL,
    dead_at         timestamptz NOT NULL,
    CONSTRAINT pk_summit_webhook_dead_letters PRIMARY KEY (id)
);

CREATE INDEX ix_summit_webhook_dead_letters_summit ON summit_webhook_dead_letters (summit, dead_at DESC, id DESC);
