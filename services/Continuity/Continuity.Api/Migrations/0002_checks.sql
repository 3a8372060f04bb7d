-- Continuity's own view of each book (projected from Projects' events), its check runs, waivers,
-- what each chapter's latest check extracted, and the chapters a change made stale.
CREATE TABLE projects (
    project_id           uuid             PRIMARY KEY,
    owner_id             uuid             NOT NULL,
    point_of_view        text             NOT NULL DEFAULT 'third',
    tense                text             NOT NULL DEFAULT 'past',
    banned_phrases       jsonb            NOT NULL DEFAULT '[]',
    repetition_threshold integer          NOT NULL DEFAULT 3,
    length_tolerance     double precision NOT NULL DEFAULT 0.5,
    auto_recheck         boolean          NOT NULL DEFAULT true,
    created_at           timestamptz      NOT NULL DEFAULT now()
);

CREATE TABLE characters (
    project_id   uuid  NOT NULL REFERENCES projects ON DELETE CASCADE,
    character_id uuid  NOT NULL,
    name         text  NOT NULL,
    aliases      jsonb NOT NULL,
    facts        jsonb NOT NULL,
    overrides    uuid,
    PRIMARY KEY (project_id, character_id)
);

CREATE TABLE places (
    project_id uuid NOT NULL REFERENCES projects ON DELETE CASCADE,
    entry_id   uuid NOT NULL,
    name       text NOT NULL,
    overrides  uuid,
    PRIMARY KEY (project_id, entry_id)
);

CREATE TABLE chapters (
    project_id    uuid    NOT NULL REFERENCES projects ON DELETE CASCADE,
    chapter_id    uuid    NOT NULL,
    number        integer NOT NULL,
    title         text    NOT NULL,
    target_length integer,
    PRIMARY KEY (project_id, chapter_id)
);

CREATE TABLE timeline_events (
    project_id     uuid    NOT NULL REFERENCES projects ON DELETE CASCADE,
    event_id       uuid    NOT NULL,
    sequence       integer NOT NULL,
    description    text    NOT NULL,
    chapter_number integer,
    story_time     text,
    sort_key       text,
    PRIMARY KEY (project_id, event_id)
);

CREATE TABLE extractions (
    project_id     uuid        NOT NULL REFERENCES projects ON DELETE CASCADE,
    chapter_id     uuid        NOT NULL,
    chapter_number integer     NOT NULL,
    commit_id      text        NOT NULL,
    appearances    jsonb       NOT NULL,
    unknown_names  jsonb       NOT NULL,
    facts          jsonb       NOT NULL,
    dates          jsonb       NOT NULL,
    extracted_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, chapter_id)
);

CREATE TABLE check_runs (
    id             uuid        PRIMARY KEY,
    project_id     uuid        NOT NULL REFERENCES projects ON DELETE CASCADE,
    chapter_id     uuid        NOT NULL,
    chapter_number integer     NOT NULL,
    ref            text        NOT NULL,
    commit_id      text        NOT NULL,
    check_type     text        NOT NULL,
    trigger        text        NOT NULL,
    status         text        NOT NULL,
    words          integer     NOT NULL,
    violations     jsonb       NOT NULL,
    passed_rules   jsonb       NOT NULL,
    waived         integer     NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX check_runs_by_chapter ON check_runs (project_id, chapter_id, created_at DESC);

CREATE TABLE waivers (
    project_id  uuid        NOT NULL REFERENCES projects ON DELETE CASCADE,
    fingerprint text        NOT NULL,
    rule        text        NOT NULL,
    chapter_id  uuid        NOT NULL,
    passage     text        NOT NULL,
    reason      text,
    created_by  uuid        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, fingerprint)
);

CREATE TABLE stale_chapters (
    project_id           uuid        NOT NULL REFERENCES projects ON DELETE CASCADE,
    chapter_id           uuid        NOT NULL,
    caused_by_chapter_id uuid        NOT NULL,
    caused_by_commit     text        NOT NULL,
    shared               jsonb       NOT NULL,
    marked_at            timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, chapter_id)
);
