#include "store/StoreRows.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "base/Time.h"

namespace fd::store_rows {

std::string lower_ascii(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string col(SQLite::Statement& q, int i) { return q.getColumn(i).getString(); }

AttendeeRecord read_attendee(SQLite::Statement& q) {
  AttendeeRecord a;
  a.id = q.getColumn(0).getInt64();
  a.event_id = q.getColumn(1).getInt64();
  a.person_id = q.getColumn(2).getInt64();
  a.source = col(q, 3);
  a.external_id = col(q, 4);
  a.ticket_code = col(q, 5);
  a.first_name = col(q, 6);
  a.last_name = col(q, 7);
  a.full_name = col(q, 8);
  a.email = col(q, 9);
  a.company = col(q, 10);
  a.ticket_type = col(q, 11);
  a.role = col(q, 12);
  a.rsvp = rsvp_from_string(col(q, 13));
  a.guests = q.getColumn(14).getInt();
  a.walk_in = q.getColumn(15).getInt() != 0;
  return a;
}

LogEntry read_log(SQLite::Statement& q) {
  LogEntry e;
  e.seq = q.getColumn(0).getInt64();
  e.uuid = col(q, 1);
  e.event_id = q.getColumn(2).getInt64();
  e.attendee_id = q.getColumn(3).getInt64();
  e.kind = kind_from_string(col(q, 4));
  e.ref_uuid = col(q, 5);
  e.device_id = col(q, 6);
  e.door = col(q, 7);
  e.method = method_from_string(col(q, 8));
  e.at = q.getColumn(9).getInt64();
  return e;
}

EventRecord read_event(SQLite::Statement& q) {
  EventRecord e;
  e.id = q.getColumn(0).getInt64();
  e.slug = col(q, 1);
  e.name = col(q, 2);
  e.starts_at = q.getColumn(3).isNull() ? 0 : q.getColumn(3).getInt64();
  e.capacity = q.getColumn(4).getInt();
  return e;
}

std::string outbox_payload(SQLite::Database& db, const LogEntry& e) {
  SQLite::Statement q(db,
                      "SELECT a.source, a.external_id, a.ticket_code, ev.slug FROM attendees a "
                      "JOIN events ev ON ev.id = a.event_id WHERE a.id = ?");
  q.bind(1, e.attendee_id);
  nlohmann::json j;
  j["uuid"] = e.uuid;
  j["kind"] = to_string(e.kind);
  j["ref_uuid"] = e.ref_uuid;
  j["at"] = iso8601_utc(e.at);
  j["door"] = e.door;
  j["device"] = e.device_id;
  j["method"] = to_string(e.method);
  if (q.executeStep()) {
    j["source"] = col(q, 0);
    j["external_id"] = col(q, 1);
    j["ticket_code"] = col(q, 2);
    j["event"] = col(q, 3);
  }
  return j.dump();
}

}  // namespace fd::store_rows
