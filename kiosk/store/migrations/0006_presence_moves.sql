-- Schema 6: who is in the room now. A person checked in may leave (an exit
-- door, or an organizer marks it) and come back; both are appended to the
-- log like check-ins, referring to the check-in they belong to (ref_uuid),
-- so "checked in" keeps its meaning and presence stays a function of the
-- log. SQLite cannot widen a CHECK constraint in place: the table is
-- rebuilt with the same rows, indexes and append-only triggers.
CREATE TABLE checkins_v6 (
  seq         INTEGER PRIMARY KEY,
  uuid        TEXT NOT NULL UNIQUE,
  event_id    INTEGER NOT NULL REFERENCES events(id),
  attendee_id INTEGER NOT NULL REFERENCES attendees(id),
  kind        TEXT NOT NULL CHECK (kind IN ('checkin', 'annul', 'left', 'returned')),
  ref_uuid    TEXT,                        -- annul, left, returned: the check-in they refer to
  device_id   TEXT NOT NULL,
  door        TEXT NOT NULL,
  method      TEXT NOT NULL,
  at          INTEGER NOT NULL
);
INSERT INTO checkins_v6(seq, uuid, event_id, attendee_id, kind, ref_uuid, device_id, door, method, at)
  SELECT seq, uuid, event_id, attendee_id, kind, ref_uuid, device_id, door, method, at FROM checkins;
DROP TABLE checkins;
ALTER TABLE checkins_v6 RENAME TO checkins;
CREATE INDEX checkins_by_event ON checkins(event_id, at);
CREATE INDEX checkins_by_attendee ON checkins(attendee_id);
CREATE TRIGGER checkins_append_only BEFORE UPDATE ON checkins
BEGIN SELECT RAISE(ABORT, 'the check-in log is append-only'); END;
CREATE TRIGGER checkins_never_deleted BEFORE DELETE ON checkins
BEGIN SELECT RAISE(ABORT, 'the check-in log is append-only'); END;
