-- Schema 9: what another door's log epoch was when this door last read it.
-- A store restored from a backup starts a new epoch (meta 'log_epoch'): its
-- sequence numbers go back to the copy's and are handed out again, so a
-- door that had read further must read it again from the start (merging
-- is a set union, so re-reading costs time, never a double).
ALTER TABLE door_peers ADD COLUMN epoch TEXT NOT NULL DEFAULT '';
