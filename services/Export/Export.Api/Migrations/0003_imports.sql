-- Imports of a git repository (bundle or tarball, DraftForge layout) as new commits on a book's branch.
CREATE TABLE import_jobs (
    id                uuid        PRIMARY KEY,
    project_id        uuid        NOT NULL,
    owner_id          uuid        NOT NULL,
    branch            text        NOT NULL,
    upload_key        text        NOT NULL,
    upload_kind       text        NOT NULL,
    status            text        NOT NULL DEFAULT 'queued',
    attempts          integer     NOT NULL DEFAULT 0,
    commits_imported  integer     NOT NULL DEFAULT 0,
    error             text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX import_jobs_by_project ON import_jobs (project_id, created_at DESC);
