-- Orleans cluster membership (Microsoft.Orleans.Clustering.AdoNet, invariant "Npgsql").
--
-- DeploymentId is Orleans' ClusterId. Each cluster has one version row; every membership change
-- must move that version forward by exactly one, and only if the caller saw the current version
-- (optimistic concurrency on the whole table, as the membership protocol requires).
-- Silo status codes: 1 Created, 2 Joining, 3 Active, 4 ShuttingDown, 5 Stopping, 6 Dead.

CREATE TABLE OrleansMembershipVersionTable
(
    DeploymentId text        NOT NULL,
    Timestamp    timestamptz NOT NULL DEFAULT now(),
    Version      integer     NOT NULL DEFAULT 0,

    CONSTRAINT pk_orleansmembershipversiontable PRIMARY KEY (DeploymentId)
);

CREATE TABLE OrleansMembershipTable
(
    DeploymentId text           NOT NULL,
    Address      text           NOT NULL,
    Port         integer        NOT NULL,
    Generation   integer        NOT NULL,
    SiloName     text           NOT NULL,
    HostName     text           NOT NULL,
    Status       integer        NOT NULL,
    ProxyPort    integer        NOT NULL DEFAULT 0,
    SuspectTimes text           NULL,
    -- Millisecond precision: Orleans compares these values after a round trip.
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,

    CONSTRAINT pk_orleansmembershiptable PRIMARY KEY (DeploymentId, Address, Port, Generation),
    -- Removing a cluster's version row removes its silos with it.
    CONSTRAINT fk_orleansmembershiptable_version FOREIGN KEY (DeploymentId)
        REFERENCES OrleansMembershipVersionTable (DeploymentId) ON DELETE CASCADE
);

-- Adds a silo row and bumps the table version in one step; returns 1 on success, 0 when the
-- caller's version is stale or the silo row already exists (and then changes nothing).
CREATE FUNCTION orleans_membership_insert(
    p_deployment_id  text,
    p_address        text,
    p_port           integer,
    p_generation     integer,
    p_silo_name      text,
    p_host_name      text,
    p_status         integer,
    p_proxy_port     integer,
    p_start_time     timestamptz,
    p_i_am_alive     timestamptz,
    p_version        integer)
RETURNS integer
LANGUAGE plpgsql
AS $fn$
BEGIN
    -- Lock the version row first so concurrent writers serialize on it; a writer that waited
    -- re-reads the row afterwards and no longer matches the version it expected.
    PERFORM 1
    FROM OrleansMembershipVersionTable
    WHERE DeploymentId = p_deployment_id AND Version = p_version
    FOR UPDATE;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;

    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
    VALUES
        (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status,
         coalesce(p_proxy_port, 0), p_start_time, p_i_am_alive)
    ON CONFLICT ON CONSTRAINT pk_orleansmembershiptable DO NOTHING;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;

    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1, Timestamp = now()
    WHERE DeploymentId = p_deployment_id;
    RETURN 1;
END
$fn$;

-- Updates a silo's status and suspicions and bumps the table version in one step;
-- returns 1 on success, 0 when the version is stale or the silo row is missing.
CREATE FUNCTION orleans_membership_update(
    p_deployment_id  text,
    p_address        text,
    p_port           integer,
    p_generation     integer,
    p_status         integer,
    p_suspect_times  text,
    p_i_am_alive     timestamptz,
    p_version        integer)
RETURNS integer
LANGUAGE plpgsql
AS $fn$
BEGIN
    PERFORM 1
    FROM OrleansMembershipVersionTable
    WHERE DeploymentId = p_deployment_id AND Version = p_version
    FOR UPDATE;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;

    UPDATE OrleansMembershipTable
    SET Status = p_status, SuspectTimes = p_suspect_times, IAmAliveTime = p_i_am_alive
    WHERE DeploymentId = p_deployment_id
      AND Address = p_address AND Port = p_port AND Generation = p_generation;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;

    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1, Timestamp = now()
    WHERE DeploymentId = p_deployment_id;
    RETURN 1;
END
$fn$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- Creates the cluster's version row on first start; single value, non-zero when created.
('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO OrleansMembershipVersionTable (DeploymentId)
    VALUES (@DeploymentId)
    ON CONFLICT (DeploymentId) DO NOTHING
    RETURNING 1
)
SELECT count(*)::integer FROM created;
$q$),

('InsertMembershipKey', $q$
SELECT orleans_membership_insert(
    @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
    @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version);
$q$),

('UpdateMembershipKey', $q$
SELECT orleans_membership_update(
    @DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes, @IAmAliveTime, @Version);
$q$),

-- Heartbeat; deliberately outside the versioning scheme.
('UpdateIAmAlivetimeKey', $q$
UPDATE OrleansMembershipTable
SET IAmAliveTime = @IAmAliveTime
WHERE DeploymentId = @DeploymentId
  AND Address = @Address AND Port = @Port AND Generation = @Generation;
$q$),

-- The outer join yields the version even when no silo matches; Orleans treats a row with a
-- NULL StartTime as "version only".
('MembershipReadRowKey', $q$
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
       m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT JOIN OrleansMembershipTable m
       ON m.DeploymentId = v.DeploymentId
      AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
WHERE v.DeploymentId = @DeploymentId;
$q$),

('MembershipReadAllKey', $q$
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
       m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = @DeploymentId;
$q$),

-- The foreign key cascades to the silo rows.
('DeleteMembershipTableEntriesKey', $q$
DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
$q$),

-- Used by clients; @Status is Active (3).
('GatewaysQueryKey', $q$
SELECT Address, ProxyPort, Generation
FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0;
$q$),

-- Bulk clean-up of long-dead silos; only used when CleanupDefunctSiloEntryKey is absent.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Status = 6
  AND IAmAliveTime < @IAmAliveTime
  AND StartTime < @IAmAliveTime;
$q$),

-- Per-row clean-up (Orleans 10.4+): Orleans first reads the table, picks dead silos older than
-- the cut-off, then deletes each one only if the row still holds exactly the values it saw,
-- so a row that changed in between is left alone.
('CleanupDefunctSiloEntryKey', $q$
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Address = @Address AND Port = @Port AND Generation = @Generation
  AND Status = 6
  AND StartTime = @StartTime
  AND IAmAliveTime = @IAmAliveTime
  AND coalesce(SuspectTimes, '') = coalesce(@SuspectTimes, '');
$q$)

ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
