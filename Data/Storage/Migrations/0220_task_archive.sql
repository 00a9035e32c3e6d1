-- Archived tasks (PATCH {"archived": true}, the secretariat's) leave the default task list, the dashboard and the
-- schedule but stay readable with archived=true. Tasks also gained a planned start and length (state -> 'start',
-- state -> 'durationDays'); both are optional members of the stored JSON, so rows written before read as "not planned"
-- and need no change here.
--
--   task_archived  true when state -> 'archived' is true; false for every other task (rows from before this migration
--                  included), NULL for other kinds
--   task_open      as in 0150, and not archived: an archived task is never overdue, nor on the red list
--
-- task_open is a generated column, which PostgreSQL 15 cannot redefine in place: it is dropped (with the due indexes
-- that include it) and added again, which computes it for the existing rows. The indexes come back as 0150 made them,
-- each including task_archived, so leaving archived tasks out of a list and its count is answered from the index.

DROP INDEX ix_summit_task_due;
DROP INDEX ix_summit_task_owner_due;
DROP INDEX ix_summit_task_status_due;
DROP INDEX ix_summit_task_owner_status_due;

ALTER TABLE summit_entity DROP COLUMN task_open;

ALTER TABLE summit_entity
    ADD COLUMN task_archived boolean GENERATED ALWAYS AS (
        CASE WHEN kind = 'task' THEN coalesce(state -> 'archived' = 'true'::jsonb, false) END) STORED,
    ADD COLUMN task_open     boolean GENERATED ALWAYS AS (
        CASE WHEN kind = 'task' THEN coalesce(state ->> 'status', '') NOT IN ('done', 'cancelled')
                                     AND coalesce(state -> 'setAside' <> 'true'::jsonb, true)
                                     AND coalesce(state -> 'archived' <> 'true'::jsonb, true) END) STORED;

CREATE INDEX ix_summit_task_due ON summit_entity (summit, task_due_at, id COLLATE "C")
    INCLUDE (task_owner, task_status, task_category, task_due_date, task_open, task_archived) WHERE kind = 'task';
CREATE INDEX ix_summit_task_owner_due ON summit_entity (summit, task_owner, task_due_at, id COLLATE "C")
    INCLUDE (task_status, task_category, task_due_date, task_open, task_archived) WHERE kind = 'task';
CREATE INDEX ix_summit_task_status_due ON summit_entity (summit, task_status, task_due_at, id COLLATE "C")
    INCLUDE (task_owner, task_category, task_due_date, task_open, task_archived) WHERE kind = 'task';
CREATE INDEX ix_summit_task_owner_status_due ON summit_entity (summit, task_owner, task_status, task_due_at, id COLLATE "C")
    INCLUDE (task_category, task_due_date, task_open, task_archived) WHERE kind = 'task';
