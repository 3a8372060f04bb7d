-- Author metadata for export, the status lifecycle and the indexes behind every list order.
ALTER TABLE projects
    ADD COLUMN author_name text,
    ADD COLUMN publisher   text,
    ADD COLUMN rights      text,
    ADD COLUMN identifier  text,
    ADD COLUMN description text,
    ADD COLUMN subjects    text[] NOT NULL DEFAULT '{}',
    ADD CONSTRAINT projects_status_known CHECK (status IN ('draft', 'in_progress', 'complete', 'published'));

CREATE INDEX projects_by_owner_updated ON projects (owner_id, updated_at, id);
CREATE INDEX projects_by_owner_title ON projects (owner_id, lower(title), id);
CREATE INDEX projects_by_owner_status_created ON projects (owner_id, status, created_at, id);
CREATE INDEX projects_by_owner_status_updated ON projects (owner_id, status, updated_at, id);
