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

-- Series and the bible entries (characters, world) that live at book or series level. A book entry may
-- override a series entry for that book only.
CREATE TABLE series (
    id          uuid        PRIMARY KEY,
    owner_id    uuid        NOT NULL,
    title       text        NOT NULL,
    description text,
    version     integer     NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX series_by_owner ON series (owner_id, created_at DESC, id);

CREATE TABLE series_books (
    series_id  uuid    NOT NULL REFERENCES series (id) ON DELETE CASCADE,
    project_id uuid    NOT NULL UNIQUE REFERENCES projects (id) ON DELETE CASCADE,
    position   integer NOT NULL CHECK (position >= 1),
    PRIMARY KEY (series_id, project_id),
    CONSTRAINT series_position_unique UNIQUE (series_id, position) DEFERRABLE INITIALLY IMMEDIATE
);

CREATE TABLE characters (
    id           uuid        PRIMARY KEY,
    project_id   uuid        REFERENCES projects (id) ON DELETE CASCADE,
    series_id    uuid        REFERENCES series (id) ON DELETE CASCADE,
    overrides_id uuid        REFERENCES characters (id) ON DELETE SET NULL,
    name         text        NOT NULL,
    aliases      text[]      NOT NULL DEFAULT '{}',
    description  text,
    role         text,
    arc          text,
    traits       text[]      NOT NULL DEFAULT '{}',
    facts        jsonb       NOT NULL DEFAULT '[]',
    version      integer     NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CHECK ((project_id IS NULL) <> (series_id IS NULL)),
    CHECK (overrides_id IS NULL OR project_id IS NOT NULL)
);

CREATE INDEX characters_by_project ON characters (project_id) WHERE project_id IS NOT NULL;
CREATE INDEX characters_by_series ON characters (series_id) WHERE series_id IS NOT NULL;

CREATE TABLE world_entries (
    id           uuid        PRIMARY KEY,
    project_id   uuid        REFERENCES projects (id) ON DELETE CASCADE,
    series_id    uuid        REFERENCES series (id) ON DELETE CASCADE,
    overrides_id uuid        REFERENCES world_entries (id) ON DELETE SET NULL,
    kind         text        NOT NULL CHECK (kind IN ('place', 'organisation', 'object', 'concept', 'other')),
    name         text        NOT NULL,
    description  text,
    facts        jsonb       NOT NULL DEFAULT '[]',
    version      integer     NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CHECK ((project_id IS NULL) <> (series_id IS NULL)),
    CHECK (overrides_id IS NULL OR project_id IS NOT NULL)
);

CREATE INDEX world_by_project ON world_entries (project_id) WHERE project_id IS NOT NULL;
CREATE INDEX world_by_series ON world_entries (series_id) WHERE series_id IS NOT NULL;

-- Who appears in which chapter: written by hand, or suggested by Continuity's extraction for the writer to accept.
CREATE TABLE appearances (
    id              uuid        PRIMARY KEY,
    project_id      uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    character_id    uuid        NOT NULL REFERENCES characters (id) ON DELETE CASCADE,
    chapter_number  integer     NOT NULL CHECK (chapter_number >= 1),
    role            text        NOT NULL CHECK (role IN ('pov', 'present', 'mentioned')),
    emotional_state text,
    source          text        NOT NULL CHECK (source IN ('manual', 'extraction')),
    status          text        NOT NULL CHECK (status IN ('suggested', 'accepted', 'rejected')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (project_id, character_id, chapter_number, source)
);

CREATE TABLE user_settings (
    user_id                   uuid        PRIMARY KEY,
    default_provider          text        NOT NULL,
    default_model             text,
    autosave_interval_seconds integer     NOT NULL,
    default_export_format     text        NOT NULL,
    time_zone                 text        NOT NULL,
    version                   integer     NOT NULL DEFAULT 1,
    updated_at                timestamptz NOT NULL DEFAULT now()
);

-- Writing stats from Versioning's ChapterRevisionCommitted: current counts per chapter on main, and one row per
-- commit's word deltas so days can be counted in whatever time zone the writer has now.
CREATE TABLE chapter_stats (
    project_id uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    chapter_id uuid        NOT NULL,
    words      integer     NOT NULL,
    characters integer     NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (project_id, chapter_id)
);

CREATE TABLE writing_events (
    project_id    uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    commit_id     text        NOT NULL,
    committed_at  timestamptz NOT NULL,
    words_added   integer     NOT NULL,
    words_removed integer     NOT NULL,
    human         boolean     NOT NULL,
    PRIMARY KEY (project_id, commit_id)
);
