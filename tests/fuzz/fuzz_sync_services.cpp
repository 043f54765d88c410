// libFuzzer: Eventbrite, Meetup (GraphQL) and Luma answers: any bytes give
// a page or a plain error, never a crash; every row has an id and a name.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sync/Parse.h"

namespace {
void check(const fd::Result<fd::AttendeePage>& p) {
  if (!p.ok() && p.error().message.empty()) std::abort();
  if (!p.ok()) return;
  if (p->rows.size() > fd::kMaxPageRows) std::abort();
  for (const auto& row : p->rows)
    if (row.full_name.empty() || row.external_id.empty() || row.full_name.size() > 4000)
      std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  check(fd::parse_eventbrite_attendees(body));
  check(fd::parse_meetup_rsvps(body));
  check(fd::parse_luma_guests(body));
  return 0;
}
