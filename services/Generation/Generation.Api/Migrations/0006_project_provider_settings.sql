-- A book's own LLM provider settings, overriding its owner's (provider_settings) for that book's jobs and reviews.
CREATE TABLE project_provider_settings (
    project_id        uuid        PRIMARY KEY,
    provider          text        NOT NULL,
    model             text,
    base_url          text,
    temperature       real,
    max_tokens        integer,
    encrypted_api_key bytea,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    version           integer     NOT NULL DEFAULT 1
);
