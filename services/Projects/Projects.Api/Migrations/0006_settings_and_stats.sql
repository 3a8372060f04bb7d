-- Per-user preferences and the writing stats fed by Versioning's ChapterRevisionCommitted.
CREATE TABLE user_settings (
    user_id                   uuid        PRIMARY KEY,
    default_provider          text        NOT NULL,
    default_model             text,
    autosave_interval_seconds integer     NOT NULL,
    default_export_format     text        NOT NULL,
    time_zone                 text        NOT NULL,
    version                   integer     NOT NULL,
    updated_at                timestamptz NOT NULL DEFAULT now()
);

-- Latest size of each chapter on the main branch, as Versioning reported it. Commits may be consumed out of order,
-- so a count only replaces one that is not newer (as_of = the commit's time).
CREATE TABLE chapter_word_counts (
    project_id uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    chapter_id uuid        NOT NULL,
    words      integer     NOT NULL,
    characters integer     NOT NULL,
    as_of      timestamptz NOT NULL,
    PRIMARY KEY (project_id, chapter_id)
);

-- Words written per calendar day in the owner's time zone (at the time of the commit); human_words feeds streaks.
CREATE TABLE writing_days (
    project_id    uuid    NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    day           date    NOT NULL,
    words_added   integer NOT NULL DEFAULT 0,
    words_removed integer NOT NULL DEFAULT 0,
    human_words   integer NOT NULL DEFAULT 0,
    PRIMARY KEY (project_id, day)
);
