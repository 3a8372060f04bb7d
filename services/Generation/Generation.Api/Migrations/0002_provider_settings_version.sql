ALTER TABLE provider_settings ADD COLUMN version integer NOT NULL DEFAULT 1;
