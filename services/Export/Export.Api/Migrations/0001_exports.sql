-- Export jobs: one row per requested export; files and their expiry arrive with the export writers.
CREATE TABLE export_jobs (
    id          uuid        PRIMARY KEY,
    project_id  uuid        NOT NULL,
    owner_id    uuid        NOT NULL,
    ref         text        NOT NULL,
    format      text        NOT NULL,
    status      text        NOT NULL DEFAULT 'queued',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX export_jobs_by_project ON export_jobs (project_id, created_at DESC);
