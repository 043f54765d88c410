-- Frontdesk store, schema 1.
-- Times are Unix milliseconds (UTC). Check-ins are an append-only log;
-- whether someone is in is derived from it, never stored as a flag.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE events (
  id         INTEGER PRIMARY KEY,
  slug       TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL,
  starts_at  INTEGER,                      -- NULL when unknown
  capacity   INTEGER NOT NULL DEFAULT 0,   -- 0: no limit
  created_at INTEGER NOT NULL
);

-- A person across events: recognised by the service's member id, else email.
CREATE TABLE people (
  id           INTEGER PRIMARY KEY,
  identity     TEXT NOT NULL UNIQUE,       -- "meetup:123" or "email:ana@example.org"
  display_name TEXT NOT NULL,
  first_seen   INTEGER NOT NULL
);

CREATE TABLE attendees (
  id          INTEGER PRIMARY KEY,
  event_id    INTEGER NOT NULL REFERENCES events(id),
  person_id   INTEGER REFERENCES people(id),
  source      TEXT NOT NULL,               -- meetup, eventbrite, pretix, luma, csv, walkin
  external_id TEXT NOT NULL,
  ticket_code TEXT NOT NULL DEFAULT '',
  first_name  TEXT NOT NULL DEFAULT '',
  last_name   TEXT NOT NULL DEFAULT '',
  full_name   TEXT NOT NULL,
  email       TEXT NOT NULL DEFAULT '',
  company     TEXT NOT NULL DEFAULT '',
  ticket_type TEXT NOT NULL DEFAULT '',
  role        TEXT NOT NULL DEFAULT '',
  rsvp        TEXT NOT NULL DEFAULT 'yes' CHECK (rsvp IN ('yes', 'waitlist', 'no', 'cancelled')),
  guests      INTEGER NOT NULL DEFAULT 0,
  walk_in     INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  UNIQUE (event_id, source, external_id)
);
CREATE INDEX attendees_by_code ON attendees(ticket_code) WHERE ticket_code <> '';
CREATE INDEX attendees_by_person ON attendees(person_id);

-- The log. UUIDs make logs from several doors merge as a set union.
CREATE TABLE checkins (
  seq         INTEGER PRIMARY KEY,
  uuid        TEXT NOT NULL UNIQUE,
  event_id    INTEGER NOT NULL REFERENCES events(id),
  attendee_id INTEGER NOT NULL REFERENCES attendees(id),
  kind        TEXT NOT NULL CHECK (kind IN ('checkin', 'annul')),
  ref_uuid    TEXT,                        -- annul: the check-in it cancels
  device_id   TEXT NOT NULL,
  door        TEXT NOT NULL,
  method      TEXT NOT NULL,               -- qr, search, walkin, manual, scanner
  at          INTEGER NOT NULL
);
CREATE INDEX checkins_by_event ON checkins(event_id, at);
CREATE INDEX checkins_by_attendee ON checkins(attendee_id);
CREATE TRIGGER checkins_append_only BEFORE UPDATE ON checkins
BEGIN SELECT RAISE(ABORT, 'the check-in log is append-only'); END;
CREATE TRIGGER checkins_never_deleted BEFORE DELETE ON checkins
BEGIN SELECT RAISE(ABORT, 'the check-in log is append-only'); END;

-- Work that must follow a check-in, written in the check-in's transaction.
CREATE TABLE badge_jobs (
  id           INTEGER PRIMARY KEY,
  checkin_uuid TEXT NOT NULL,
  attendee_id  INTEGER NOT NULL REFERENCES attendees(id),
  reason       TEXT NOT NULL CHECK (reason IN ('checkin', 'reprint')),
  state        TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'printing', 'done', 'failed', 'cancelled')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  last_error   TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
CREATE INDEX badge_jobs_open ON badge_jobs(state) WHERE state IN ('queued', 'printing');

CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  idempotency_key TEXT NOT NULL UNIQUE,    -- the log event's UUID
  event_id        INTEGER NOT NULL REFERENCES events(id),
  kind            TEXT NOT NULL,           -- checkin, annul
  payload         TEXT NOT NULL,           -- JSON
  state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dead')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT NOT NULL DEFAULT '',
  created_at      INTEGER NOT NULL
);
CREATE INDEX outbox_pending ON outbox(state, next_attempt_at) WHERE state = 'pending';

CREATE TABLE imports (
  id        INTEGER PRIMARY KEY,
  event_id  INTEGER NOT NULL REFERENCES events(id),
  source    TEXT NOT NULL,
  file_name TEXT NOT NULL,
  added     INTEGER NOT NULL,
  updated   INTEGER NOT NULL,
  cancelled INTEGER NOT NULL,
  errors    INTEGER NOT NULL,
  at        INTEGER NOT NULL
);
