-- A book whose commits on main left chapters to re-check automatically is re-checked once it has been quiet for a
-- moment (or has waited long enough), not once per commit: a burst of commits, such as a generation job's, costs one
-- pass. commit_id and committed_at are the newest commit seen; commits counts the commits the pass answers for (each
-- may re-check up to 20 chapters); generation moves with every commit, so a pass knows whether one came in meanwhile.
CREATE TABLE recheck_due (
    project_id     uuid        PRIMARY KEY REFERENCES projects ON DELETE CASCADE,
    commit_id      text        NOT NULL,
    committed_at   timestamptz NOT NULL,
    correlation_id uuid        NOT NULL,
    commits        integer     NOT NULL,
    generation     bigint      NOT NULL DEFAULT 1,
    first_at       timestamptz NOT NULL DEFAULT now(),
    due_at         timestamptz NOT NULL,
    claimed_until  timestamptz
);
CREATE INDEX recheck_due_due_at ON recheck_due (due_at);

-- When the commit that made a chapter stale was made: a pass at an older commit leaves a newer commit's mark in place.
ALTER TABLE stale_chapters ADD COLUMN caused_at timestamptz;
