#pragma once
// The door exchange's messages as JSON, both ways. Parsers take outside
// input (another door's answer): limits on sizes and counts, plain errors,
// fuzzed (tests/fuzz/fuzz_doors_wire.cpp).
//
// Thread-safety: pure functions.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/Error.h"
#include "model/Replica.h"

namespace fd {

struct DoorHello {
  std::string door_id, door_name;
  std::string event_slug, event_name;
  TimeMs clock = 0;      // the door's clock when it answered
  std::int64_t seq = 0;  // its newest log sequence number
  std::string epoch;     // its log's epoch ("" from a door before schema 9)
  int capacity = 0;
  std::vector<std::string> addresses;  // where it answers (loopback only to its own host)
  std::vector<std::string> peers;      // "device@host:port" of doors it knows
  std::string host;                    // its host key (doors/Reach.h); "" from an older door
  // The doors it knows, itself first: {device id, name}. A joining door
  // takes the first "door N" none of them has.
  std::vector<std::pair<std::string, std::string>> names;
};

struct LogPage {
  std::vector<ReplicaEntry> entries;  // ascending seq
  std::int64_t next = 0;              // ask for since=next to continue
  bool more = false;
};

struct AttendeePage {
  std::vector<ReplicaAttendee> attendees;
  std::string next;  // cursor to continue from
  bool more = false;
};

constexpr std::size_t kMaxPageItems = 2000;

std::string to_json(const DoorHello& h);
std::string to_json(const LogPage& p);
std::string to_json(const AttendeePage& p);
Result<DoorHello> parse_hello(std::string_view json);
Result<LogPage> parse_log_page(std::string_view json);
Result<AttendeePage> parse_attendee_page(std::string_view json);

}  // namespace fd
