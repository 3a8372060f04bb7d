-- An import may create its book in Projects: such a job knows its project only once Projects has made it (and
-- forgets it again when a failed import deletes the book).
ALTER TABLE import_jobs ALTER COLUMN project_id DROP NOT NULL;
ALTER TABLE import_jobs ADD COLUMN creates_project boolean NOT NULL DEFAULT false;
-- The target branch's head when the first attempt began ('' for an empty branch): a retried job replays from the
-- same texts, and Versioning's idempotency keys turn the commits it already made into no-ops.
ALTER TABLE import_jobs ADD COLUMN base_commit_id text;
