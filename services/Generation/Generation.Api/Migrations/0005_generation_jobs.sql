-- The generation saga: one row per job. The searchable parts are columns; the whole saga state is data (JSON);
-- version is the optimistic-concurrency check every saga update makes.
CREATE TABLE generation_jobs (
    id              uuid        PRIMARY KEY,
    version         integer     NOT NULL,
    state           text        NOT NULL,
    owner_id        uuid        NOT NULL,
    project_id      uuid        NOT NULL,
    branch          text        NOT NULL,
    idempotency_key text,
    ticket          integer     NOT NULL DEFAULT 0,
    data            jsonb       NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    dispatched_at   timestamptz,
    nudged_ticket   integer,
    UNIQUE (owner_id, idempotency_key)
);

CREATE INDEX generation_jobs_by_project ON generation_jobs (project_id, created_at DESC);
CREATE INDEX generation_jobs_waiting ON generation_jobs (created_at) WHERE state = 'Queued';
CREATE INDEX generation_jobs_active ON generation_jobs (project_id, branch) WHERE state IN ('Running', 'Compensating');

-- What each chapter's steps produced, so a step redone after a crash finds the earlier steps' work.
CREATE TABLE job_chapters (
    job_id         uuid    NOT NULL REFERENCES generation_jobs (id) ON DELETE CASCADE,
    chapter_number integer NOT NULL,
    brief          jsonb,
    text           text,
    written_ticket integer,
    context        jsonb,
    PRIMARY KEY (job_id, chapter_number)
);

-- Summaries of chapter texts by content id: a chapter edited by hand has a new content id, so its new text is summarised.
CREATE TABLE chapter_summaries (
    project_id uuid        NOT NULL,
    content_id text        NOT NULL,
    summary    text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, content_id)
);
