-- Bumped whenever Projects announces a change to a book's plan (details, bible, chapters, characters, world) that the
-- saga did not make itself: a running job reads the plan again only when this moved.
ALTER TABLE books ADD COLUMN plan_revision bigint NOT NULL DEFAULT 0;
