-- Chapter metadata (the text lives in Versioning under the same id). Numbers are contiguous from 1 and unique per
-- book; the constraint is deferrable so a renumbering checks it once, at commit.
CREATE TABLE chapters (
    id            uuid        PRIMARY KEY,
    project_id    uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    number        integer     NOT NULL CHECK (number >= 1),
    title         text        NOT NULL,
    brief         jsonb,
    status        text        NOT NULL DEFAULT 'not_started'
                  CHECK (status IN ('not_started', 'brief_complete', 'written', 'verified')),
    target_length integer,
    version       integer     NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT chapters_number_unique UNIQUE (project_id, number) DEFERRABLE INITIALLY IMMEDIATE
);

CREATE TABLE story_bibles (
    project_id    uuid        PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    braindump     text,
    genre         text,
    style         text,
    synopsis      text,
    worldbuilding text,
    outline       jsonb       NOT NULL DEFAULT '[]',
    version       integer     NOT NULL DEFAULT 1,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE timeline_events (
    id             uuid        PRIMARY KEY,
    project_id     uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    sequence       integer     NOT NULL CHECK (sequence >= 1),
    description    text        NOT NULL,
    chapter_number integer,
    story_time     text,
    sort_key       text,
    version        integer     NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT timeline_sequence_unique UNIQUE (project_id, sequence) DEFERRABLE INITIALLY IMMEDIATE
);
