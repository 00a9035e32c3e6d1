-- Comments on preparation tasks: one row per comment, written with the Idempotency-Key's row in one transaction.
--
-- A comment is a thread's first comment (parent_id NULL) or a reply to one; replies are one level deep. seq numbers the
-- comments in the order they were stored; thread is the seq of the thread's first comment, so (thread, seq) lists the
-- comments oldest first with each reply right after its thread. mentions are units as county:pingyang.
-- notify_pending marks a comment whose mentions have not been delivered as notifications yet: each silo's dispatcher
-- claims such rows for a short lease (claimed_until), stores the notifications and clears the mark, so a mention is
-- notified after its comment committed and never on the request path.
CREATE SEQUENCE summit_task_comment_seq;

CREATE TABLE summit_task_comment
(
    summit         text             NOT NULL,
    task_id        text             NOT NULL,
    id             text COLLATE "C" NOT NULL,
    seq            bigint           NOT NULL,
    thread         bigint           NOT NULL,
    parent_id      text             NULL,
    author         text             NOT NULL,
    author_role    text             NOT NULL,
    author_unit    text             NULL,
    body           text             NOT NULL,
    mentions       text[]           NOT NULL DEFAULT '{}',
    created_at     timestamptz      NOT NULL,
    notify_pending boolean          NOT NULL DEFAULT false,
    claimed_until  timestamptz      NULL,

    CONSTRAINT pk_summit_task_comment PRIMARY KEY (summit, id)
);

-- A task's comments in page order (and their count).
CREATE INDEX ix_summit_task_comment_task ON summit_task_comment (summit, task_id, thread, seq);
-- The dispatcher's queue: only comments whose mentions are not yet notified.
CREATE INDEX ix_summit_task_comment_pending ON summit_task_comment (seq) WHERE notify_pending;
