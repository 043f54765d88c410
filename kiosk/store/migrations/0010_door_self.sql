-- Schema 10: what a door knows of itself, per event, and a peer's host.
-- Its name ("door 2"): given at `frontdesk doors join` (the first free
-- "door N" among the doors the first one knows) or by an organizer
-- (`frontdesk doors name`). --door and [kiosk] door still override it.
-- Check-ins keep the name their door had when it admitted them.
CREATE TABLE door_names (
  event_id INTEGER PRIMARY KEY REFERENCES events(id),
  name     TEXT NOT NULL,
  chosen   TEXT NOT NULL DEFAULT 'join'  -- 'join' or 'organizer'
);
-- Where each process serving this store answers other doors right now
-- (a kiosk and `frontdesk serve` may both serve): `frontdesk doors pair`
-- in another process names these addresses. A process removes its row when
-- it stops; one that died is known by its pid and start time (`process`).
CREATE TABLE door_listeners (
  event_id   INTEGER NOT NULL REFERENCES events(id),
  process    TEXT NOT NULL,             -- "<boot id>/<pid>/<start time>"
  host       TEXT NOT NULL DEFAULT '',  -- its host key (doors/Reach.h)
  addresses  TEXT NOT NULL DEFAULT '[]',
  updated_at INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (event_id, process)
);
-- The host key a peer door last greeted with: its loopback addresses reach
-- only a door on the same host, and are dropped for any other.
ALTER TABLE door_peers ADD COLUMN host TEXT NOT NULL DEFAULT '';
