// Several doors: pages of the log and the list for a peer, a peer's pages
// merged in (the newer attendee wins; log rows are a set union by UUID),
// what this door knows of its peers, its name, where it answers.
#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "store/Store.h"
#include "store/StoreRows.h"

namespace fd {

using namespace store_rows;  // StoreRows.h

std::vector<ReplicaEntry> Store::log_page(std::int64_t event_id, std::int64_t since_seq,
                                          std::size_t limit) const {
  SQLite::Statement q(
      *db_,
      "SELECT c.seq, c.uuid, c.kind, COALESCE(c.ref_uuid, ''), c.device_id, c.door, "
      "c.method, c.at, a.source, a.external_id FROM checkins c JOIN attendees a ON "
      "a.id = c.attendee_id WHERE c.event_id = ? AND c.seq > ? ORDER BY c.seq LIMIT ?");
  q.bind(1, event_id);
  q.bind(2, since_seq);
  q.bind(3, static_cast<std::int64_t>(limit));
  std::vector<ReplicaEntry> out;
  while (q.executeStep()) {
    ReplicaEntry e;
    e.seq = q.getColumn(0).getInt64();
    e.uuid = col(q, 1);
    e.kind = kind_from_string(col(q, 2));
    e.ref_uuid = col(q, 3);
    e.device_id = col(q, 4);
    e.door = col(q, 5);
    e.method = method_from_string(col(q, 6));
    e.at = q.getColumn(7).getInt64();
    e.source = col(q, 8);
    e.external_id = col(q, 9);
    out.push_back(std::move(e));
  }
  return out;
}

std::int64_t Store::last_seq(std::int64_t event_id) const {
  SQLite::Statement q(*db_, "SELECT COALESCE(MAX(seq), 0) FROM checkins WHERE event_id = ?");
  q.bind(1, event_id);
  q.executeStep();
  return q.getColumn(0).getInt64();
}

std::vector<ReplicaAttendee> Store::attendee_page(std::int64_t event_id, const std::string& cursor,
                                                  std::size_t limit, std::string& next) const {
  std::int64_t rev = -1, id = 0;
  if (const auto sep = cursor.find('_'); sep != std::string::npos) {
    rev = std::strtoll(cursor.c_str(), nullptr, 10);
    id = std::strtoll(cursor.c_str() + sep + 1, nullptr, 10);
  }
  SQLite::Statement q(*db_,
                      std::string("SELECT ") + kAttendeeColumns +
                          ", rev, updated_at, COALESCE((SELECT identity FROM people p WHERE "
                          "p.id = attendees.person_id), '') FROM attendees WHERE event_id = ? "
                          "AND (rev > ? OR (rev = ? AND id > ?)) ORDER BY rev, id LIMIT ?");
  q.bind(1, event_id);
  q.bind(2, rev);
  q.bind(3, rev);
  q.bind(4, id);
  q.bind(5, static_cast<std::int64_t>(limit));
  std::vector<ReplicaAttendee> out;
  next = cursor;
  while (q.executeStep()) {
    ReplicaAttendee ra;
    ra.record = read_attendee(q);
    ra.updated_at = q.getColumn(17).getInt64();
    // The person's id at the service, so the other door recognises regulars too.
    const std::string identity = col(q, 18);
    const std::string prefix = ra.record.source + ":";
    if (identity.rfind(prefix, 0) == 0) ra.member_id = identity.substr(prefix.size());
    next = std::to_string(q.getColumn(16).getInt64()) + "_" + std::to_string(ra.record.id);
    out.push_back(std::move(ra));
  }
  return out;
}

int Store::merge_replica_attendees(std::int64_t event_id,
                                   const std::vector<ReplicaAttendee>& people) {
  if (people.empty()) return 0;
  Tx tx = begin_write();
  const TimeMs now = now_ms();
  const std::int64_t rev = next_attendee_rev(event_id);
  SQLite::Statement find(*db_,
                         std::string("SELECT ") + kAttendeeColumns +
                             ", updated_at FROM attendees WHERE event_id = ? AND source = ? AND "
                             "external_id = ?");
  SQLite::Statement insert(
      *db_,
      "INSERT INTO attendees(event_id, person_id, source, external_id, "
      "ticket_code, first_name, last_name, full_name, email, company, "
      "ticket_type, role, rsvp, guests, walk_in, created_at, updated_at, rev) "
      "VALUES(?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  SQLite::Statement update(
      *db_,
      "UPDATE attendees SET person_id = NULLIF(?, 0), ticket_code = ?, "
      "first_name = ?, last_name = ?, full_name = ?, email = ?, company = ?, "
      "ticket_type = ?, role = ?, rsvp = ?, guests = ?, updated_at = ?, rev = ? "
      "WHERE id = ?");
  int changed = 0;
  for (const ReplicaAttendee& ra : people) {
    const AttendeeRecord& a = ra.record;
    AttendeeRow row;
    row.member_id = ra.member_id;
    row.email = a.email;
    row.full_name = a.full_name;
    find.reset();
    find.bind(1, event_id);
    find.bind(2, a.source);
    find.bind(3, a.external_id);
    if (!find.executeStep()) {
      const std::int64_t person = person_for(row, a.source, now);
      insert.reset();
      insert.bind(1, event_id);
      insert.bind(2, person);
      insert.bind(3, a.source);
      insert.bind(4, a.external_id);
      insert.bind(5, a.ticket_code);
      insert.bind(6, a.first_name);
      insert.bind(7, a.last_name);
      insert.bind(8, a.full_name);
      insert.bind(9, a.email);
      insert.bind(10, a.company);
      insert.bind(11, a.ticket_type);
      insert.bind(12, a.role);
      insert.bind(13, to_string(a.rsvp));
      insert.bind(14, a.guests);
      insert.bind(15, a.walk_in ? 1 : 0);
      insert.bind(16, now);
      insert.bind(17, ra.updated_at);
      insert.bind(18, rev);
      insert.exec();
      ++changed;
      continue;
    }
    const AttendeeRecord mine = read_attendee(find);
    const TimeMs mine_updated = find.getColumn(16).getInt64();
    // The newer version wins; equal times keep ours (both doors then agree
    // once the other door reads ours).
    if (ra.updated_at <= mine_updated) continue;
    const bool same = mine.ticket_code == a.ticket_code && mine.first_name == a.first_name &&
                      mine.last_name == a.last_name && mine.full_name == a.full_name &&
                      mine.email == a.email && mine.company == a.company &&
                      mine.ticket_type == a.ticket_type && mine.role == a.role &&
                      mine.rsvp == a.rsvp && mine.guests == a.guests;
    if (same) continue;
    const std::int64_t person = person_for(row, a.source, now);
    update.reset();
    update.bind(1, person);
    update.bind(2, a.ticket_code);
    update.bind(3, a.first_name);
    update.bind(4, a.last_name);
    update.bind(5, a.full_name);
    update.bind(6, a.email);
    update.bind(7, a.company);
    update.bind(8, a.ticket_type);
    update.bind(9, a.role);
    update.bind(10, to_string(a.rsvp));
    update.bind(11, a.guests);
    update.bind(12, ra.updated_at);
    update.bind(13, rev);
    update.bind(14, mine.id);
    update.exec();
    ++changed;
  }
  tx.commit();
  return changed;
}

std::size_t Store::merge_replica_log(std::int64_t event_id,
                                     const std::vector<ReplicaEntry>& entries) {
  Tx tx = begin_write();
  SQLite::Statement who(
      *db_, "SELECT id FROM attendees WHERE event_id = ? AND source = ? AND external_id = ?");
  SQLite::Statement insert(
      *db_,
      "INSERT OR IGNORE INTO checkins(uuid, event_id, attendee_id, kind, ref_uuid, "
      "device_id, door, method, at) VALUES(?, ?, ?, ?, NULLIF(?, ''), ?, ?, ?, ?)");
  // Undone at another door: a badge still waiting here for it is not printed.
  SQLite::Statement cancel(*db_,
                           "UPDATE badge_jobs SET state = 'cancelled', updated_at = ? "
                           "WHERE checkin_uuid = ? AND state = 'queued'");
  std::size_t taken = 0;
  for (const ReplicaEntry& e : entries) {
    who.reset();
    who.bind(1, event_id);
    who.bind(2, e.source);
    who.bind(3, e.external_id);
    if (!who.executeStep()) break;
    const std::int64_t attendee = who.getColumn(0).getInt64();
    insert.reset();
    insert.bind(1, e.uuid);
    insert.bind(2, event_id);
    insert.bind(3, attendee);
    insert.bind(4, to_string(e.kind));
    insert.bind(5, e.ref_uuid);
    insert.bind(6, e.device_id);
    insert.bind(7, e.door);
    insert.bind(8, to_string(e.method));
    insert.bind(9, e.at);
    insert.exec();
    if (e.kind == CheckInKind::Annul) {
      cancel.reset();
      cancel.bind(1, now_ms());
      cancel.bind(2, e.ref_uuid);
      cancel.exec();
    }
    ++taken;
  }
  tx.commit();
  return taken;
}

std::vector<PeerRecord> Store::peers(std::int64_t event_id) const {
  SQLite::Statement q(*db_,
                      "SELECT device_id, name, addresses, log_cursor, attendee_cursor, their_seq, "
                      "last_heard, clock_offset_ms, last_error, epoch, host FROM door_peers "
                      "WHERE event_id = ? ORDER BY name, device_id");
  q.bind(1, event_id);
  std::vector<PeerRecord> out;
  while (q.executeStep()) {
    PeerRecord p;
    p.device_id = col(q, 0);
    p.name = col(q, 1);
    const auto addresses = nlohmann::json::parse(col(q, 2), nullptr, false);
    if (addresses.is_array())
      for (const auto& a : addresses)
        if (a.is_string()) p.addresses.push_back(a.get<std::string>());
    p.log_cursor = q.getColumn(3).getInt64();
    p.attendee_cursor = col(q, 4);
    p.their_seq = q.getColumn(5).getInt64();
    p.last_heard = q.getColumn(6).getInt64();
    p.clock_offset_ms = q.getColumn(7).getInt64();
    p.last_error = col(q, 8);
    p.epoch = col(q, 9);
    p.host = col(q, 10);
    out.push_back(std::move(p));
  }
  return out;
}

void Store::save_peer(std::int64_t event_id, const PeerRecord& p) {
  SQLite::Statement q(
      *db_,
      "INSERT INTO door_peers(event_id, device_id, name, addresses, log_cursor, "
      "attendee_cursor, their_seq, last_heard, clock_offset_ms, last_error, epoch, host) "
      "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(event_id, device_id) DO UPDATE "
      "SET name = excluded.name, addresses = excluded.addresses, "
      "log_cursor = excluded.log_cursor, attendee_cursor = excluded.attendee_cursor, "
      "their_seq = excluded.their_seq, last_heard = excluded.last_heard, "
      "clock_offset_ms = excluded.clock_offset_ms, last_error = excluded.last_error, "
      "epoch = excluded.epoch, host = excluded.host");
  q.bind(1, event_id);
  q.bind(2, p.device_id);
  q.bind(3, p.name);
  q.bind(4, nlohmann::json(p.addresses).dump());
  q.bind(5, p.log_cursor);
  q.bind(6, p.attendee_cursor);
  q.bind(7, p.their_seq);
  q.bind(8, p.last_heard);
  q.bind(9, p.clock_offset_ms);
  q.bind(10, p.last_error);
  q.bind(11, p.epoch);
  q.bind(12, p.host);
  q.exec();
}

std::optional<std::pair<std::string, std::string>> Store::door_name(std::int64_t event_id) const {
  SQLite::Statement q(*db_, "SELECT name, chosen FROM door_names WHERE event_id = ?");
  q.bind(1, event_id);
  if (q.executeStep()) return std::make_pair(col(q, 0), col(q, 1));
  return std::nullopt;
}

void Store::set_door_name(std::int64_t event_id, const std::string& name,
                          const std::string& chosen) {
  SQLite::Statement q(*db_,
                      "INSERT INTO door_names(event_id, name, chosen) VALUES(?, ?, ?) "
                      "ON CONFLICT(event_id) DO UPDATE SET name = excluded.name, "
                      "chosen = excluded.chosen");
  q.bind(1, event_id);
  q.bind(2, name);
  q.bind(3, chosen);
  q.exec();
}

std::vector<DoorListener> Store::listeners(std::int64_t event_id) const {
  SQLite::Statement q(*db_,
                      "SELECT process, host, addresses, updated_at FROM door_listeners "
                      "WHERE event_id = ? ORDER BY updated_at DESC, process");
  q.bind(1, event_id);
  std::vector<DoorListener> out;
  while (q.executeStep()) {
    DoorListener l;
    l.process = col(q, 0);
    l.host = col(q, 1);
    const auto addresses = nlohmann::json::parse(col(q, 2), nullptr, false);
    if (addresses.is_array())
      for (const auto& a : addresses)
        if (a.is_string()) l.addresses.push_back(a.get<std::string>());
    l.updated_at = q.getColumn(3).getInt64();
    out.push_back(std::move(l));
  }
  return out;
}

void Store::save_listener(std::int64_t event_id, const DoorListener& l) {
  if (l.addresses.empty()) {
    SQLite::Statement q(*db_, "DELETE FROM door_listeners WHERE event_id = ? AND process = ?");
    q.bind(1, event_id);
    q.bind(2, l.process);
    q.exec();
    return;
  }
  SQLite::Statement q(*db_,
                      "INSERT INTO door_listeners(event_id, process, host, addresses, updated_at) "
                      "VALUES(?, ?, ?, ?, ?) ON CONFLICT(event_id, process) DO UPDATE SET "
                      "host = excluded.host, addresses = excluded.addresses, "
                      "updated_at = excluded.updated_at");
  q.bind(1, event_id);
  q.bind(2, l.process);
  q.bind(3, l.host);
  q.bind(4, nlohmann::json(l.addresses).dump());
  q.bind(5, l.updated_at);
  q.exec();
}

}  // namespace fd
