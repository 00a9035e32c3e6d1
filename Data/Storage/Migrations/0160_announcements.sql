-- The announcements of the deadline engines, one row each (IAnnouncementStore), instead of a list inside each summit's
-- deadline grain state that was rewritten whole on every change and grew with the summit's history.
--
-- kind is the DueKind in camelCase (dueSoon, dueToday, overdue), as in Summit's JSON. An announcement is made at most
-- once per task, deadline, kind and lead: the unique index makes appending it twice a no-op (the nullable parts
-- coalesced, so a missing lead or due time compares equal). seq keeps the order they were made in; delivered turns true
-- once the escalation grain accepted the announcement.

CREATE TABLE summit_announcement
(
    summit        text        NOT NULL,
    seq           bigint      GENERATED ALWAYS AS IDENTITY,
    task_id       text        NOT NULL,
    kind          text        NOT NULL,
    lead_days     integer     NULL,
    deadline_date date        NOT NULL,
    deadline_time time        NULL,
    state_since   timestamptz NOT NULL,
    announced_at  timestamptz NOT NULL,
    delivered     boolean     NOT NULL DEFAULT false,

    CONSTRAINT pk_summit_announcement PRIMARY KEY (summit, seq)
);

CREATE UNIQUE INDEX ux_summit_announcement_made ON summit_announcement
    (summit, task_id, deadline_date, (coalesce(deadline_time, '24:00'::time)), kind, (coalesce(lead_days, -1)));

CREATE INDEX ix_summit_announcement_undelivered ON summit_announcement (summit, seq) WHERE NOT delivered;

-- Announcements stored by earlier versions in the deadline grain state (JSON {"calendar": ..., "announced": [...],
-- "undelivered": [...], ...}) move here in the order they were made; those still in "undelivered" stay undelivered.
CREATE TEMP TABLE legacy_deadlines ON COMMIT DROP AS
SELECT DISTINCT ON (summit) summit, payload
FROM (
    SELECT s.GrainIdExtensionString                       AS summit,
           convert_from(s.PayloadBinary, 'UTF8')::jsonb   AS payload,
           s.ModifiedOn                                   AS modified_on
    FROM OrleansStorage s
    WHERE s.GrainTypeString = 'deadlines'
      AND s.PayloadBinary IS NOT NULL
      AND s.GrainIdExtensionString IS NOT NULL
) stored
WHERE jsonb_typeof(payload) = 'object'
ORDER BY summit, modified_on DESC;

CREATE TEMP TABLE legacy_announcement ON COMMIT DROP AS
SELECT l.summit, a.r, a.n, false AS undelivered
FROM legacy_deadlines l
CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(l.payload -> 'announced') = 'array'
                                             THEN l.payload -> 'announced' ELSE '[]'::jsonb END) WITH ORDINALITY AS a(r, n)
UNION ALL
-- Undelivered ones were always in "announced" too; taking them again (after the announced ones) loses none if not.
SELECT l.summit, u.r, 1000000000 + u.n, true
FROM legacy_deadlines l
CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(l.payload -> 'undelivered') = 'array'
                                             THEN l.payload -> 'undelivered' ELSE '[]'::jsonb END) WITH ORDINALITY AS u(r, n);

INSERT INTO summit_announcement (summit, task_id, kind, lead_days, deadline_date, deadline_time, state_since, announced_at, delivered)
SELECT a.summit, a.r ->> 'taskId', a.r ->> 'kind', (a.r ->> 'leadDays')::integer, (a.r -> 'deadline' ->> 'date')::date,
       (a.r -> 'deadline' ->> 'time')::time, (a.r ->> 'stateSince')::timestamptz, (a.r ->> 'announcedAt')::timestamptz,
       NOT EXISTS (SELECT 1 FROM legacy_announcement u
                   WHERE u.undelivered AND u.summit = a.summit
                     AND u.r ->> 'taskId' = a.r ->> 'taskId'
                     AND u.r -> 'deadline' = a.r -> 'deadline'
                     AND u.r ->> 'kind' = a.r ->> 'kind'
                     AND (u.r ->> 'leadDays') IS NOT DISTINCT FROM (a.r ->> 'leadDays'))
FROM legacy_announcement a
WHERE jsonb_typeof(a.r) = 'object'
ORDER BY a.summit, a.n
ON CONFLICT DO NOTHING;

-- The grain no longer reads the lists; dropping them keeps its state small from the first write on.
UPDATE OrleansStorage s
SET PayloadBinary = convert_to((convert_from(s.PayloadBinary, 'UTF8')::jsonb - 'announced' - 'undelivered')::text, 'UTF8')
WHERE s.GrainTypeString = 'deadlines'
  AND s.PayloadBinary IS NOT NULL
  AND jsonb_typeof(convert_from(s.PayloadBinary, 'UTF8')::jsonb) = 'object';
