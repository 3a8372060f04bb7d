-- A chapter's draft is now saved in the transaction that settles its step (under the job row's version check), so the
-- ticket that guarded late writes has nothing left to guard.
ALTER TABLE job_chapters DROP COLUMN written_ticket;
