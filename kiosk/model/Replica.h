#pragma once
// What doors of one event exchange: log entries and attendees in terms that
// mean the same in every door's store (the attendee by the service's
// source and id, never by a store's row id).
#include <cstdint>
#include <string>
#include <vector>

#include "model/Attendee.h"
#include "model/CheckIn.h"

namespace fd {

struct ReplicaEntry {
  std::int64_t seq = 0;  // in the store it was read from (the sender's cursor)
  std::string uuid;
  CheckInKind kind = CheckInKind::CheckIn;
  std::string ref_uuid;
  std::string device_id;  // the door that made it
  std::string door;       // its name there
  Method method = Method::Qr;
  TimeMs at = 0;                    // as recorded by the door that made it
  std::string origin;               // "" for a door's own decision; a service for one it pulled
  std::string source, external_id;  // who
};

struct ReplicaAttendee {
  AttendeeRecord record;  // id, event_id and person_id are the sender's: ignored
  std::string member_id;  // for recognising regulars
  TimeMs updated_at = 0;  // the newer version wins where two doors differ
};

}  // namespace fd
