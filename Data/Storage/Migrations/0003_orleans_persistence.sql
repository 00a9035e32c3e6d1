-- Orleans grain state (Microsoft.Orleans.Persistence.AdoNet, invariant "Npgsql").
--
-- A row is identified by ServiceId, GrainTypeString and the grain key. Since Orleans 7 the
-- provider puts the *state name* (the first argument of [PersistentState]) into GrainTypeString,
-- not the grain class, and the key carries no grain type either: two grain classes that use the
-- same state name and the same key share one row. Give every grain class its own state name.
--
-- Orleans splits the key into two 64-bit halves (GrainIdN0/N1: a Guid, or an integer in N1) plus
-- an optional string (GrainIdExtensionString: a key extension, or the whole key of a string-keyed
-- grain), and sends hashes of key and state name so lookups can start from small integer columns.
--
-- Version is the ETag. Orleans sends the version it last read (@GrainStateVersion, NULL when it
-- has never seen a row) and expects the new version back; getting back nothing, NULL or the
-- same version makes it throw InconsistentStateException.

CREATE TABLE OrleansStorage
(
    GrainIdHash            integer     NOT NULL,
    GrainIdN0              bigint      NOT NULL,
    GrainIdN1              bigint      NOT NULL,
    GrainTypeHash          integer     NOT NULL,
    GrainTypeString        text        NOT NULL,
    GrainIdExtensionString text        NULL,
    ServiceId              text        NOT NULL,
    PayloadBinary          bytea       NULL,
    ModifiedOn             timestamptz NOT NULL DEFAULT now(),
    Version                integer     NOT NULL
);

-- One row per grain state. A NULL extension differs from an empty one, hence the IS NULL term;
-- being a unique index also lets a first write use ON CONFLICT instead of locking the table.
CREATE UNIQUE INDEX ux_orleansstorage_grain ON OrleansStorage
(
    GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, ServiceId, GrainTypeString,
    (GrainIdExtensionString IS NULL), (coalesce(GrainIdExtensionString, ''))
);

-- Writes a grain's state; returns the new version, or NULL when the write lost a race
-- (stale version, or a row appeared although the caller expected none).
CREATE FUNCTION orleans_storage_write(
    p_grain_id_hash   integer,
    p_grain_id_n0     bigint,
    p_grain_id_n1     bigint,
    p_grain_type_hash integer,
    p_grain_type      text,
    p_key_extension   text,
    p_service_id      text,
    p_version         integer,
    p_payload         bytea)
RETURNS integer
LANGUAGE plpgsql
AS $fn$
DECLARE
    v_new_version integer;
BEGIN
    IF p_version IS NULL THEN
        INSERT INTO OrleansStorage
            (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
             GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
        VALUES
            (p_grain_id_hash, p_grain_id_n0, p_grain_id_n1, p_grain_type_hash, p_grain_type,
             p_key_extension, p_service_id, p_payload, now(), 1)
        ON CONFLICT DO NOTHING
        RETURNING Version INTO v_new_version;
    ELSE
        UPDATE OrleansStorage
        SET PayloadBinary = p_payload, ModifiedOn = now(), Version = Version + 1
        WHERE GrainIdHash = p_grain_id_hash AND GrainTypeHash = p_grain_type_hash
          AND GrainIdN0 = p_grain_id_n0 AND GrainIdN1 = p_grain_id_n1
          AND ServiceId = p_service_id AND GrainTypeString = p_grain_type
          AND (GrainIdExtensionString IS NULL) = (p_key_extension IS NULL)
          AND coalesce(GrainIdExtensionString, '') = coalesce(p_key_extension, '')
          AND Version = p_version
        RETURNING Version INTO v_new_version;
    END IF;

    RETURN v_new_version;
END
$fn$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

('WriteToStorageKey', $q$
SELECT orleans_storage_write(
    @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
    @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary) AS NewGrainStateVersion;
$q$),

-- No row means "never written"; a row with NULL payload means "cleared" and keeps its version.
('ReadFromStorageKey', $q$
SELECT PayloadBinary, Version
FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
  AND (GrainIdExtensionString IS NULL) = (@GrainIdExtensionString IS NULL)
  AND coalesce(GrainIdExtensionString, '') = coalesce(@GrainIdExtensionString, '');
$q$),

-- ClearStateAsync with DeleteStateOnClear = false: keep the row (and its version history).
('ClearStorageKey', $q$
UPDATE OrleansStorage
SET PayloadBinary = NULL, ModifiedOn = now(), Version = Version + 1
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
  AND (GrainIdExtensionString IS NULL) = (@GrainIdExtensionString IS NULL)
  AND coalesce(GrainIdExtensionString, '') = coalesce(@GrainIdExtensionString, '')
  AND Version = @GrainStateVersion
RETURNING Version AS NewGrainStateVersion;
$q$),

-- ClearStateAsync with DeleteStateOnClear = true: remove the row. The returned value only has
-- to differ from the caller's version for Orleans to accept the delete.
('DeleteStorageKey', $q$
DELETE FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
  AND (GrainIdExtensionString IS NULL) = (@GrainIdExtensionString IS NULL)
  AND coalesce(GrainIdExtensionString, '') = coalesce(@GrainIdExtensionString, '')
  AND Version = @GrainStateVersion
RETURNING Version + 1 AS NewGrainStateVersion;
$q$)

ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
