-- Schema 8: work that one process of a store does at a time. The sync
-- worker of two processes on one store (a kiosk and `frontdesk serve`)
-- would deliver every check-in twice; the one holding the 'sync' lease
-- delivers, renews it while it runs, and another takes over once it ran
-- out (or was given back when the holder stopped).
CREATE TABLE leases (
  name   TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  until  INTEGER NOT NULL
);
