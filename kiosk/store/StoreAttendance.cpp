// Attendance: the append-only check-in log. Each check-in is written with
// its badge job and its outbox row in one transaction; undo, leaving and
// coming back refer to it; walk-ins and holders of signed tickets join the
// list as they are let in.
#include <SQLiteCpp/SQLiteCpp.h>

#include "base/Uuid.h"
#include "store/Store.h"
#include "store/StoreRows.h"

namespace fd {

using namespace store_rows;  // StoreRows.h

LogEntry Store::append_checkin(std::int64_t event_id, std::int64_t attendee_id,
                               const std::string& door, Method method, TimeMs at) {
  Tx tx = begin_write();
  LogEntry e = insert_checkin(event_id, attendee_id, door, method, at);
  tx.commit();
  return e;
}

// The log row, its badge job and its outbox row; the caller holds the
// transaction that makes them one.
LogEntry Store::insert_checkin(std::int64_t event_id, std::int64_t attendee_id,
                               const std::string& door, Method method, TimeMs at) {
  LogEntry e;
  e.uuid = new_uuid();
  e.event_id = event_id;
  e.attendee_id = attendee_id;
  e.kind = CheckInKind::CheckIn;
  e.device_id = device_id_;
  e.door = door;
  e.method = method;
  e.at = at;

  SQLite::Statement q(*db_,
                      "INSERT INTO checkins(uuid, event_id, attendee_id, kind, device_id, door, "
                      "method, at) VALUES(?, ?, ?, 'checkin', ?, ?, ?, ?)");
  q.bind(1, e.uuid);
  q.bind(2, event_id);
  q.bind(3, attendee_id);
  q.bind(4, e.device_id);
  q.bind(5, door);
  q.bind(6, to_string(method));
  q.bind(7, at);
  q.exec();
  e.seq = db_->getLastInsertRowid();

  // Every own check-in has its badge job (verify() relies on it); without
  // a printer it is 'unprinted' and owes nothing.
  SQLite::Statement badge(*db_,
                          "INSERT INTO badge_jobs(checkin_uuid, attendee_id, reason, state, "
                          "created_at, updated_at) VALUES(?, ?, 'checkin', ?, ?, ?)");
  badge.bind(1, e.uuid);
  badge.bind(2, attendee_id);
  badge.bind(3, print_badges_ ? "queued" : "unprinted");
  badge.bind(4, at);
  badge.bind(5, at);
  badge.exec();

  SQLite::Statement out(*db_,
                        "INSERT INTO outbox(idempotency_key, event_id, kind, payload, created_at) "
                        "VALUES(?, ?, 'checkin', ?, ?)");
  out.bind(1, e.uuid);
  out.bind(2, event_id);
  out.bind(3, outbox_payload(*db_, e));
  out.bind(4, at);
  out.exec();
  return e;
}

LogEntry Store::append_annul(const LogEntry& checkin, const std::string& door, TimeMs at) {
  return append_reference(checkin, CheckInKind::Annul, door, at);
}

LogEntry Store::append_move(const LogEntry& checkin, CheckInKind kind, const std::string& door,
                            TimeMs at) {
  return append_reference(checkin, kind, door, at);
}

// An entry about a check-in (annul, left, returned), made by hand at this
// door, with its outbox row: every log entry has one (verify() checks it);
// connectors that have no notion of leaving skip those kinds.
LogEntry Store::append_reference(const LogEntry& checkin, CheckInKind kind, const std::string& door,
                                 TimeMs at) {
  LogEntry e;
  e.uuid = new_uuid();
  e.event_id = checkin.event_id;
  e.attendee_id = checkin.attendee_id;
  e.kind = kind;
  e.ref_uuid = checkin.uuid;
  e.device_id = device_id_;
  e.door = door;
  e.method = Method::Manual;
  e.at = at;

  Tx tx = begin_write();
  SQLite::Statement q(
      *db_,
      "INSERT INTO checkins(uuid, event_id, attendee_id, kind, ref_uuid, device_id, "
      "door, method, at) VALUES(?, ?, ?, ?, ?, ?, ?, 'manual', ?)");
  q.bind(1, e.uuid);
  q.bind(2, e.event_id);
  q.bind(3, e.attendee_id);
  q.bind(4, to_string(kind));
  q.bind(5, e.ref_uuid);
  q.bind(6, e.device_id);
  q.bind(7, door);
  q.bind(8, at);
  q.exec();
  e.seq = db_->getLastInsertRowid();

  if (kind == CheckInKind::Annul) {
    // A badge not yet printed for an annulled check-in should not print.
    SQLite::Statement cancel(*db_,
                             "UPDATE badge_jobs SET state = 'cancelled', updated_at = ? "
                             "WHERE checkin_uuid = ? AND state = 'queued'");
    cancel.bind(1, at);
    cancel.bind(2, checkin.uuid);
    cancel.exec();
  }

  SQLite::Statement out(*db_,
                        "INSERT INTO outbox(idempotency_key, event_id, kind, payload, created_at) "
                        "VALUES(?, ?, ?, ?, ?)");
  out.bind(1, e.uuid);
  out.bind(2, e.event_id);
  out.bind(3, to_string(kind));
  out.bind(4, outbox_payload(*db_, e));
  out.bind(5, at);
  out.exec();
  tx.commit();
  return e;
}

std::pair<AttendeeRecord, LogEntry> Store::add_walk_in(std::int64_t event_id,
                                                       const AttendeeRecord& who,
                                                       const std::string& door, TimeMs at) {
  // One transaction for the person and their check-in: a crash never leaves
  // a walk-in on the list without having been let in, or the reverse.
  Tx tx = begin_write();
  AttendeeRow row;
  row.full_name = who.full_name;
  row.email = who.email;
  const std::int64_t person = person_for(row, "walkin", at);
  AttendeeRecord a = who;
  a.event_id = event_id;
  a.person_id = person;
  a.source = "walkin";
  a.external_id = new_uuid();
  a.walk_in = true;
  a.rsvp = Rsvp::Yes;
  SQLite::Statement q(
      *db_,
      "INSERT INTO attendees(event_id, person_id, source, external_id, first_name, "
      "last_name, full_name, email, company, role, rsvp, walk_in, created_at, "
      "updated_at, rev) VALUES(?, NULLIF(?, 0), 'walkin', ?, ?, ?, ?, ?, ?, ?, 'yes', 1, "
      "?, ?, ?)");
  q.bind(1, event_id);
  q.bind(2, person);
  q.bind(3, a.external_id);
  q.bind(4, a.first_name);
  q.bind(5, a.last_name);
  q.bind(6, a.full_name);
  q.bind(7, a.email);
  q.bind(8, a.company);
  q.bind(9, a.role);
  q.bind(10, at);
  q.bind(11, at);
  q.bind(12, next_attendee_rev(event_id));
  q.exec();
  a.id = db_->getLastInsertRowid();
  LogEntry e = insert_checkin(event_id, a.id, door, Method::WalkIn, at);
  tx.commit();
  return {a, e};
}

std::pair<AttendeeRecord, LogEntry> Store::add_ticket_holder(std::int64_t event_id,
                                                             const AttendeeRecord& who,
                                                             const std::string& door, Method method,
                                                             TimeMs at) {
  Tx tx = begin_write();
  AttendeeRecord a = who;
  a.event_id = event_id;
  a.external_id = "sig:" + who.ticket_code;
  a.walk_in = false;
  a.rsvp = Rsvp::Yes;
  SQLite::Statement q(*db_,
                      "INSERT INTO attendees(event_id, source, external_id, ticket_code, "
                      "first_name, last_name, full_name, ticket_type, rsvp, walk_in, created_at, "
                      "updated_at, rev) VALUES(?, ?, ?, ?, ?, ?, ?, ?, 'yes', 0, ?, ?, ?)");
  q.bind(1, event_id);
  q.bind(2, a.source);
  q.bind(3, a.external_id);
  q.bind(4, a.ticket_code);
  q.bind(5, a.first_name);
  q.bind(6, a.last_name);
  q.bind(7, a.full_name);
  q.bind(8, a.ticket_type);
  q.bind(9, at);
  q.bind(10, at);
  q.bind(11, next_attendee_rev(event_id));
  q.exec();
  a.id = db_->getLastInsertRowid();
  LogEntry e = insert_checkin(event_id, a.id, door, method, at);
  tx.commit();
  return {a, e};
}

std::vector<LogEntry> Store::log(std::int64_t event_id) const {
  SQLite::Statement q(*db_, std::string("SELECT ") + kLogColumns +
                                " FROM checkins WHERE event_id = ? ORDER BY seq");
  q.bind(1, event_id);
  std::vector<LogEntry> out;
  while (q.executeStep()) out.push_back(read_log(q));
  return out;
}

std::vector<LogEntry> Store::log_since(std::int64_t event_id, std::int64_t seq) const {
  SQLite::Statement q(*db_, std::string("SELECT ") + kLogColumns +
                                " FROM checkins WHERE seq > ? AND event_id = ? ORDER BY seq");
  q.bind(1, seq);
  q.bind(2, event_id);
  std::vector<LogEntry> out;
  while (q.executeStep()) out.push_back(read_log(q));
  return out;
}

std::optional<LogEntry> Store::log_entry(const std::string& uuid) const {
  SQLite::Statement q(*db_, std::string("SELECT ") + kLogColumns + " FROM checkins WHERE uuid = ?");
  q.bind(1, uuid);
  if (q.executeStep()) return read_log(q);
  return std::nullopt;
}

int Store::events_attended(std::int64_t person_id) const {
  if (person_id == 0) return 0;
  SQLite::Statement q(*db_,
                      "SELECT COUNT(DISTINCT c.event_id) FROM checkins c "
                      "JOIN attendees a ON a.id = c.attendee_id "
                      "WHERE a.person_id = ? AND c.kind = 'checkin' AND NOT EXISTS "
                      "(SELECT 1 FROM checkins x WHERE x.kind = 'annul' AND x.ref_uuid = c.uuid)");
  q.bind(1, person_id);
  q.executeStep();
  return q.getColumn(0).getInt();
}

int Store::rsvps_not_honoured(std::int64_t person_id, std::int64_t except_event_id) const {
  if (person_id == 0) return 0;
  SQLite::Statement q(*db_,
                      "SELECT COUNT(*) FROM attendees a WHERE a.person_id = ? AND a.event_id <> ? "
                      "AND a.rsvp = 'yes' AND NOT EXISTS (SELECT 1 FROM checkins c WHERE "
                      "c.attendee_id = a.id AND c.kind = 'checkin' AND NOT EXISTS (SELECT 1 FROM "
                      "checkins x WHERE x.kind = 'annul' AND x.ref_uuid = c.uuid))");
  q.bind(1, person_id);
  q.bind(2, except_event_id);
  q.executeStep();
  return q.getColumn(0).getInt();
}

}  // namespace fd
