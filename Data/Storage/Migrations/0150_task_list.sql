-- The task list (GET /api/summits/{summit}/tasks) as one SQL query that reads a page, not the whole summit: the task
-- fields it filters and sorts on become STORED generated columns of summit_entity, computed from state, and partial
-- indexes on the task rows serve each filter in due order. Adding the columns computes them for the existing rows.
--
-- The columns are NULL for every other kind of entity:
--   task_owner     the owning unit as the API writes it: 'county:pingyang', 'university:wmu', 'secretariat:office'
--   task_status    the status as the JSON writes it: 'notStarted', 'inProgress', 'blocked', 'done', 'cancelled'
--   task_category  the category as the JSON writes it: 'publicity', 'epidemicPrevention', ...
--   task_due_date  the due date (the dueFrom/dueTo filters)
--   task_due_at    the due moment as a local date-time in the summit's zone: the deadline's time, or for a date alone the
--                  end of that day (the next day's 00:00), so a date-only deadline sorts after every timed deadline
--                  of its day, as its due instant does. Sorting and "overdue" compare it with the summit clock's local
--                  now.
--   task_open      neither done nor cancelled, and not set aside by the contingency plan
--
-- state->'due' is {"date": "2020-06-12"} or {"date": "2020-06-12", "time": "17:00:00"} (NodaTime's ISO forms). The text
-- to date and time casts are not immutable (they read DateStyle), so the functions take the digits apart themselves.

CREATE FUNCTION summit_task_due_date(state jsonb) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN CASE
    WHEN state -> 'due' ->> 'date' ~ '^\d{4}-\d{2}-\d{2}$'
        THEN make_date(substr(state -> 'due' ->> 'date', 1, 4)::integer,
                       substr(state -> 'due' ->> 'date', 6, 2)::integer,
                       substr(state -> 'due' ->> 'date', 9, 2)::integer)
    END;

CREATE FUNCTION summit_task_due_at(state jsonb) RETURNS timestamp
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN CASE
    WHEN summit_task_due_date(state) IS NULL THEN NULL
    WHEN state -> 'due' -> 'time' IS NULL OR jsonb_typeof(state -> 'due' -> 'time') = 'null'
        THEN (summit_task_due_date(state) + 1) + make_time(0, 0, 0)
    WHEN state -> 'due' ->> 'time' ~ '^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$'
        THEN summit_task_due_date(state)
             + make_time(substr(state -> 'due' ->> 'time', 1, 2)::integer,
                         substr(state -> 'due' ->> 'time', 4, 2)::integer,
                         coalesce(nullif(substr(state -> 'due' ->> 'time', 7), ''), '0')::double precision)
    END;

ALTER TABLE summit_entity
    ADD COLUMN task_owner    text GENERATED ALWAYS AS (
        CASE WHEN kind = 'task' THEN (state -> 'owner' ->> 'kind') || ':' || (state -> 'owner' ->> 'code') END) STORED,
    ADD COLUMN task_status   text GENERATED ALWAYS AS (CASE WHEN kind = 'task' THEN state ->> 'status' END) STORED,
    ADD COLUMN task_category text GENERATED ALWAYS AS (CASE WHEN kind = 'task' THEN state ->> 'category' END) STORED,
    ADD COLUMN task_due_date date GENERATED ALWAYS AS (CASE WHEN kind = 'task' THEN summit_task_due_date(state) END) STORED,
    ADD COLUMN task_due_at   timestamp GENERATED ALWAYS AS (CASE WHEN kind = 'task' THEN summit_task_due_at(state) END) STORED,
    ADD COLUMN task_open     boolean GENERATED ALWAYS AS (
        CASE WHEN kind = 'task' THEN coalesce(state ->> 'status', '') NOT IN ('done', 'cancelled')
                                     AND coalesce(state -> 'setAside' <> 'true'::jsonb, true) END) STORED;

-- Every list is ordered by (task_due_at, id) with id in ordinal order (COLLATE "C", as the API sorts ids), so each
-- index ends with those two and a page is read in order and stops at its limit. The included columns let the filters
-- that have no index of their own, and count(*), be answered from the index.
CREATE INDEX ix_summit_task_due ON summit_entity (summit, task_due_at, id COLLATE "C")
    INCLUDE (task_owner, task_status, task_category, task_due_date, task_open) WHERE kind = 'task';
CREATE INDEX ix_summit_task_owner_due ON summit_entity (summit, task_owner, task_due_at, id COLLATE "C")
    INCLUDE (task_status, task_category, task_due_date, task_open) WHERE kind = 'task';
CREATE INDEX ix_summit_task_status_due ON summit_entity (summit, task_status, task_due_at, id COLLATE "C")
    INCLUDE (task_owner, task_category, task_due_date, task_open) WHERE kind = 'task';
CREATE INDEX ix_summit_task_owner_status_due ON summit_entity (summit, task_owner, task_status, task_due_at, id COLLATE "C")
    INCLUDE (task_category, task_due_date, task_open) WHERE kind = 'task';
