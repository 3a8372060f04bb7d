-- What an export job asked for (pinned to one commit), how far it got, and the file it produced.
ALTER TABLE export_jobs
    ADD COLUMN commit_id     text,
    ADD COLUMN chapter_ids   uuid[],
    ADD COLUMN options       jsonb       NOT NULL DEFAULT '{}',
    ADD COLUMN progress      integer     NOT NULL DEFAULT 0,
    ADD COLUMN attempts      integer     NOT NULL DEFAULT 0,
    ADD COLUMN error         text,
    ADD COLUMN file_name     text,
    ADD COLUMN content_type  text,
    ADD COLUMN storage_key   text,
    ADD COLUMN size_bytes    bigint,
    ADD COLUMN completed_at  timestamptz,
    ADD COLUMN expires_at    timestamptz,
    ADD COLUMN file_deleted  boolean     NOT NULL DEFAULT false;

CREATE INDEX export_jobs_expiring ON export_jobs (expires_at) WHERE storage_key IS NOT NULL AND NOT file_deleted;

-- Export's copy of the book metadata Projects owns, kept from its events: title pages and package metadata come from
-- here, so a running export never waits on Projects, and ownership is answered locally.
CREATE TABLE export_books (
    project_id   uuid        PRIMARY KEY,
    owner_id     uuid        NOT NULL,
    title        text        NOT NULL,
    subtitle     text,
    language     text        NOT NULL DEFAULT 'en',
    author_name  text,
    publisher    text,
    rights       text,
    identifier   text,
    description  text,
    subjects     text[]      NOT NULL DEFAULT '{}',
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Apart from export_books because SeriesUpdated can be consumed before the book's ProjectCreated (separate queues).
CREATE TABLE export_book_series (
    project_id    uuid    PRIMARY KEY,
    series_id     uuid    NOT NULL,
    series_title  text    NOT NULL,
    series_number integer NOT NULL
);

CREATE TABLE export_chapters (
    chapter_id  uuid    PRIMARY KEY,
    project_id  uuid    NOT NULL,
    number      integer NOT NULL,
    title       text    NOT NULL
);

CREATE INDEX export_chapters_by_project ON export_chapters (project_id);
