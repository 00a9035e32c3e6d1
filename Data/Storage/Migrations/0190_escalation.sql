-- The escalation ladders' tasks, one row each (IEscalationStore), instead of a dictionary inside each summit's
-- escalation grain state that was rewritten whole on every change and grew with the number of overdue tasks.
--
-- entry is the record in Summit's JSON ({"taskId","due","overdueSince","title","owner","assignee","climbed",
-- "redListedAt"}); the columns beside it are what the queries select and order by.

CREATE TABLE summit_escalation
(
    summit        text        NOT NULL,
    task_id       text        NOT NULL,
    overdue_since timestamptz NOT NULL,
    red_listed_at timestamptz NULL,
    entry         jsonb       NOT NULL,

    CONSTRAINT pk_summit_escalation PRIMARY KEY (summit, task_id)
);

-- The red list, longest overdue first, a page at a time.
CREATE INDEX ix_summit_escalation_red_list ON summit_escalation (summit, overdue_since, task_id COLLATE "C")
    WHERE red_listed_at IS NOT NULL;

-- Ladders stored by earlier versions in the escalation grain state (JSON {"ladder": ..., "tasks": {"<task id>": {...}}})
-- move here.
INSERT INTO summit_escalation (summit, task_id, overdue_since, red_listed_at, entry)
SELECT DISTINCT ON (l.summit, t.key)
       l.summit, t.key, (t.value ->> 'overdueSince')::timestamptz, (t.value ->> 'redListedAt')::timestamptz,
       t.value || jsonb_build_object('taskId', t.key)
FROM (
    SELECT s.GrainIdExtensionString                     AS summit,
           convert_from(s.PayloadBinary, 'UTF8')::jsonb AS payload,
           s.ModifiedOn                                 AS modified_on
    FROM OrleansStorage s
    WHERE s.GrainTypeString = 'escalation'
      AND s.PayloadBinary IS NOT NULL
      AND s.GrainIdExtensionString IS NOT NULL
) l
CROSS JOIN LATERAL jsonb_each(CASE WHEN jsonb_typeof(l.payload) = 'object' AND jsonb_typeof(l.payload -> 'tasks') = 'object'
                                   THEN l.payload -> 'tasks' ELSE '{}'::jsonb END) AS t(key, value)
WHERE jsonb_typeof(t.value) = 'object' AND t.value ? 'overdueSince'
ORDER BY l.summit, t.key, l.modified_on DESC
ON CONFLICT DO NOTHING;

-- The grain no longer reads the dictionary; dropping it keeps its state small from the first write on.
UPDATE OrleansStorage s
SET PayloadBinary = convert_to((convert_from(s.PayloadBinary, 'UTF8')::jsonb - 'tasks')::text, 'UTF8')
WHERE s.GrainTypeString = 'escalation'
  AND s.PayloadBinary IS NOT NULL
  AND jsonb_typeof(convert_from(s.PayloadBinary, 'UTF8')::jsonb) = 'object';
