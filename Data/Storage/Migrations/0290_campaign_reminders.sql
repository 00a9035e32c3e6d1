-- Reminders of the units that have not handed in their submission to a published campaign (ICampaignReminderStore).
--
-- summit_campaign_reminder: one row per reminder made, written after its notifications are stored, so a pass that is
-- late, repeated or replayed after a crash makes nothing twice (the primary key; the notification id is derived from
-- the same key, so an inbox stores it once). cycle is '{deadline}#{hand-ins}' (a moved deadline or a returned
-- submission starts a new one); step is dueSoon:N, dueToday, overdue, lead, secretariat, or nudge:N for the N-th 催报.
CREATE TABLE summit_campaign_reminder
(
    summit          text             NOT NULL,
    campaign        text COLLATE "C" NOT NULL,
    unit            text COLLATE "C" NOT NULL,
    cycle           text COLLATE "C" NOT NULL,
    step            text COLLATE "C" NOT NULL,
    at              timestamptz      NOT NULL,
    notification_id text             NOT NULL,

    CONSTRAINT pk_summit_campaign_reminder PRIMARY KEY (summit, campaign, unit, cycle, step)
);

-- 催报: the secretariat reminded every open unit of a campaign at once, at most once an hour. number counts a
-- campaign's nudges from 1; delivered is set once the units' notifications are stored (a crash in between is finished
-- by the summit's reminder grain on its next pass).
CREATE TABLE summit_campaign_nudge
(
    summit    text             NOT NULL,
    campaign  text COLLATE "C" NOT NULL,
    number    integer          NOT NULL,
    at        timestamptz      NOT NULL,
    account   text             NOT NULL,
    units     text[]           NOT NULL,
    delivered boolean          NOT NULL DEFAULT false,

    CONSTRAINT pk_summit_campaign_nudge PRIMARY KEY (summit, campaign, number)
);

CREATE INDEX ix_summit_campaign_nudge_pending ON summit_campaign_nudge (summit, at) WHERE NOT delivered;
