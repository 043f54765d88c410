#pragma once
// The check-in log's vocabulary. The log is append-only; whether a person is
// in (their Presence) is derived from it.
#include <cstdint>
#include <string>

#include "base/Time.h"

namespace fd {

// Left / Returned: a person checked in went out (an exit door, or an
// organizer) or came back; ref_uuid names their check-in.
enum class CheckInKind { CheckIn, Annul, Left, Returned };
const char* to_string(CheckInKind k);                // "checkin", "annul", "left", "returned"
CheckInKind kind_from_string(const std::string& s);  // unknown -> CheckIn
enum class Method { Qr, Scanner, Search, WalkIn, Manual };
const char* to_string(Method m);
Method method_from_string(const std::string& s);  // unknown -> Qr

// One row of the log.
struct LogEntry {
  std::int64_t seq = 0;
  std::string uuid;
  std::int64_t event_id = 0;
  std::int64_t attendee_id = 0;
  CheckInKind kind = CheckInKind::CheckIn;
  std::string ref_uuid;  // Annul: the check-in it cancels
  std::string device_id;
  std::string door;
  Method method = Method::Qr;
  TimeMs at = 0;
};

// A person's live check-in.
struct Presence {
  std::string uuid;
  TimeMs at = 0;
  std::string door;
  Method method = Method::Qr;
  bool in_room = true;  // false after a Left, until a Returned
  TimeMs moved_at = 0;  // when they last left or came back
};

}  // namespace fd
