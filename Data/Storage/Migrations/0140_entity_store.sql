-- The store of record for Summit's entities: one row per entity with its current state, written in one transaction with
-- the entity's history row in summit_audit and, for a keyed API request, its row in summit_idempotency.
--
-- kind is the EntityKind in camelCase (as in summit_audit); a summit's row has its own code as summit and id.
-- revision counts every write of the row and guards it: a commit names the revision it was computed from.
-- version is the entity's version (its ETag), also inside state.

CREATE TABLE summit_entity
(
    summit     text        NOT NULL,
    kind       text        NOT NULL,
    id         text        NOT NULL,
    revision   bigint      NOT NULL,
    version    integer     NOT NULL,
    state      jsonb       NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT pk_summit_entity PRIMARY KEY (summit, kind, id)
);

-- A keyed request's row is now written by the entity commit that applied it: which entity and version it produced.
-- status stays NULL until the Gateway stores the response it answered with.
ALTER TABLE summit_idempotency
    ADD COLUMN applied_kind    text    NULL,
    ADD COLUMN applied_id      text    NULL,
    ADD COLUMN applied_version integer NULL;

-- Entities stored by earlier versions as Orleans grain state (JSON {"entity": ..., "history": [...]}) move here; their
-- history entries fill any gap in the audit trail (the audit row of a change was written after its state before).
CREATE TEMP TABLE legacy_entity ON COMMIT DROP AS
SELECT DISTINCT ON (summit, kind, id) summit, kind, id, payload, modified_on
FROM (
    SELECT CASE WHEN s.GrainTypeString = 'summit' THEN s.GrainIdExtensionString
                ELSE split_part(s.GrainIdExtensionString, '/', 1) END                            AS summit,
           CASE s.GrainTypeString WHEN 'subforum' THEN 'subForum' ELSE s.GrainTypeString END AS kind,
           CASE WHEN s.GrainTypeString = 'summit' THEN s.GrainIdExtensionString
                ELSE substr(s.GrainIdExtensionString, strpos(s.GrainIdExtensionString, '/') + 1) END AS id,
           convert_from(s.PayloadBinary, 'UTF8')::jsonb                                        AS payload,
           s.ModifiedOn                                                                        AS modified_on
    FROM OrleansStorage s
    WHERE s.GrainTypeString IN ('summit', 'task', 'subforum', 'county', 'project', 'university')
      AND s.PayloadBinary IS NOT NULL
      AND s.GrainIdExtensionString IS NOT NULL
      AND (s.GrainTypeString = 'summit' OR strpos(s.GrainIdExtensionString, '/') > 1)
) stored
WHERE jsonb_typeof(payload -> 'entity') = 'object'
ORDER BY summit, kind, id, modified_on DESC;

INSERT INTO summit_entity (summit, kind, id, revision, version, state, updated_at)
SELECT summit, kind, id, 1, (payload -> 'entity' ->> 'version')::integer, payload -> 'entity', modified_on
FROM legacy_entity
ON CONFLICT ON CONSTRAINT pk_summit_entity DO NOTHING;

INSERT INTO summit_audit (summit, entity_kind, entity_id, version, at, account, role, unit, changes, note)
SELECT l.summit, l.kind, l.id, (h ->> 'version')::integer, (h ->> 'at')::timestamptz, h ->> 'account', h ->> 'role',
       h ->> 'unit', coalesce(h -> 'changes', '[]'::jsonb), h ->> 'note'
FROM legacy_entity l
CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(l.payload -> 'history') = 'array'
                                             THEN l.payload -> 'history' ELSE '[]'::jsonb END) h
ORDER BY l.summit, l.kind, l.id, (h ->> 'version')::integer
ON CONFLICT ON CONSTRAINT ux_summit_audit_change DO NOTHING;

DELETE FROM OrleansStorage
WHERE GrainTypeString IN ('summit', 'task', 'subforum', 'county', 'project', 'university');
