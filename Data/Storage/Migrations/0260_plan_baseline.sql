-- The plan baseline: the tasks' planned dates as the secretariat approved them, so the Gantt chart and a task's page can
-- show the plan as approved against the plan as it stands.
--
-- summit_baseline       one row per approval (the baseline's history): its version (1 for the first approval), when, by
--                       whom, the note (why it was approved again) and how many tasks it holds. The latest version is the
--                       baseline in force.
-- summit_baseline_task  the tasks of the baseline in force, one row each: the owner (as task_owner writes it, so a unit
--                       reads only its own rows), the planned start, due date, length in working days and milestone flag
--                       as they were when it was approved. Approving again replaces them in the same transaction as the
--                       approval row (and the request's idempotency record).

CREATE TABLE summit_baseline
(
    summit      text        NOT NULL,
    version     integer     NOT NULL,
    approved_at timestamptz NOT NULL,
    account     text        NOT NULL,
    role        text        NOT NULL,
    unit        text        NULL,
    note        text        NULL,
    task_count  integer     NOT NULL,

    CONSTRAINT pk_summit_baseline PRIMARY KEY (summit, version),
    CONSTRAINT ck_summit_baseline_version CHECK (version > 0)
);

CREATE TABLE summit_baseline_task
(
    summit        text    NOT NULL,
    task_id       text    COLLATE "C" NOT NULL,
    owner         text    COLLATE "C" NOT NULL,
    start_date    date    NULL,
    due_date      date    NOT NULL,
    duration_days integer NULL,
    milestone     boolean NOT NULL,

    CONSTRAINT pk_summit_baseline_task PRIMARY KEY (summit, task_id)
);

-- A unit's page of baseline rows, in the task list's id order.
CREATE INDEX ix_summit_baseline_task_owner ON summit_baseline_task (summit, owner, task_id);
