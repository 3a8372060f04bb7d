-- A writer's own settings are audited too: rows with neither a book nor a series are the owner's personal trail.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_check;

CREATE INDEX audit_personal ON audit_log (owner_id, id DESC) WHERE project_id IS NULL AND series_id IS NULL;
