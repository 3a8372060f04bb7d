-- A job's chapters move out of the job's row into their own: a step rewrites the chapter it changed, not every chapter
-- of the job (a 100-chapter job's row was 44 KB of JSON, rewritten four times a chapter).
ALTER TABLE job_chapters ADD COLUMN state jsonb;
INSERT INTO job_chapters (job_id, chapter_number, state)
SELECT jobs.id, (chapter->>'number')::integer, chapter
FROM generation_jobs AS jobs, jsonb_array_elements(jobs.data->'chapters') AS chapter
ON CONFLICT (job_id, chapter_number) DO UPDATE SET state = excluded.state;
UPDATE generation_jobs SET data = data - 'chapters';
ALTER TABLE job_chapters ALTER COLUMN state SET NOT NULL;
