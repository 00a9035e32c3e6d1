-- Orleans reminders (Microsoft.Orleans.Reminders.AdoNet, invariant "Npgsql").
--
-- GrainId is the full textual grain id (type and key). GrainHash is the grain's uniform hash,
-- an unsigned 32-bit value that Orleans sends reinterpreted as a signed integer; each silo reads
-- the reminders whose hash falls in its slice of the consistent-hash ring. Period is in
-- milliseconds. Version is the ETag.

CREATE TABLE OrleansRemindersTable
(
    ServiceId    text           NOT NULL,
    GrainId      text           NOT NULL,
    ReminderName text           NOT NULL,
    StartTime    timestamptz(3) NOT NULL,
    Period       bigint         NOT NULL,
    GrainHash    integer        NOT NULL,
    Version      integer        NOT NULL,

    CONSTRAINT pk_orleansreminderstable PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

-- Serves the ring-range reads every silo runs periodically.
CREATE INDEX ix_orleansreminderstable_hash ON OrleansRemindersTable (ServiceId, GrainHash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- Returns the new ETag: 0 for a new reminder, previous + 1 when it replaces one.
('UpsertReminderRowKey', $q$
INSERT INTO OrleansRemindersTable AS r
    (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
VALUES
    (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT ON CONSTRAINT pk_orleansreminderstable DO UPDATE
SET StartTime = EXCLUDED.StartTime,
    Period    = EXCLUDED.Period,
    GrainHash = EXCLUDED.GrainHash,
    Version   = r.Version + 1
RETURNING r.Version AS Version;
$q$),

('ReadReminderRowsKey', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainId = @GrainId;
$q$),

('ReadReminderRowKey', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName;
$q$),

-- Ring range (@BeginHash, @EndHash] that does not wrap around in signed order.
('ReadRangeRows1Key', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainHash > @BeginHash AND GrainHash <= @EndHash;
$q$),

-- Ring range that wraps around (also the whole ring when @BeginHash = @EndHash).
('ReadRangeRows2Key', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);
$q$),

-- Single value, non-zero when the reminder with the expected ETag was removed.
('DeleteReminderRowKey', $q$
WITH removed AS (
    DELETE FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName
      AND Version = @Version
    RETURNING 1
)
SELECT count(*)::integer FROM removed;
$q$),

('DeleteReminderRowsKey', $q$
DELETE FROM OrleansRemindersTable WHERE ServiceId = @ServiceId;
$q$)

ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
