#pragma once
// Another door of the same event, as this door knows it.
#include <cstdint>
#include <string>
#include <vector>

#include "base/Time.h"

namespace fd {

struct PeerRecord {
  std::string device_id;
  std::string name;                    // "door 2"
  std::vector<std::string> addresses;  // "host:port"
  std::int64_t log_cursor = 0;         // their seq read up to
  std::string attendee_cursor;         // their "rev_id" read up to
  std::int64_t their_seq = 0;          // their newest when last heard
  TimeMs last_heard = 0;               // 0: never
  std::int64_t clock_offset_ms = 0;    // their clock minus ours
  std::string last_error;              // plain words; "" when the last exchange worked
  std::string epoch;                   // their log's epoch the cursors belong to
  std::int64_t behind() const { return their_seq > log_cursor ? their_seq - log_cursor : 0; }
};

}  // namespace fd
