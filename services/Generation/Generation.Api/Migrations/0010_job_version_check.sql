-- A step's settlement runs as one implicit transaction (a batch without BEGIN/COMMIT), so its version check has to fail
-- the statement, not just update no row, for the writes that come with it to be undone.
CREATE FUNCTION generation_job_changed(job_id uuid, expected integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'generation job % changed since version %', job_id, expected USING ERRCODE = 'FG001';
END
$$;
