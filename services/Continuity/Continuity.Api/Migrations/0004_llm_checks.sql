-- LLM checks are off until the writer turns them on per book; a check run records how its LLM part went (null when it had none).
ALTER TABLE projects ADD COLUMN llm_checks boolean NOT NULL DEFAULT false;
ALTER TABLE check_runs ADD COLUMN llm jsonb;
