// libFuzzer: Eventbrite, Meetup (GraphQL, its rate-limit errors, OAuth token
// answers) and Luma (today's flat guests and the older nested ones): any
// bytes give a page or a plain error, never a crash; every row has an id
// and a name.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sync/Parse.h"

namespace {
void check(const fd::Result<fd::ServicePage>& p) {
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
  const fd::TimeMs wait = fd::meetup_retry_ms(body, 0);
  if (wait > 60000) std::abort();  // a rate limit never parks a pull for long
  (void)fd::parse_oauth_token(body);
  return 0;
}
