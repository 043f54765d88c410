#pragma once
#include <cstdint>
#include <string>

namespace fd {
// Times are Unix milliseconds (UTC) everywhere in the store and engine;
// only presentation converts to local time.
using TimeMs = std::int64_t;
TimeMs now_ms();
// "18:42" in local time, for the door.
std::string local_hhmm(TimeMs t);
// "2026-11-23 18:42:05" in local time, for reports.
std::string local_datetime(TimeMs t);
// "2026-11-23T17:42:05.123Z", for exports and sync payloads.
std::string iso8601_utc(TimeMs t);
// Parses "YYYY-MM-DD[ T]HH:MM[:SS]" as local time, or with a trailing Z / ±HH:MM
// offset as that zone. Returns -1 when it is not such a time.
TimeMs parse_datetime(const std::string& s);
}  // namespace fd
