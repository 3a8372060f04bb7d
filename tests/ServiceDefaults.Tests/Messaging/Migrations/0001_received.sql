CREATE TABLE received (
    message_id   uuid        PRIMARY KEY,
    run_id       text        NOT NULL,
    aggregate_id text        NOT NULL,
    sequence     integer     NOT NULL,
    handled_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);
