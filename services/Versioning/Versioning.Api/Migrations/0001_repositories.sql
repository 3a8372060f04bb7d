-- One manuscript repository per project; commits, revisions and content storage arrive with their own migrations.
CREATE TABLE repositories (
    project_id     uuid        PRIMARY KEY,
    owner_id       uuid        NOT NULL,
    default_branch text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE branches (
    project_id     uuid        NOT NULL REFERENCES repositories (project_id) ON DELETE CASCADE,
    name           text        NOT NULL,
    head_commit_id text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, name)
);
