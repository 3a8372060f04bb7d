-- An export may carry a cover picture, kept in file storage under this key until the job has finished.
ALTER TABLE export_jobs ADD COLUMN cover_key text;
