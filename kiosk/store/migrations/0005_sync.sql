-- Schema 5: sync with the RSVP services.
--
-- A check-in made on the service by another device (pretix app, Eventbrite
-- organizer app) comes back in a pull and joins the log so the door says
-- "already in"; `origin` names that service. Such rows have no badge job and
-- no outbox row: they were never ours to print or to send.
ALTER TABLE checkins ADD COLUMN origin TEXT NOT NULL DEFAULT '';

-- Where each outbox row stands with each configured service (pretix and a
-- webhook may both want every check-in). No row yet: pending, never tried.
-- An outbox row is settled (outbox.state 'sent' or 'dead') once every
-- service the pushing process serves has settled it.
CREATE TABLE sync_deliveries (
  outbox_id       INTEGER NOT NULL REFERENCES outbox(id),
  service         TEXT NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'dead')),
  attempts        INTEGER NOT NULL DEFAULT 0,  -- every try, transport failures included
  refusals        INTEGER NOT NULL DEFAULT 0,  -- answers that said no for good
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT NOT NULL DEFAULT '',
  updated_at      INTEGER NOT NULL,
  PRIMARY KEY (service, outbox_id)
);
CREATE INDEX sync_deliveries_by_outbox ON sync_deliveries(outbox_id);

-- Per event and service: what the organizer sees in `frontdesk sync status`
-- and on the dashboard, and where the next incremental pull starts.
CREATE TABLE sync_services (
  event_id      INTEGER NOT NULL REFERENCES events(id),
  service       TEXT NOT NULL,
  last_success  INTEGER NOT NULL DEFAULT 0,  -- last pull or push that worked
  last_pull     INTEGER NOT NULL DEFAULT 0,  -- last complete pull
  last_error    TEXT NOT NULL DEFAULT '',    -- plain words; '' when the last try worked
  last_error_at INTEGER NOT NULL DEFAULT 0,
  cursor        TEXT NOT NULL DEFAULT '',    -- pretix: X-Page-Generated of the last full pull
  pulled        INTEGER NOT NULL DEFAULT 0,  -- attendees the last pull brought
  PRIMARY KEY (event_id, service)
);
