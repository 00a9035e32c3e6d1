-- Every list as a query that reads a page, not the summit (the task list did it in 0150): the county venues, sub-forums,
-- cooperation projects and partner universities are filtered by the caller's units, ordered and paged in SQL, and the
-- audit trail and each entity's history are paged by a key (a cursor) as well as by offset.
--
-- New STORED generated columns of summit_entity, computed from state (NULL for the kinds they do not describe):
--   list_units      the units an entity belongs to as far as reading it is concerned, as the API writes them
--                   ('county:pingyang', 'university:wmu'): a county venue its county, a sub-forum its host university,
--                   a project its county and partner universities, a university itself. A county or university account
--                   reads the rows whose list_units hold its unit (SummitAccess says the same for one entity).
--   subforum_day    a sub-forum's day, and
--   subforum_start  its start time: the sub-forum list's order (day, start, id).
--
-- The JSON holds dates as "2020-06-12" and times as "09:00:00" (NodaTime's ISO forms); the text casts are not immutable
-- (they read DateStyle), so the functions take the digits apart themselves, like 0150's.

CREATE FUNCTION summit_json_date(value text) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN CASE
    WHEN value ~ '^\d{4}-\d{2}-\d{2}$'
        THEN make_date(substr(value, 1, 4)::integer, substr(value, 6, 2)::integer, substr(value, 9, 2)::integer)
    END;

CREATE FUNCTION summit_json_time(value text) RETURNS time
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN CASE
    WHEN value ~ '^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$'
        THEN make_time(substr(value, 1, 2)::integer, substr(value, 4, 2)::integer,
                       coalesce(nullif(substr(value, 7), ''), '0')::double precision)
    END;

-- prefix || each string of a JSON array ('university:' and ["wmu","wzu"] give {university:wmu,university:wzu}), or of a
-- single JSON string; an empty array for anything else (null, a missing member).
CREATE FUNCTION summit_json_keys(prefix text, items jsonb) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE jsonb_typeof(items)
    WHEN 'string' THEN ARRAY[prefix || (items #>> '{}')]
    WHEN 'array' THEN ARRAY(SELECT prefix || (item #>> '{}') FROM jsonb_array_elements(items) AS item
                            WHERE jsonb_typeof(item) = 'string')
    ELSE '{}'::text[]
    END;

ALTER TABLE summit_entity
    ADD COLUMN list_units text[] GENERATED ALWAYS AS (CASE kind
        WHEN 'county' THEN summit_json_keys('county:', state -> 'county')
        WHEN 'university' THEN summit_json_keys('university:', state -> 'code')
        WHEN 'subForum' THEN summit_json_keys('university:', state -> 'hostUniversity')
        WHEN 'project' THEN summit_json_keys('county:', state -> 'county') || summit_json_keys('university:', state -> 'universities')
        END) STORED,
    ADD COLUMN subforum_day date GENERATED ALWAYS AS (
        CASE WHEN kind = 'subForum' THEN summit_json_date(state ->> 'day') END) STORED,
    ADD COLUMN subforum_start time GENERATED ALWAYS AS (
        CASE WHEN kind = 'subForum' THEN summit_json_time(state ->> 'start') END) STORED;

-- The catalog order of every kind (ids in ordinal order, as the API sorts them): a page of counties, projects or
-- universities is read in order and stops at its limit; count(*) reads only the index.
CREATE INDEX ix_summit_entity_list ON summit_entity (summit, kind, id COLLATE "C");
-- The sub-forum list's order.
CREATE INDEX ix_summit_subforum_list ON summit_entity (summit, subforum_day, subforum_start, id COLLATE "C")
    WHERE kind = 'subForum';
-- A county's or university's own rows: those whose units overlap the caller's (list_units && $units).
CREATE INDEX ix_summit_entity_units ON summit_entity USING gin (list_units) WHERE list_units IS NOT NULL;

-- The audit trail newest first, paged by (at, id): each filter's index ends with both, so a page after a cursor starts
-- in the index at the cursor and reads only its rows. They replace 0101's entity and account indexes, which ended at at.
DROP INDEX ix_summit_audit_entity;
DROP INDEX ix_summit_audit_account;
CREATE INDEX ix_summit_audit_kind_at ON summit_audit (summit, entity_kind, at DESC, id DESC);
CREATE INDEX ix_summit_audit_entity_at ON summit_audit (summit, entity_id, at DESC, id DESC);
CREATE INDEX ix_summit_audit_account_at ON summit_audit (summit, account, at DESC, id DESC);
-- An entity's history oldest first, paged by version, is 0101's unique key (summit, entity_kind, entity_id, version).
