-- The books Generation may work on and who owns them, kept from Projects' events, so another user's book is 404 here too.
CREATE TABLE books (
    project_id uuid        PRIMARY KEY,
    owner_id   uuid        NOT NULL,
    created_at timestamptz NOT NULL
);
