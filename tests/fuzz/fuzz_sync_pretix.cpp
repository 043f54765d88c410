// libFuzzer: every pretix answer we read (orders, a list's positions, event,
// check-in lists, revoked/blocked secrets, device, checkinrpc, error words)
// comes off the network; any bytes give values or a plain error, never a
// crash, and pages and words stay bounded.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sync/Parse.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const auto orders = fd::parse_pretix_orders(body, 7);
  if (!orders.ok() && orders.error().message.empty()) std::abort();
  if (orders.ok() && orders->rows.size() > fd::kMaxPageRows) std::abort();
  if (orders.ok())
    for (const auto& row : orders->rows)
      if (row.full_name.empty() || row.external_id.empty()) std::abort();
  const auto positions = fd::parse_pretix_positions(body, 7, false);
  if (!positions.ok() && positions.error().message.empty()) std::abort();
  if (positions.ok())
    for (const auto& row : positions->rows)
      if (row.full_name.empty() || row.external_id.empty()) std::abort();
  const auto lists = fd::parse_pretix_checkin_lists(body);
  if (lists.ok() && lists->lists.size() > 1000) std::abort();
  (void)fd::parse_pretix_event_keys(body);
  (void)fd::parse_pretix_checkin_list(body);
  (void)fd::parse_pretix_secrets(body, true);
  (void)fd::parse_pretix_device(body);
  (void)fd::parse_pretix_answer(body);
  // pretix's error words go into one status line: bounded, never empty-headed.
  if (fd::pretix_refusal_words(body).size() > 2000) std::abort();
  return 0;
}
