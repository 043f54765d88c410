-- Schema 7: organizers' decisions about who is who. Each row says two
-- people records (see `people`) are the same human ('same': merge) or two
-- different humans ('different': split). Append-only like the check-in log:
-- the newest decision about a pair wins, and the history says who was merged
-- when. Which records belong together is derived (report/People.h) from
-- these decisions, the identifiers list rows share, and the name rule.
CREATE TABLE people_decisions (
  seq  INTEGER PRIMARY KEY,
  a    INTEGER NOT NULL REFERENCES people(id),
  b    INTEGER NOT NULL REFERENCES people(id),
  kind TEXT NOT NULL CHECK (kind IN ('same', 'different')),
  at   INTEGER NOT NULL,
  CHECK (a < b)
);
CREATE TRIGGER people_decisions_append_only BEFORE UPDATE ON people_decisions
BEGIN SELECT RAISE(ABORT, 'people decisions are append-only'); END;
CREATE TRIGGER people_decisions_never_deleted BEFORE DELETE ON people_decisions
BEGIN SELECT RAISE(ABORT, 'people decisions are append-only'); END;
