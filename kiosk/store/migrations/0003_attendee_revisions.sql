-- Schema 3: every write to an attendee stamps it with a new revision, so a
-- process that has the list in memory (a running kiosk) reads only what
-- another process (an import from the CLI, a walk-in at `frontdesk serve`)
-- added or changed.
ALTER TABLE attendees ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
CREATE INDEX attendees_by_rev ON attendees(event_id, rev);
