-- Schema 4: several doors, one event. Each door keeps a full copy of the
-- event and exchanges its log with its peers; this is where it remembers
-- each peer: how far it has read that peer's log and attendee list, when it
-- last heard from it, and how far that peer's clock is from its own.
-- Log rows made by another door keep that door's device_id; they have no
-- badge job and no outbox row here (the door that made a check-in prints
-- its badge and pushes it to the ticketing service, never a door that
-- received it).
CREATE TABLE door_peers (
  event_id        INTEGER NOT NULL REFERENCES events(id),
  device_id       TEXT NOT NULL,
  name            TEXT NOT NULL DEFAULT '',
  addresses       TEXT NOT NULL DEFAULT '[]',  -- JSON array of "host:port"
  log_cursor      INTEGER NOT NULL DEFAULT 0,  -- their seq we have read up to
  attendee_cursor TEXT NOT NULL DEFAULT '',    -- their "rev:id" we have read up to
  their_seq       INTEGER NOT NULL DEFAULT 0,  -- their newest seq when last heard
  last_heard      INTEGER NOT NULL DEFAULT 0,  -- our clock
  clock_offset_ms INTEGER NOT NULL DEFAULT 0,  -- their clock minus ours
  last_error      TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (event_id, device_id)
);
