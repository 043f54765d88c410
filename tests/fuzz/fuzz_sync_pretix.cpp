// libFuzzer: every pretix answer we read (orders, event, check-in list,
// revoked/blocked secrets, device, checkinrpc) comes off the network; any
// bytes give values or a plain error, never a crash, and pages stay bounded.
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
  (void)fd::parse_pretix_event_keys(body);
  (void)fd::parse_pretix_checkin_list(body);
  (void)fd::parse_pretix_secrets(body, true);
  (void)fd::parse_pretix_device(body);
  (void)fd::parse_pretix_answer(body);
  return 0;
}
