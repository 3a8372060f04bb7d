-- Published versions stay frozen, except when the whole book is being deleted by its owner: the deleting
-- transaction names the project in folio.deleting_project and the cascade may then remove its versions.
CREATE OR REPLACE FUNCTION versions_published_are_frozen() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'published'
       AND NOT (TG_OP = 'DELETE' AND coalesce(current_setting('folio.deleting_project', true), '') = OLD.project_id::text) THEN
        RAISE EXCEPTION 'version % is published and frozen', OLD.name USING ERRCODE = 'FZ001';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$ LANGUAGE plpgsql;
