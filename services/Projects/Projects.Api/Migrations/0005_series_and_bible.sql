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

-- project_id is the key: a book belongs to at most one series. Sequence uniqueness is checked at commit so a
-- renumbering can pass through intermediate duplicates inside its transaction.
CREATE TABLE series_books (
    project_id uuid    PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    series_id  uuid    NOT NULL REFERENCES series (id) ON DELETE CASCADE,
    sequence   integer NOT NULL CHECK (sequence >= 1),
    CONSTRAINT series_books_unique_sequence UNIQUE (series_id, sequence) DEFERRABLE INITIALLY DEFERRED
);

-- A bible entry belongs to a book or to a series. A book entry may override a series entry for that book only;
-- when the series entry goes, the override stays as the book's own entry.
CREATE TABLE characters (
    id           uuid        PRIMARY KEY,
    project_id   uuid        REFERENCES projects (id) ON DELETE CASCADE,
    series_id    uuid        REFERENCES series (id) ON DELETE CASCADE,
    overrides_id uuid        REFERENCES characters (id) ON DELETE SET NULL,
    name         text        NOT NULL,
    aliases      text[]      NOT NULL DEFAULT '{}',
    description  text,
    role         text        NOT NULL,
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
CREATE UNIQUE INDEX characters_one_override_per_book ON characters (project_id, overrides_id) WHERE overrides_id IS NOT NULL;

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

CREATE INDEX world_entries_by_project ON world_entries (project_id) WHERE project_id IS NOT NULL;
CREATE INDEX world_entries_by_series ON world_entries (series_id) WHERE series_id IS NOT NULL;
CREATE UNIQUE INDEX world_entries_one_override_per_book ON world_entries (project_id, overrides_id) WHERE overrides_id IS NOT NULL;

-- character_id may be an inherited series character, so it is not tied to the book by the foreign key.
CREATE TABLE character_appearances (
    id              uuid        PRIMARY KEY,
    project_id      uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    character_id    uuid        NOT NULL REFERENCES characters (id) ON DELETE CASCADE,
    chapter         integer     NOT NULL CHECK (chapter >= 1),
    role            text        NOT NULL CHECK (role IN ('pov', 'present', 'mentioned')),
    emotional_state text,
    source          text        NOT NULL CHECK (source IN ('manual', 'extraction')),
    status          text        NOT NULL CHECK (status IN ('suggested', 'accepted', 'rejected')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (source = 'extraction' OR status = 'accepted')
);

CREATE UNIQUE INDEX appearances_one_per_source ON character_appearances (project_id, chapter, character_id, source);
CREATE INDEX appearances_by_character ON character_appearances (project_id, character_id, chapter);
