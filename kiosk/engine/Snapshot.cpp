#include "engine/Snapshot.h"

#include <algorithm>

namespace fd {

const AttendeeView* Snapshot::attendee(std::int64_t id) const {
  if (!roster) return nullptr;
  auto it = std::lower_bound(roster->begin(), roster->end(), id,
                             [](const AttendeeView& a, std::int64_t v) { return a.id < v; });
  return it != roster->end() && it->id == id ? &*it : nullptr;
}

const Presence* Snapshot::presence(std::int64_t id) const {
  if (!present) return nullptr;
  auto it = present->find(id);
  return it == present->end() ? nullptr : &it->second;
}

std::vector<std::pair<TimeMs, int>> Snapshot::arrivals_per(int minutes) const {
  std::vector<std::pair<TimeMs, int>> out;
  if (arrivals_per_minute.empty() || minutes <= 0) return out;
  const TimeMs width = static_cast<TimeMs>(minutes) * 60'000;
  // Buckets align to the clock (18:00, 18:15, ...), which is how people read them.
  for (const auto& [minute, n] : arrivals_per_minute) {
    const TimeMs bucket = minute - (minute % width);
    if (out.empty() || out.back().first != bucket) out.emplace_back(bucket, 0);
    out.back().second += n;
  }
  return out;
}

}  // namespace fd
