#pragma once
// Inside kiosk/store only: how rows of the store's tables become values,
// shared by the Store*.cpp files (each serves one capability, Store.h).
//
// Thread-safety: pure functions over a statement or the database the
// caller is using (the store's one thread).
#include <SQLiteCpp/SQLiteCpp.h>

#include <string>

#include "model/Attendee.h"
#include "model/CheckIn.h"
#include "model/Event.h"

namespace fd::store_rows {

std::string lower_ascii(std::string s);
std::string col(SQLite::Statement& q, int i);

inline constexpr const char* kAttendeeColumns =
    "id, event_id, COALESCE(person_id, 0), source, external_id, ticket_code, first_name, "
    "last_name, full_name, email, company, ticket_type, role, rsvp, guests, walk_in";

inline constexpr const char* kLogColumns =
    "seq, uuid, event_id, attendee_id, kind, COALESCE(ref_uuid, ''), device_id, door, method, at";

inline constexpr const char* kEventColumns = "id, slug, name, starts_at, capacity";

AttendeeRecord read_attendee(SQLite::Statement& q);
LogEntry read_log(SQLite::Statement& q);
EventRecord read_event(SQLite::Statement& q);

// The outbox row of a log entry: what any connector needs to tell the
// service, without a join at delivery time (the service's own ids).
std::string outbox_payload(SQLite::Database& db, const LogEntry& e);

}  // namespace fd::store_rows
