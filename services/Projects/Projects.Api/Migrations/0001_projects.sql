CREATE TABLE projects (
    id                uuid        PRIMARY KEY,
    owner_id          uuid        NOT NULL,
    title             text        NOT NULL,
    subtitle          text,
    genre             text,
    language          text        NOT NULL,
    target_word_count integer,
    status            text        NOT NULL DEFAULT 'draft',
    version           integer     NOT NULL DEFAULT 1,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX projects_by_owner ON projects (owner_id, created_at DESC, id);
