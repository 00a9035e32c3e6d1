-- Files attached to the summit's records (photos, videos, documents of a unit's submission), kept in PostgreSQL.
--
-- summit_file        one row per file: its metadata and, for an image, a small JPEG thumbnail. id is random and
--                    unguessable (f- and 32 hex digits). owner is the unit that uploaded it (county:pingyang,
--                    university:wmu, secretariat:office); a county or university reads only its own unit's files.
--                    content_type and kind are what the content is (its magic bytes), never what the client declared.
--                    complete is false while the content is still arriving: the chunks are written as they come, each in
--                    a short statement of its own, and the request marks the file complete (with its Idempotency-Key's
--                    record) in one transaction once all of it is in; a refused, failed or aborted upload deletes its rows.
--                    attached_to names what references the file (e.g. a submission); files never attached, and uploads
--                    left incomplete by a crash, are deleted by the silos' pruning after a settable time (stored_at is
--                    the database's clock, so the summit's demo clock does not shift it).
-- summit_file_chunk  the content in order, n = 0, 1, 2, … of 256 KiB each (the last one shorter). Chunks keep a
--                    download and an upload to one chunk in memory; deleting the file deletes them.
--
-- Rows of bytea rather than large objects: a large object lives in pg_largeobject apart from the row that names it, is
-- not removed when that row is deleted (it needs lo_unlink or vacuumlo, or it leaks), and has permissions of its own;
-- chunk rows go with their file's row (ON DELETE CASCADE), roll back with it, and are read a chunk per query.
CREATE TABLE summit_file
(
    id           text COLLATE "C" NOT NULL,
    summit       text             NOT NULL,
    owner        text             NOT NULL,
    uploaded_by  text             NOT NULL,
    name         text             NOT NULL,
    content_type text             NOT NULL,
    kind         text             NOT NULL,
    length       bigint           NOT NULL DEFAULT 0,
    sha256       bytea            NULL,
    thumbnail    bytea            NULL,
    uploaded_at  timestamptz      NOT NULL,
    stored_at    timestamptz      NOT NULL DEFAULT now(),
    complete     boolean          NOT NULL DEFAULT false,
    attached_to  text             NULL,

    CONSTRAINT pk_summit_file PRIMARY KEY (id),
    CONSTRAINT ck_summit_file_kind CHECK (kind IN ('image', 'document', 'video', 'spreadsheet', 'other'))
);

CREATE TABLE summit_file_chunk
(
    file_id text COLLATE "C" NOT NULL REFERENCES summit_file (id) ON DELETE CASCADE,
    n       integer          NOT NULL,
    bytes   bytea            NOT NULL,

    CONSTRAINT pk_summit_file_chunk PRIMARY KEY (file_id, n)
);

-- Photos, videos and office files are compressed already: store the chunks out of line without trying to compress them.
ALTER TABLE summit_file_chunk ALTER COLUMN bytes SET STORAGE EXTERNAL;
ALTER TABLE summit_file ALTER COLUMN thumbnail SET STORAGE EXTERNAL;

-- The files of what references them (e.g. a submission's attachments).
CREATE INDEX ix_summit_file_attached ON summit_file (summit, attached_to) WHERE attached_to IS NOT NULL;
-- The pruning's work: files not attached (or not complete), oldest first.
CREATE INDEX ix_summit_file_unattached ON summit_file (stored_at) WHERE attached_to IS NULL;
