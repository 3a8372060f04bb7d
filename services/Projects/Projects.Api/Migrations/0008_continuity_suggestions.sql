-- What Continuity read in each chapter, offered to the writer: characters who appear, names the bible does not know, dated timeline facts.
-- Each chapter's latest extraction replaces its pending suggestions; older extractions delivered late are ignored (extracted_at).
CREATE TABLE continuity_extractions (
    project_id   uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    chapter_id   uuid        NOT NULL,
    commit_id    text        NOT NULL,
    extracted_at timestamptz NOT NULL,
    PRIMARY KEY (project_id, chapter_id)
);

CREATE TABLE continuity_suggestions (
    id             uuid        PRIMARY KEY,
    project_id     uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    chapter_id     uuid        NOT NULL,
    chapter_number integer     NOT NULL,
    commit_id      text        NOT NULL,
    kind           text        NOT NULL CHECK (kind IN ('appearance', 'unknown_name', 'timeline_fact')),
    -- What makes two suggestions the same, so a decided one is not offered again: the character, the name, or the month and sentence.
    key            text        NOT NULL,
    subject        text        NOT NULL,
    month          integer     CHECK (month BETWEEN 1 AND 12),
    mentions       integer,
    line           integer     NOT NULL,
    text           text        NOT NULL,
    status         text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'dismissed')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    decided_at     timestamptz,
    result_id      uuid
);

CREATE INDEX continuity_suggestions_pending ON continuity_suggestions (project_id, chapter_number) WHERE status = 'pending';
CREATE INDEX continuity_suggestions_decided ON continuity_suggestions (project_id, kind, key) WHERE status <> 'pending';
