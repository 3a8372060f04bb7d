-- An Idempotency-Key sent with POST /projects: the same key from the same writer returns the book it created.
ALTER TABLE projects ADD COLUMN creation_key text;
CREATE UNIQUE INDEX projects_by_creation_key ON projects (owner_id, creation_key) WHERE creation_key IS NOT NULL;
