-- One row per changed field. Project-scoped rows carry project_id; series-scoped rows carry series_id.
CREATE TABLE audit_log (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id       uuid        NOT NULL,
    project_id     uuid,
    series_id      uuid,
    resource_type  text        NOT NULL,
    resource_id    text        NOT NULL,
    action         text        NOT NULL CHECK (action IN ('created', 'updated', 'deleted')),
    field          text        NOT NULL,
    old_value      jsonb,
    new_value      jsonb,
    actor_kind     text        NOT NULL,
    actor_id       text        NOT NULL,
    actor_name     text,
    correlation_id uuid        NOT NULL,
    occurred_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (project_id IS NOT NULL OR series_id IS NOT NULL)
);

CREATE INDEX audit_by_project ON audit_log (project_id, id DESC) WHERE project_id IS NOT NULL;
CREATE INDEX audit_by_series ON audit_log (series_id, id DESC) WHERE series_id IS NOT NULL;
