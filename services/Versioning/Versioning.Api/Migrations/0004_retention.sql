-- Retention thins old revisions: a pruned commit keeps its place in the lineage (id, parents, author, message,
-- changes) but its texts are no longer kept, so garbage collection can reclaim what only it referenced.
ALTER TABLE commits ADD COLUMN pruned_at timestamptz;

ALTER TABLE repository_settings
    ADD COLUMN retention_keep_last       integer     NOT NULL DEFAULT 50  CHECK (retention_keep_last BETWEEN 1 AND 100000),
    ADD COLUMN retention_hourly_for_hours integer    NOT NULL DEFAULT 24  CHECK (retention_hourly_for_hours BETWEEN 0 AND 8760),
    ADD COLUMN retention_daily_for_days  integer     NOT NULL DEFAULT 30  CHECK (retention_daily_for_days BETWEEN 0 AND 3650),
    ADD COLUMN version                   integer     NOT NULL DEFAULT 1,
    ADD COLUMN last_retention_run_at     timestamptz;
