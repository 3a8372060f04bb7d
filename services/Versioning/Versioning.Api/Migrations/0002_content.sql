-- Content-addressed storage of texts (Features/Content). A text is a manifest of paragraph chunks; both are
-- written here as loose objects, and the repacker later moves them into a project's packs and deletes the rows.
-- Ids are raw 32-byte SHA-256 digests; content never crosses projects, so deleting a repository deletes its content.
CREATE TABLE content_objects (
    project_id uuid        NOT NULL REFERENCES repositories (project_id) ON DELETE CASCADE,
    id         bytea       NOT NULL CHECK (octet_length(id) = 32),
    kind       text        NOT NULL CHECK (kind IN ('chunk', 'text')),
    -- chunk: Brotli-compressed bytes; text: the manifest (ordered chunk ids).
    data       bytea       NOT NULL,
    -- Write order, which is the order objects are packed in.
    seq        bigint      GENERATED ALWAYS AS IDENTITY,
    -- Refreshed whenever the text is written again, so garbage collection spares what a writer just relied on.
    written_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, id)
);

CREATE TABLE content_packs (
    project_id   uuid        NOT NULL REFERENCES repositories (project_id) ON DELETE CASCADE,
    id           uuid        NOT NULL,
    -- One Brotli stream: chunks, then texts as references to chunks.
    data         bytea       NOT NULL,
    -- The ids of the texts in the pack and the digest of the decompressed stream.
    object_index bytea       NOT NULL,
    raw_size     integer     NOT NULL,
    chunk_count  integer     NOT NULL,
    text_count   integer     NOT NULL,
    -- Packs are read and merged oldest first.
    seq          bigint      GENERATED ALWAYS AS IDENTITY,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, id)
);

-- Both already compressed: keep PostgreSQL from trying to compress them again when they are stored out of line.
ALTER TABLE content_objects ALTER COLUMN data SET STORAGE EXTERNAL;
ALTER TABLE content_packs ALTER COLUMN data SET STORAGE EXTERNAL;
