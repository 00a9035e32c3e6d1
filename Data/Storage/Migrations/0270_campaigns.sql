-- Campaigns (kind 'campaign') and the units' submissions to them (kind 'submission', id '{campaign}:{unit}') are
-- entities of summit_entity like the others: one transaction with their audit row and idempotency key.
--
-- Kept snapshots: every version of a submission that a unit hands in is written here, in the same statement as the
-- submission's state row and only if that row is written (PostgresEntityStore), numbered 1, 2, … per entity. Rows are
-- never updated or deleted; the primary key makes a number unique and serves the versions list in order.
CREATE TABLE summit_entity_snapshot
(
    summit  text        NOT NULL,
    kind    text        NOT NULL,
    id      text        NOT NULL,
    number  integer     NOT NULL,
    version integer     NOT NULL,
    at      timestamptz NOT NULL,
    account text        NOT NULL,
    state   jsonb       NOT NULL,

    CONSTRAINT pk_summit_entity_snapshot PRIMARY KEY (summit, kind, id, number)
);

-- A campaign's submissions in id order (its list and its board's join by id use the primary key).
CREATE INDEX ix_summit_submission_campaign ON summit_entity (summit, (state ->> 'campaign'), id COLLATE "C")
    WHERE kind = 'submission';

-- A unit lists the campaigns addressed to it: containment in the addressees, for published and closed campaigns.
CREATE INDEX ix_summit_campaign_addressees ON summit_entity USING gin ((state -> 'addressees') jsonb_path_ops)
    WHERE kind = 'campaign';

-- The campaign list filtered by status, in id order.
CREATE INDEX ix_summit_campaign_status ON summit_entity (summit, (state ->> 'status'), id COLLATE "C")
    WHERE kind = 'campaign';
