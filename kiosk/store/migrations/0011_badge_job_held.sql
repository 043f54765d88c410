-- Schema 11: badges that are not printed, and why.
-- 'unprinted': the door had no printer set up when the person came in; no
--   badge is owed (the organizer prints one later if asked).
-- 'held': it waited longer than a few minutes (no paper, the printer was
--   off): the person is long inside, so it is not printed when the printer
--   comes back; the organizer sees the list and prints those still wanted.
-- SQLite cannot change a CHECK constraint: the table is made again.
CREATE TABLE badge_jobs_new (
  id           INTEGER PRIMARY KEY,
  checkin_uuid TEXT NOT NULL,
  attendee_id  INTEGER NOT NULL REFERENCES attendees(id),
  reason       TEXT NOT NULL CHECK (reason IN ('checkin', 'reprint')),
  state        TEXT NOT NULL DEFAULT 'queued'
               CHECK (state IN ('queued', 'printing', 'done', 'failed', 'cancelled', 'held',
                                'unprinted')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  last_error   TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  printer_job  TEXT NOT NULL DEFAULT ''
);
INSERT INTO badge_jobs_new(id, checkin_uuid, attendee_id, reason, state, attempts, last_error,
                           created_at, updated_at, printer_job)
  SELECT id, checkin_uuid, attendee_id, reason, state, attempts, last_error, created_at,
         updated_at, printer_job FROM badge_jobs;
DROP TABLE badge_jobs;
ALTER TABLE badge_jobs_new RENAME TO badge_jobs;
CREATE INDEX badge_jobs_open ON badge_jobs(state) WHERE state IN ('queued', 'printing');
CREATE INDEX badge_jobs_held ON badge_jobs(state) WHERE state = 'held';
