-- Transactional outbox: rows are written in the same transaction as the change that caused them
-- and relayed to RabbitMQ afterwards, in sequence order per aggregate.
CREATE TABLE IF NOT EXISTS outbox_messages (
    sequence       bigserial PRIMARY KEY,
    message_id     uuid        NOT NULL UNIQUE,
    message_type   text        NOT NULL,
    aggregate_id   text        NOT NULL,
    correlation_id uuid        NOT NULL,
    body           jsonb       NOT NULL,
    trace_parent   text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    dispatched_at  timestamptz
);

CREATE INDEX IF NOT EXISTS outbox_messages_pending ON outbox_messages (sequence) WHERE dispatched_at IS NULL;

-- Inbox: one row per (message, consumer) handled, written in the consumer's own transaction.
CREATE TABLE IF NOT EXISTS inbox_messages (
    message_id  uuid        NOT NULL,
    consumer    text        NOT NULL,
    handled_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (message_id, consumer)
);
