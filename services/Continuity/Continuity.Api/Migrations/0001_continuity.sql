-- Per-project rule settings; check runs and waivers arrive with the checks themselves.
CREATE TABLE rule_settings (
    project_id uuid        NOT NULL,
    rule_id    text        NOT NULL,
    enabled    boolean     NOT NULL DEFAULT true,
    severity   text,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, rule_id)
);
