-- One row per agent call, in the shape of DraftForge's .draftforge/agent-runs/*.json.
CREATE TABLE agent_runs (
    id             uuid          PRIMARY KEY,
    owner_id       uuid          NOT NULL,
    project_id     uuid,
    job_id         uuid,
    chapter_number integer,
    agent          text          NOT NULL,
    provider       text          NOT NULL,
    model          text          NOT NULL,
    parameters     jsonb         NOT NULL,
    prompt_hash    text          NOT NULL,
    tokens_in      bigint        NOT NULL,
    tokens_out     bigint        NOT NULL,
    cost_estimate  numeric(12,6) NOT NULL,
    duration_ms    integer       NOT NULL,
    status         text          NOT NULL CHECK (status IN ('succeeded', 'failed')),
    error          text,
    started_at     timestamptz   NOT NULL
);

CREATE INDEX agent_runs_by_project ON agent_runs (project_id, started_at);
CREATE INDEX agent_runs_by_job ON agent_runs (job_id, started_at) WHERE job_id IS NOT NULL;
