-- Schema 6: who is in the room now. A person checked in may leave (an exit
-- door, or an organizer marks it) and come back; both are appended to the
-- log like check-ins, referring to the check-in they belong to (ref_uuid),
-- so "checked in" keeps its meaning and presence stays a function of the
-- log.
--
-- The log's kind CHECK gains 'left' and 'returned'. SQLite cannot alter a
-- constraint; rebuilding the table would have to name every column, and
-- other migrations add columns to this table (0005). Widening a CHECK
-- changes nothing on disk, which is the case SQLite documents for editing
-- the schema text in place (sqlite.org/lang_altertable.html, "writable_schema").
-- RESET reloads this connection's schema; the throwaway table bumps the
-- schema cookie so every other open connection reloads it too.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'CHECK (kind IN (''checkin'', ''annul''))',
                          'CHECK (kind IN (''checkin'', ''annul'', ''left'', ''returned''))')
 WHERE type = 'table' AND name = 'checkins';
PRAGMA writable_schema = RESET;
CREATE TABLE schema_6_reload (x);
DROP TABLE schema_6_reload;
