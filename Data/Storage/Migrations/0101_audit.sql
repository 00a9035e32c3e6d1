-- The audit trail: one row per accepted change of one entity, written by the grain that made it.
--
-- entity_kind and role are the EntityKind and Role enum names in camelCase ('task', 'subForum',
-- 'county', ...). entity_id is the id inside the summit (a sub-event: '{county}/{subEventId}').
-- changes is a JSON array of {"field","from","to"}. "at" is the change's time on the summit clock;
-- recorded_at is when the row was written.
--
-- A grain that retries recording the same change (same entity and version) must not duplicate
-- it, hence the unique key and ON CONFLICT DO NOTHING in the writer.

CREATE TABLE summit_audit
(
    id          bigint      GENERATED ALWAYS AS IDENTITY,
    summit      text        NOT NULL,
    entity_kind text        NOT NULL,
    entity_id   text        NOT NULL,
    version     integer     NOT NULL,
    at          timestamptz NOT NULL,
    account     text        NOT NULL,
    role        text        NOT NULL,
    unit        text        NULL,
    changes     jsonb       NOT NULL,
    note        text        NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT pk_summit_audit PRIMARY KEY (id),
    CONSTRAINT ux_summit_audit_change UNIQUE (summit, entity_kind, entity_id, version)
);

-- The reader's filters, each newest first: the whole summit, one entity (the unique key above
-- serves kind alone and kind + id by version), one account.
CREATE INDEX ix_summit_audit_at ON summit_audit (summit, at DESC, id DESC);
CREATE INDEX ix_summit_audit_entity ON summit_audit (summit, entity_kind, entity_id, at DESC);
CREATE INDEX ix_summit_audit_account ON summit_audit (summit, account, at DESC);
