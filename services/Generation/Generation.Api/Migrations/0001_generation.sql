-- Per-user LLM provider settings; the API key is stored encrypted and never returned.
CREATE TABLE provider_settings (
    user_id           uuid        PRIMARY KEY,
    provider          text        NOT NULL DEFAULT 'offline',
    model             text,
    base_url          text,
    temperature       real,
    max_tokens        integer,
    encrypted_api_key bytea,
    updated_at        timestamptz NOT NULL DEFAULT now()
);
