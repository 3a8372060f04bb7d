-- Commits of the whole book. The tree (chapter order and each chapter's content id) is itself a content object,
-- so consecutive trees deduplicate and pack like the text does.
CREATE TABLE commits (
    project_id     uuid        NOT NULL REFERENCES repositories (project_id) ON DELETE CASCADE,
    id             text        NOT NULL,
    tree_id        text        NOT NULL,
    parents        text[]      NOT NULL,
    kind           text        NOT NULL,
    author_kind    text        NOT NULL,
    author_id      text        NOT NULL,
    author_name    text,
    agent          jsonb,
    message        text        NOT NULL,
    correlation_id uuid,
    restored_from  text,
    changes        jsonb       NOT NULL,
    created_at     timestamptz NOT NULL,
    PRIMARY KEY (project_id, id)
);

CREATE INDEX commits_by_time ON commits (project_id, created_at DESC);

-- Semantic versions. Published ones are frozen: a trigger refuses to move, delete or demote them.
CREATE TABLE versions (
    project_id  uuid        NOT NULL REFERENCES repositories (project_id) ON DELETE CASCADE,
    name        text        NOT NULL,
    major       integer     NOT NULL,
    minor       integer     NOT NULL,
    patch       integer     NOT NULL,
    commit_id   text        NOT NULL,
    status      text        NOT NULL DEFAULT 'draft',
    message     text,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, name),
    UNIQUE (project_id, major, minor, patch)
);

CREATE TABLE version_status_changes (
    project_id  uuid        NOT NULL,
    name        text        NOT NULL,
    from_status text        NOT NULL,
    to_status   text        NOT NULL,
    changed_by  text        NOT NULL,
    changed_at  timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (project_id, name) REFERENCES versions (project_id, name) ON DELETE CASCADE
);

CREATE FUNCTION versions_published_are_frozen() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'published' THEN
        RAISE EXCEPTION 'version % is published and frozen', OLD.name USING ERRCODE = 'FZ001';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER versions_frozen BEFORE UPDATE OR DELETE ON versions
    FOR EACH ROW EXECUTE FUNCTION versions_published_are_frozen();

-- Autosaved working drafts: not versions. One per chapter per branch, with an ETag.
CREATE TABLE drafts (
    project_id     uuid        NOT NULL REFERENCES repositories (project_id) ON DELETE CASCADE,
    branch         text        NOT NULL,
    chapter_id     uuid        NOT NULL,
    content_id     text        NOT NULL,
    base_commit_id text,
    etag           integer     NOT NULL DEFAULT 1,
    updated_by     text        NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, branch, chapter_id)
);

-- A lease on (project, branch): while it is held only its holder commits there.
CREATE TABLE generation_locks (
    project_id  uuid        NOT NULL REFERENCES repositories (project_id) ON DELETE CASCADE,
    branch      text        NOT NULL,
    holder      text        NOT NULL,
    token       uuid        NOT NULL,
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (project_id, branch)
);

CREATE TABLE repository_settings (
    project_id           uuid    PRIMARY KEY REFERENCES repositories (project_id) ON DELETE CASCADE,
    major_edit_threshold real    NOT NULL DEFAULT 0.30
);
