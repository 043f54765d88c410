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
  // Their host key (doors/Reach.h) when last greeted; "" not known yet. Their
  // loopback addresses are used only from the same host.
  std::string host;
  std::int64_t behind() const { return their_seq > log_cursor ? their_seq - log_cursor : 0; }
};

// Where a process serving this store (a kiosk, `frontdesk serve`) answers
// other doors right now: `frontdesk doors pair` in another process names it.
struct DoorListener {
  std::string process;                 // "<boot id>/<pid>/<start time>": who, while it lives
  std::string host;                    // its host key
  std::vector<std::string> addresses;  // "host:port", LAN first; none: it stopped
  TimeMs updated_at = 0;
};

}  // namespace fd
